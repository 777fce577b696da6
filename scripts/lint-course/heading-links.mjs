// @ts-check
/**
 * A link to a heading (`#x` on the same page, `./02-load-balancer.mdx#x` or `../02-load-balancer#x` on another) must
 * name an id that the page has: the id Docusaurus gives a heading (its slug, or an explicit `{#id}`), or the `id` of an
 * element. A broken one lands at the top of the page, and nobody notices until a learner does. Links to a page that
 * does not exist are the build's (`onBrokenMarkdownLinks`); links to other sites are not checked.
 */
import path from 'node:path';
import {attributeValue, headingIds, lineOf, walk} from './mdx.mjs';

/** @typedef {import('./course.mjs').Page} Page */

/** @type {import('./lint.mjs').Rule} */
export const headingLinks = {
  name: 'every link to a heading finds it',
  check(course) {
    const byFile = new Map(course.pages.map((page) => [page.file, page]));
    const idsByFile = new Map(course.pages.map((page) => [page.file, anchors(page)]));
    return course.pages.flatMap((page) =>
      links(page).flatMap(({url, line}) => {
        const hash = url.indexOf('#');
        if (hash < 0 || /^[a-z][a-z\d+.-]*:|^\/\//i.test(url) || url.startsWith('/')) return [];
        const anchor = safeDecode(url.slice(hash + 1));
        const target = hash === 0 ? page : findPage(byFile, page.file, url.slice(0, hash));
        if (!target) return [];
        const ids = idsByFile.get(target.file) ?? [];
        if (ids.includes(anchor)) return [];
        const where = target === page ? 'on this page' : `in ${target.file}`;
        return [
          {
            file: page.file,
            line,
            message: `the link ${url} finds no heading with the id "${anchor}" ${where}. ${suggest(anchor, ids)}`,
          },
        ];
      }),
    );
  },
};

/**
 * The links of a page: Markdown links and definitions, and the `href` of an `<a>` or the `to` of a `<Link>`.
 * @param {Page} page
 * @returns {Array<{url: string, line: number}>}
 */
function links(page) {
  /** @type {Array<{url: string, line: number}>} */
  const found = [];
  for (const node of walk(page.tree)) {
    if (node.type === 'link' || node.type === 'definition') found.push({url: node.url, line: lineOf(node)});
    if (node.type === 'mdxJsxFlowElement' || node.type === 'mdxJsxTextElement') {
      const name = node.name === 'a' ? 'href' : node.name === 'Link' ? 'to' : undefined;
      const url = name ? readString(node, name) : undefined;
      if (url) found.push({url, line: lineOf(node)});
    }
  }
  return found;
}

/**
 * Every id a link can land on in a page: its headings', and those of its HTML elements (`<a id="...">`; a component's
 * `id` prop, such as `<Lab id>`, is not an anchor).
 * @param {Page} page
 * @returns {string[]}
 */
function anchors(page) {
  const ids = headingIds(page.tree).map(({id}) => id);
  for (const node of walk(page.tree)) {
    if ((node.type === 'mdxJsxFlowElement' || node.type === 'mdxJsxTextElement') && /^[a-z]/.test(node.name ?? '')) {
      const id = readString(node, 'id');
      if (id) ids.push(id);
    }
  }
  return ids;
}

/**
 * The page a relative link names, as Docusaurus resolves a file link: with or without its `.mdx` or `.md`.
 * @param {Map<string, Page>} byFile
 * @param {string} from  the linking page's file
 * @param {string} target
 */
function findPage(byFile, from, target) {
  const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(from), safeDecode(target)));
  return [resolved, `${resolved}.mdx`, `${resolved}.md`].map((file) => byFile.get(file)).find(Boolean);
}

/**
 * What to write instead: the id closest to the broken one, or the list of ids.
 * @param {string} anchor
 * @param {string[]} ids
 */
function suggest(anchor, ids) {
  if (ids.length === 0) return 'That page has no headings: link to the page itself.';
  const words = new Set(anchor.toLowerCase().split(/[^a-z\d]+/).filter(Boolean));
  const scored = ids
    .map((id) => ({id, shared: id.split('-').filter((word) => words.has(word)).length}))
    .sort((a, b) => b.shared - a.shared);
  if (scored[0].shared > 0) {
    return `Did you mean #${scored[0].id}? Use an id the page has, or give the heading an explicit {#${anchor}}.`;
  }
  return `Use one of its ids: ${ids.map((id) => `#${id}`).join(', ')}.`;
}

/**
 * @param {import('./mdx.mjs').JsxElement} element
 * @param {string} name
 */
function readString(element, name) {
  try {
    const value = attributeValue(element, name);
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** @param {string} text */
function safeDecode(text) {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
