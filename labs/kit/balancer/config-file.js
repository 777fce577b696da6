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
import { invisibleHint, invisibleName } from '../lib/invisible.js';

export const SECTION_KINDS = /** @type {const} */ (['global', 'defaults', 'frontend', 'backend', 'listen']);

/** Sections that real HAProxy has and the miniature does not: named so that the error can say so. */
const OTHER_HAPROXY_SECTIONS = ['peers', 'resolvers', 'userlist', 'mailers', 'cache', 'program', 'http-errors', 'ring'];

/** HAProxy splits words on C's isspace(): space, tab, and also form feed and vertical tab. */
const SPACES = new Set([' ', '\t', '\f', '\v']);

/** HAProxy 2.6 reads at most 64 words on a line, and refuses the line beyond that. */
const MAX_WORDS = 64;

/**
 * @typedef {{ name: string, args: string[], line: number }} Directive
 * @typedef {typeof SECTION_KINDS[number]} SectionKind
 * @typedef {{ kind: SectionKind, name: string, line: number, directives: Directive[] }} Section
 */

/**
 * Reads every line, as HAProxy does, and collects an error for each bad line instead of stopping at the first, so
 * that a learner sees them all at once. HAProxy stops reading at a NUL byte (a binary or UTF-16 file), and so
 * does this.
 * @param {string} text the contents of haproxy.cfg
 * @param {string} file the file name, for error messages
 * @returns {{ sections: Section[], errors: ConfigError[] }}
 */
export function readSections(text, file) {
  /** @type {Section[]} */
  const sections = [];
  /** @type {ConfigError[]} */
  const errors = [];
  /** @type {Section | undefined} where directives go; undefined inside a section the miniature skips */
  let current;
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const line = index + 1;
    let content = lines[index].endsWith('\r') ? lines[index].slice(0, -1) : lines[index];
    if (index === 0 && content.startsWith('\uFEFF')) {
      errors.push(invisibleError(file, line, '\uFEFF', 0));
      content = content.slice(1);
    }
    const nul = content.indexOf('\0');
    if (nul >= 0) {
      errors.push(new ConfigError({ file, line }, `a NUL byte (U+0000) at position ${nul + 1}: this is not a text file`,
        'save haproxy.cfg as plain text (UTF-8): NUL bytes come with UTF-16 and binary files. HAProxy stops reading at one too'));
      break;
    }
    try {
      const words = splitWords(content, file, line);
      if (words.length === 0) continue;
      const [name, ...args] = words;
      const kind = SECTION_KINDS.find((k) => k === name);
      if (kind) {
        current = openSection(kind, args, file, line, errors);
        sections.push(current);
      } else if (OTHER_HAPROXY_SECTIONS.includes(name)) {
        current = undefined;
        throw new ConfigError({ file, line, directive: name }, `the '${name}' section is not supported by the miniature balancer`,
          `supported sections: ${SECTION_KINDS.join(', ')}`);
      } else if (sections.length === 0) {
        throw new ConfigError({ file, line, directive: name }, 'directive outside of any section',
          `start a section first (${SECTION_KINDS.join(', ')}); ${supportedHint(name, SECTION_KINDS)}`);
      } else {
        current?.directives.push({ name, args, line });
      }
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      errors.push(error);
      // A broken section line still opens its section, so that the lines below it are not blamed for it.
      const kind = SECTION_KINDS.find((k) => k === content.trim().split(/[ \t\f\v]/)[0]);
      if (kind) {
        current = { kind, name: '', line, directives: [] };
        sections.push(current);
      }
    }
  }
  return { sections, errors };
}

/**
 * Opens a section; a bad section line is an error, and the section is still opened, unnamed, so that the
 * directives below it are checked and not reported as outside of any section.
 * @param {SectionKind} kind
 * @param {string[]} args
 * @param {string} file
 * @param {number} line
 * @param {ConfigError[]} errors
 * @returns {Section}
 */
function openSection(kind, args, file, line, errors) {
  const named = kind === 'frontend' || kind === 'backend' || kind === 'listen';
  const where = { file, line, directive: kind };
  if (named && args.length !== 1) {
    errors.push(new ConfigError(where, args.length === 0 ? `a ${kind} section needs a name` :
      `a ${kind} section takes only a name, found '${args.join(' ')}'`,
    args.length === 0 ? `write: ${kind} web` : `put addresses in a 'bind' line below the section name`));
    return { kind, name: '', line, directives: [] };
  }
  if (named && !/^[A-Za-z0-9_.:-]+$/.test(args[0])) {
    errors.push(new ConfigError(where, `'${args[0]}' is not a valid name`, 'use letters, digits and - _ . : only'));
    return { kind, name: '', line, directives: [] };
  }
  if (kind === 'global' && args.length > 0) {
    errors.push(new ConfigError(where, 'the global section takes no name', 'write just: global'));
  }
  return { kind, name: args[0] ?? '', line, directives: [] };
}

/**
 * Splits one line into words: spaces separate, `#` ends the line, quotes and `\` protect spaces. A character that
 * cannot be seen (a no-break space, a zero-width space, a control character) is refused by name, outside comments:
 * HAProxy would make it part of a word and refuse, or worse accept, a word that looks right.
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
    if (!quote && c === '#') break;
    if (c !== '\t' && c !== '\f' && c !== '\v' && invisibleName(c)) throw invisibleError(file, line, c, i);
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
    } else if (SPACES.has(c)) {
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
  if (words.length > MAX_WORDS) {
    throw new ConfigError({ file, line, directive: words[0] }, `too many words: ${words.length}, HAProxy reads at most ${MAX_WORDS} on a line`,
      'split the line in two: several acl (or http-check) lines with the same name add up');
  }
  return words;
}

/**
 * @param {string} file
 * @param {number} line
 * @param {string} char
 * @param {number} index where it is in the line, from 0
 */
function invisibleError(file, line, char, index) {
  if (char === '\r') {
    return new ConfigError({ file, line }, `a carriage return (U+000D) at position ${index + 1}, in the middle of the line`,
      'HAProxy ends the line there and silently ignores the rest: delete the character, or join the two parts of the line');
  }
  return new ConfigError({ file, line }, `${invisibleName(char)} at position ${index + 1}`, invisibleHint(char, line === 1 && index === 0));
}
