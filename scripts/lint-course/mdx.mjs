// @ts-check
/**
 * Reads a page of the course as Docusaurus reads it: the same parsers (remark with MDX, GFM, front matter and
 * directives), the same `{#id}` pre-processing, and the same heading ids (Docusaurus's own slugger). The rules work on
 * the tree this returns, so a code block, a comment or a JSX string never passes for a heading or a link.
 */
import {unified} from 'unified';
import remarkParse from 'remark-parse';
import remarkMdx from 'remark-mdx';
import remarkGfm from 'remark-gfm';
import remarkFrontmatter from 'remark-frontmatter';
import remarkDirective from 'remark-directive';
import {toString} from 'mdast-util-to-string';
import {createSlugger, escapeMarkdownHeadingIds, parseMarkdownHeadingId} from '@docusaurus/utils';
import {literalValue} from './literal.mjs';

/** @typedef {import('mdast').Root} Root */
/** @typedef {import('mdast').Heading} Heading */
/** @typedef {import('mdast').Nodes} Node */
/** @typedef {import('mdast-util-mdx-jsx').MdxJsxFlowElement | import('mdast-util-mdx-jsx').MdxJsxTextElement} JsxElement */

const processor = unified().use(remarkParse).use(remarkMdx).use(remarkFrontmatter).use(remarkGfm).use(remarkDirective);

/**
 * The tree of a page. `{#id}` is escaped first, as Docusaurus does, so that MDX does not read it as an expression;
 * the escape stays on its line, so every node keeps the line it has in the file.
 * @param {string} source
 * @returns {Root}
 */
export function parseMdx(source) {
  return processor.parse(escapeMarkdownHeadingIds(source));
}

/**
 * Every node of a tree, depth first, in the order of the file.
 * @param {Node} node
 * @returns {Generator<Node>}
 */
export function* walk(node) {
  yield node;
  if ('children' in node) for (const child of node.children) yield* walk(child);
}

/**
 * The 1-based line a node starts on (1 when the parser gave it no position).
 * @param {Node} node
 */
export function lineOf(node) {
  return node.position?.start.line ?? 1;
}

/**
 * The ids Docusaurus gives a page's headings, with their headings: an explicit `{#id}` or `{/* #id *\/}` as written,
 * otherwise the slug of the heading's text, numbered (`-1`, `-2`) when a page repeats it.
 * @param {Root} tree
 * @returns {Array<{id: string, heading: Heading}>}
 */
export function headingIds(tree) {
  const slugger = createSlugger();
  /** @type {Array<{id: string, heading: Heading}>} */
  const ids = [];
  for (const node of walk(tree)) {
    if (node.type !== 'heading') continue;
    const explicit = commentId(node) ?? parseMarkdownHeadingId(headingText(node), 'classic').id;
    ids.push({id: explicit ?? slugger.slug(headingText(node), {maintainCase: false}), heading: node});
  }
  return ids;
}

/**
 * A heading's text as Docusaurus slugs it: without its raw HTML (the text inside a JSX element counts).
 * @param {Heading} heading
 */
function headingText(heading) {
  const text = heading.children.filter((child) => child.type !== 'html');
  return toString(text.length > 0 ? text : heading);
}

/**
 * The id of a heading that ends with a comment naming it, `{/* #id *\/}` or `<!-- #id -->`.
 * @param {Heading} heading
 * @returns {string | undefined}
 */
function commentId(heading) {
  const last = heading.children.at(-1);
  let comment;
  if (last?.type === 'mdxTextExpression') {
    const program = last.data?.estree;
    if (program && program.body.length === 0 && program.comments?.length === 1) comment = program.comments[0].value;
  } else if (last?.type === 'html') {
    comment = /^<!--([\s\S]*)-->$/.exec(last.value)?.[1];
  }
  const first = comment?.trim().split(' ')[0];
  return first?.startsWith('#') && first.length > 1 ? first.slice(1) : undefined;
}

/**
 * Every JSX element of a page with that name (`KnowledgeCheck`, `Lab`), in the order of the file.
 * @param {Root} tree
 * @param {string} name
 * @returns {JsxElement[]}
 */
export function jsxElements(tree, name) {
  /** @type {JsxElement[]} */
  const found = [];
  for (const node of walk(tree)) {
    if ((node.type === 'mdxJsxFlowElement' || node.type === 'mdxJsxTextElement') && node.name === name) found.push(node);
  }
  return found;
}

/**
 * The value of a JSX attribute: a string as written (`id="02-load-balancer"`), the value of a literal expression
 * (`choices={[{text: 'A', correct: true}]}`), `true` for a bare attribute, `undefined` when the element has no such
 * attribute. Throws, saying why, when the expression is not a literal (a variable, a call).
 * @param {JsxElement} element
 * @param {string} name
 * @returns {unknown}
 */
export function attributeValue(element, name) {
  const value = attributeExpression(element, name);
  return typeof value === 'object' ? literalValue(value) : value;
}

/**
 * A JSX attribute as written: its string, `true` for a bare attribute, the syntax tree of an `{expression}` (whose
 * positions are lines of the page), or `undefined` when the element has no such attribute.
 * @param {JsxElement} element
 * @param {string} name
 * @returns {string | true | import('estree').Expression | undefined}
 */
export function attributeExpression(element, name) {
  const attribute = element.attributes.find((each) => each.type === 'mdxJsxAttribute' && each.name === name);
  if (!attribute || attribute.type !== 'mdxJsxAttribute') return undefined;
  const {value} = attribute;
  if (value === null || value === undefined) return true;
  if (typeof value === 'string') return value;
  const statement = value.data?.estree?.body[0];
  if (!statement || statement.type !== 'ExpressionStatement') throw new Error(`{${value.value}} is not an expression`);
  return statement.expression;
}
