// @ts-check
/**
 * An admonition's title goes in brackets: `:::info[You will learn]`. The older form, `:::info You will learn`, is not
 * a directive for the site's Markdown (the v4 defaults turn off the MDX 1 compatibility that read it), so the page
 * shows the colons and the words as a plain paragraph, and nothing fails the build.
 */
import {lineOf, walk} from './mdx.mjs';

const OLD_TITLE = /^:::(\w+)[ \t]+(\S[^\n]*)/;

/** @type {import('./lint.mjs').Rule} */
export const admonitionTitles = {
  name: 'an admonition has its title in brackets',
  check(course) {
    return course.pages.flatMap((page) => {
      /** @type {import('./lint.mjs').Finding[]} */
      const findings = [];
      for (const node of walk(page.tree)) {
        if (node.type !== 'paragraph') continue;
        const first = node.children?.[0];
        const match = first?.type === 'text' ? OLD_TITLE.exec(first.value) : null;
        if (!match) continue;
        findings.push({
          file: page.file,
          line: lineOf(node),
          message:
            `":::${match[1]} ${match[2]}" is shown as plain text, not as a box: the title of an admonition goes in ` +
            `brackets. Write :::${match[1]}[${match[2]}].`,
        });
      }
      return findings;
    });
  },
};
