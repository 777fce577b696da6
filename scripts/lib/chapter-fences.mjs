// @ts-check
/**
 * The fenced code blocks of a chapter, with where they stand and what their fence says about them. The course's
 * tests of its own text (the real-configuration test, the course linter) read chapters through this, so that the
 * convention below is defined once:
 *
 *   ```haproxy title="/etc/haproxy/haproxy.cfg" lab="02-load-balancer/solution/lb-01/haproxy.cfg"
 *       the block claims to be that lab file, exactly (compared with it)
 *   ```haproxy title="/etc/haproxy/haproxy.cfg" partial
 *       a deliberate excerpt: the tests complete it before they give it to the real program
 *   ```text title="..." sketch
 *       not a file a program reads as it stands (pseudo-configuration, an illustration): not run
 *
 * A block with a `title` naming a configuration file is a claim that the file is real. Docusaurus reads only `title`
 * (and line highlights) from the meta string and ignores the other words, so the marks cost nothing on the page.
 */
import {readFileSync} from 'node:fs';

/**
 * @typedef {object} Fence
 * @property {string} file     the chapter's path, as given
 * @property {number} line     1-based line of the opening fence
 * @property {string} lang     the language after the fence ('' when none)
 * @property {string} meta     the rest of the opening line, as written
 * @property {string | undefined} title  the `title="..."` of the meta
 * @property {Record<string, string>} attrs  every `name="value"` of the meta (title included)
 * @property {Set<string>} flags  every bare word of the meta (`partial`, `sketch`, ...)
 * @property {string} body     the lines between the fences, without the fence's indentation, ending with a newline
 */

const OPENING = /^(\s*)(`{3,}|~{3,})\s*([^\s`]*)\s*(.*)$/;
const ATTRIBUTE = /([A-Za-z][\w-]*)=(?:"([^"]*)"|'([^']*)'|(\S+))/g;

/**
 * Every fenced block of a chapter's source. A fence left open runs to the end of the file, as in CommonMark.
 * @param {string} source  the chapter's text
 * @param {string} [file]  its path, carried into each fence for messages
 * @returns {Fence[]}
 */
export function parseFences(source, file = '') {
  const lines = source.split('\n');
  // The newline that ends the file ends its last line; it does not start another.
  if (lines.at(-1) === '') lines.pop();
  /** @type {Fence[]} */
  const fences = [];
  for (let index = 0; index < lines.length; index++) {
    const opening = OPENING.exec(lines[index]);
    if (!opening) continue;
    const [, indent, marker, lang, meta] = opening;
    const closing = new RegExp(`^\\s*${marker[0] === '`' ? '`' : '~'}{${marker.length},}\\s*$`);
    const bodyLines = [];
    let end = index + 1;
    for (; end < lines.length && !closing.test(lines[end]); end++) {
      bodyLines.push(lines[end].startsWith(indent) ? lines[end].slice(indent.length) : lines[end].trimStart());
    }
    const {attrs, flags} = parseMeta(meta);
    fences.push({
      file,
      line: index + 1,
      lang,
      meta,
      title: attrs.title,
      attrs,
      flags,
      body: bodyLines.length > 0 ? `${bodyLines.join('\n')}\n` : '',
    });
    index = end;
  }
  return fences;
}

/**
 * The fenced blocks of a chapter file.
 * @param {string} file
 * @returns {Fence[]}
 */
export function readFences(file) {
  return parseFences(readFileSync(file, 'utf8'), file);
}

/**
 * Splits a fence's meta string into its `name="value"` attributes and its bare words.
 * @param {string} meta
 * @returns {{attrs: Record<string, string>, flags: Set<string>}}
 */
export function parseMeta(meta) {
  /** @type {Record<string, string>} */
  const attrs = {};
  const rest = meta.replace(ATTRIBUTE, (_whole, name, doubled, single, bare) => {
    attrs[name] = doubled ?? single ?? bare;
    return ' ';
  });
  const flags = new Set(rest.split(/\s+/).filter((word) => /^[A-Za-z][\w-]*$/.test(word)));
  return {attrs, flags};
}
