// @ts-check
/**
 * Headings are the page's outline: screen readers list them and jump between them, and the table of contents is
 * built from them. A level skipped (`##` then `####`) leaves a hole in that outline. The page's title is its level 1,
 * whether written as `#` or taken from the front matter.
 */
import {lineOf, walk} from './mdx.mjs';

/** @type {import('./lint.mjs').Rule} */
export const headingLevels = {
  name: 'no heading level is skipped',
  check(course) {
    return course.pages.flatMap((page) => {
      let previous = 1;
      /** @type {import('./lint.mjs').Finding[]} */
      const findings = [];
      for (const node of walk(page.tree)) {
        if (node.type !== 'heading') continue;
        if (node.depth > previous + 1) {
          findings.push({
            file: page.file,
            line: lineOf(node),
            message:
              `this heading is level ${node.depth} (${'#'.repeat(node.depth)}) right after level ${previous}, ` +
              `which leaves a hole in the page's outline. Make it ${'#'.repeat(previous + 1)}, or add the level between.`,
          });
        }
        previous = node.depth;
      }
      return findings;
    });
  },
};
