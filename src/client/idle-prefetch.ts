/**
 * Docusaurus prefetches the code of a page as soon as a link to it scrolls into view, from the links'
 * IntersectionObserver callbacks: on a chapter, some twenty links at once, each looked up among every route of the
 * site, in one task of a couple of hundred milliseconds on a phone while the page is still loading, which holds back
 * the reader's first scroll or tap. Here each prefetch waits for an idle moment instead, a few at a time; a link
 * that is pressed meanwhile still loads its page at once (that is `preload`, which is left alone).
 */
type Prefetch = (routePath: string) => false | Promise<void[]>;
interface Deadline {
  didTimeout: boolean;
  timeRemaining(): number;
}

/** Room left in an idle period below which the next prefetch waits for another (one takes about 6 ms on a phone). */
const ENOUGH_IDLE_MS = 10;
/** The longest a prefetch waits for an idle moment. */
const AT_THE_LATEST_MS = 3000;

/** Wraps `prefetch` so that it runs in idle time; returns the wrapper. Exported for its test. */
export function idlePrefetch(
  prefetch: Prefetch,
  whenIdle: (run: (deadline: Deadline) => void, options: { timeout: number }) => void,
): Prefetch {
  const waiting: string[] = [];
  let scheduled = false;
  const drain = (deadline: Deadline) => {
    do {
      const next = waiting.shift();
      try {
        if (next !== undefined) void Promise.resolve(prefetch(next)).catch(() => undefined);
      } catch {
        // A prefetch is a hint: one that fails must not stop the others.
      }
    } while (waiting.length > 0 && !deadline.didTimeout && deadline.timeRemaining() > ENOUGH_IDLE_MS);
    if (waiting.length > 0) whenIdle(drain, { timeout: AT_THE_LATEST_MS });
    else scheduled = false;
  };
  return (routePath) => {
    if (!waiting.includes(routePath)) waiting.push(routePath);
    if (!scheduled) {
      scheduled = true;
      whenIdle(drain, { timeout: AT_THE_LATEST_MS });
    }
    return false;
  };
}

let wrapped = false;

/**
 * Client module lifecycle: `window.docusaurus` exists by the first route's update, which comes in the commit of the
 * first render, before any link's IntersectionObserver has called back.
 */
export function onRouteDidUpdate(): void {
  if (wrapped || typeof window === 'undefined') return;
  wrapped = true;
  const page = window as unknown as { docusaurus: { prefetch: Prefetch } };
  // Safari has no requestIdleCallback: a timer stands in for it.
  const whenIdle = typeof window.requestIdleCallback === 'function'
    ? (run: (deadline: Deadline) => void, options: { timeout: number }) => void window.requestIdleCallback(run, options)
    : (run: (deadline: Deadline) => void) => void window.setTimeout(() => run({ didTimeout: true, timeRemaining: () => 0 }), 200);
  // Docusaurus's object is frozen: a copy with the wrapped prefetch takes its place (links read it at each call).
  const original = page.docusaurus;
  if (typeof original?.prefetch !== 'function') return; // another version of Docusaurus: leave it as it is
  page.docusaurus = Object.freeze({ ...original, prefetch: idlePrefetch(original.prefetch.bind(original), whenIdle) });
}
