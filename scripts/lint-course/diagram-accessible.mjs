// @ts-check
/**
 * A diagram is an image: a screen reader announces its `accTitle` and reads its `accDescr`, and says nothing useful
 * without them. Both must be there and say something.
 */
import {lineOf, walk} from './mdx.mjs';

const KEYWORDS = /** @type {const} */ (['accTitle', 'accDescr']);
const EXAMPLES = {
  accTitle: '`accTitle: <a short title>`',
  accDescr: '`accDescr: <what the diagram shows, in a sentence or two>`',
};

/** @type {import('./lint.mjs').Rule} */
export const diagramAccessible = {
  name: 'every diagram has accTitle and accDescr',
  check(course) {
    return course.pages.flatMap((page) =>
      [...walk(page.tree)].flatMap((node) => {
        if (node.type !== 'code' || node.lang !== 'mermaid') return [];
        const missing = KEYWORDS.filter((keyword) => !described(node.value, keyword));
        if (missing.length === 0) return [];
        return [
          {
            file: page.file,
            line: lineOf(node),
            message:
              `this diagram has no ${missing.join(' and no ')}, so a screen reader cannot say what it shows. ` +
              `Add ${missing.map((keyword) => EXAMPLES[keyword]).join(' and ')} after the diagram's first line, ` +
              `on ${missing.length === 1 ? 'a line of its own' : 'lines of their own'}.`,
          },
        ];
      }),
    );
  },
};

/**
 * Whether a diagram has `keyword: text`, or a `keyword { ... }` block with text in it.
 * @param {string} diagram
 * @param {string} keyword
 */
function described(diagram, keyword) {
  const single = new RegExp(`^[ \\t]*${keyword}[ \\t]*:[ \\t]*\\S`, 'm');
  const block = new RegExp(`^[ \\t]*${keyword}[ \\t]*\\{\\s*[^\\s}][^}]*\\}`, 'm');
  return single.test(diagram) || block.test(diagram);
}
