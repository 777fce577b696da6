// @ts-check
/**
 * Reads haproxy.cfg into sections of directives. HAProxy's format is line based: a line that starts with a section
 * keyword (`global`, `defaults`, `frontend NAME`, `backend NAME`, `listen NAME`) opens a section, and every other line
 * is a directive of the section above it. Indentation is only for people. `#` starts a comment, quotes and a
 * backslash keep spaces inside one word, as in HAProxy.
 *
 *   frontend www                 <- section
 *       bind *:80                <- directive 'bind', args ['*:80']
 *       default_backend web
 */
import { ConfigError, supportedHint } from '../lib/config-error.js';

export const SECTION_KINDS = /** @type {const} */ (['global', 'defaults', 'frontend', 'backend', 'listen']);

/** Sections that real HAProxy has and the miniature does not: named so that the error can say so. */
const OTHER_HAPROXY_SECTIONS = ['peers', 'resolvers', 'userlist', 'mailers', 'cache', 'program', 'http-errors', 'ring'];

/**
 * @typedef {{ name: string, args: string[], line: number }} Directive
 * @typedef {typeof SECTION_KINDS[number]} SectionKind
 * @typedef {{ kind: SectionKind, name: string, line: number, directives: Directive[] }} Section
 */

/**
 * @param {string} text the contents of haproxy.cfg
 * @param {string} file the file name, for error messages
 * @returns {Section[]}
 */
export function readSections(text, file) {
  /** @type {Section[]} */
  const sections = [];
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const line = index + 1;
    const words = splitWords(lines[index], file, line);
    if (words.length === 0) continue;
    const [name, ...args] = words;
    const kind = SECTION_KINDS.find((k) => k === name);
    if (kind) {
      sections.push(openSection(kind, args, file, line));
    } else if (OTHER_HAPROXY_SECTIONS.includes(name)) {
      throw new ConfigError({ file, line, directive: name }, `the '${name}' section is not supported by the miniature balancer`,
        `supported sections: ${SECTION_KINDS.join(', ')}`);
    } else if (sections.length === 0) {
      throw new ConfigError({ file, line, directive: name }, 'directive outside of any section',
        `start a section first (${SECTION_KINDS.join(', ')}); ${supportedHint(name, SECTION_KINDS)}`);
    } else {
      sections[sections.length - 1].directives.push({ name, args, line });
    }
  }
  return sections;
}

/**
 * @param {SectionKind} kind
 * @param {string[]} args
 * @param {string} file
 * @param {number} line
 * @returns {Section}
 */
function openSection(kind, args, file, line) {
  const named = kind === 'frontend' || kind === 'backend' || kind === 'listen';
  if (named && args.length !== 1) {
    throw new ConfigError({ file, line, directive: kind }, args.length === 0 ? `a ${kind} section needs a name` :
      `a ${kind} section takes only a name, found '${args.join(' ')}'`,
    args.length === 0 ? `write: ${kind} web` : `put addresses in a 'bind' line below the section name`);
  }
  if (named && !/^[A-Za-z0-9_.:-]+$/.test(args[0])) {
    throw new ConfigError({ file, line, directive: kind }, `'${args[0]}' is not a valid name`,
      'use letters, digits and - _ . : only');
  }
  if (kind === 'global' && args.length > 0) {
    throw new ConfigError({ file, line, directive: kind }, 'the global section takes no name', 'write just: global');
  }
  return { kind, name: args[0] ?? '', line, directives: [] };
}

/**
 * Splits one line into words: spaces separate, `#` ends the line, quotes and `\` protect spaces.
 * @param {string} text
 * @param {string} file
 * @param {number} line
 */
function splitWords(text, file, line) {
  /** @type {string[]} */
  const words = [];
  let word = '';
  let inWord = false;
  /** @type {string | undefined} */
  let quote;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && i + 1 < text.length) word += text[++i];
      else word += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < text.length) {
      word += text[++i];
      inWord = true;
    } else if (c === '#') {
      break;
    } else if (c === ' ' || c === '\t' || c === '\r') {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quote) throw new ConfigError({ file, line }, 'unterminated quoted string', `add the closing ${quote}`);
  if (inWord) words.push(word);
  return words;
}
