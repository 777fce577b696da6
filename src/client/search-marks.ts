/**
 * mark.js as the search plugin gets it, with an `unmark()` that returns at once when nothing is marked.
 *
 * The plugin's search bar clears the marks of an earlier search each time it shows a page, so `unmark()` runs on
 * every page load. mark.js then walks every element of the article to find its marks; a chapter has about 2,700 with
 * its drawings, which took some 25 ms of main thread on a desktop and four times that on a phone, after every load,
 * for marks that are nearly never there. A marked page still has its marks removed in full.
 * (Installed by src/plugins/searchMarks.ts.)
 */
// The same library from its other build: the path the plugin imports is aliased to this module.
import Mark from 'mark.js/dist/mark.es6.js';

/** What mark.js calls `unmark` with; only what decides whether there is anything to remove is named. */
interface UnmarkOptions {
  element?: string;
  className?: string;
  iframes?: boolean;
  done?: () => void;
}

type Context = ConstructorParameters<typeof Mark>[0];

export default class MarkWhenMarked extends Mark {
  constructor(context: Context) {
    super(context);
    const unmark = this.unmark.bind(this);
    this.unmark = (options?: UnmarkOptions) => {
      if (nothingMarked(context, options ?? {})) {
        options?.done?.();
        return this;
      }
      return unmark(options);
    };
  }
}

/**
 * True when `context` is an element or a document with no mark that `unmark(options)` would remove: the selector is
 * the one mark.js removes by (the class name escaped, where mark.js pastes it in as it is, so that a class name with
 * a dot or a colon asks the question meant rather than throwing). Any other context (a selector, a list, iframes to
 * search) is left to mark.js.
 */
export function nothingMarked(context: Context, options: UnmarkOptions): boolean {
  if (options.iframes || !(context instanceof Element || context instanceof Document)) {
    return false;
  }
  const selector = `${options.element || '*'}[data-markjs]${options.className ? `.${CSS.escape(options.className)}` : ''}`;
  return context.querySelector(selector) === null;
}
