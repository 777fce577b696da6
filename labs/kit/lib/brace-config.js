// @ts-check
/**
 * Reads the block-structured configuration that nginx and keepalived share: directives with arguments, and blocks
 * in braces. The two differ in one way: nginx ends a directive with `;`, keepalived with the end of the line.
 *
 *   nginx:      server { listen 80; root /var/www; }
 *   keepalived: vrrp_instance VI_1 {
 *                 state MASTER
 *               }
 *
 * The result is a tree of directives, each with the line it was written on, so that every later error can name it.
 */
import { ConfigError } from './config-error.js';

/**
 * @typedef {object} Directive
 * @property {string} name
 * @property {string[]} args
 * @property {number} line
 * @property {Directive[] | undefined} children   the block's contents, or undefined for a simple directive
 */

/**
 * @param {string} text
 * @param {object} options
 * @param {string} options.file         the file name for error messages
 * @param {'semicolon' | 'newline'} options.end  how a directive ends
 * @param {string} [options.comments]   characters that start a comment (default `#`)
 * @returns {Directive[]}
 */
export function parseBraceConfig(text, { file, end, comments = '#' }) {
  const tokens = tokenize(text, file, comments);
  /** @type {Directive[][]} */
  const stack = [[]];
  /** @type {{ name: string, line: number }[]} */
  const open = [];
  /** @type {{ text: string, line: number }[]} */
  let words = [];

  const finish = () => {
    if (words.length === 0) return;
    const [first, ...rest] = words;
    stack[stack.length - 1].push({ name: first.text, args: rest.map((w) => w.text), line: first.line, children: undefined });
    words = [];
  };

  for (const token of tokens) {
    if (token.kind === 'word') {
      words.push(token);
    } else if (token.kind === 'newline') {
      if (end === 'newline') finish();
    } else if (token.kind === ';') {
      if (end === 'newline') throw new ConfigError({ file, line: token.line }, `unexpected ';'`, 'keepalived directives end at the end of the line, without a semicolon');
      if (words.length === 0) throw new ConfigError({ file, line: token.line }, `unexpected ';'`, 'remove the extra semicolon');
      finish();
    } else if (token.kind === '{') {
      if (words.length === 0) throw new ConfigError({ file, line: token.line }, `'{' without a directive name before it`, 'a block starts with its name, as in: server {');
      const [first, ...rest] = words;
      /** @type {Directive} */
      const block = { name: first.text, args: rest.map((w) => w.text), line: first.line, children: [] };
      stack[stack.length - 1].push(block);
      stack.push(/** @type {Directive[]} */ (block.children));
      open.push({ name: first.text, line: first.line });
      words = [];
    } else if (token.kind === '}') {
      if (words.length > 0) {
        if (end === 'semicolon') {
          throw new ConfigError({ file, line: words[0].line, directive: words[0].text }, `directive is not terminated by ';'`, `add ';' at the end of line ${words[words.length - 1].line}`);
        }
        finish();
      }
      if (open.length === 0) throw new ConfigError({ file, line: token.line }, `unexpected '}'`, 'there is no open block to close here: remove it or add the missing opening line');
      open.pop();
      stack.pop();
    }
  }
  if (words.length > 0) {
    if (end === 'semicolon') {
      throw new ConfigError({ file, line: words[0].line, directive: words[0].text }, `directive is not terminated by ';'`, `add ';' at the end of line ${words[words.length - 1].line}`);
    }
    finish();
  }
  if (open.length > 0) {
    const block = open[open.length - 1];
    throw new ConfigError({ file, line: block.line, directive: block.name }, `block opened here is never closed: unexpected end of file`, `add the missing '}'`);
  }
  return stack[0];
}

/**
 * @param {string} text
 * @param {string} file
 * @param {string} comments
 * @returns {Array<{ kind: 'word', text: string, line: number } | { kind: 'newline' | ';' | '{' | '}', line: number }>}
 */
function tokenize(text, file, comments) {
  /** @type {ReturnType<typeof tokenize>} */
  const tokens = [];
  let line = 1;
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '\n') {
      tokens.push({ kind: 'newline', line });
      line++;
      i++;
    } else if (c === ' ' || c === '\t' || c === '\r') {
      i++;
    } else if (comments.includes(c)) {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === ';' || c === '{' || c === '}') {
      tokens.push({ kind: /** @type {';' | '{' | '}'} */ (c), line });
      i++;
    } else if (c === '"' || c === "'") {
      const start = line;
      let value = '';
      i++;
      while (i < text.length && text[i] !== c) {
        if (text[i] === '\\' && i + 1 < text.length) i++;
        if (text[i] === '\n') line++;
        value += text[i++];
      }
      if (i >= text.length) throw new ConfigError({ file, line: start }, `unterminated quoted string`, `add the closing ${c}`);
      i++;
      tokens.push({ kind: 'word', text: value, line: start });
    } else {
      let value = '';
      while (i < text.length && !/[\s;{}]/.test(text[i]) && !(comments.includes(text[i]) && value === '')) value += text[i++];
      tokens.push({ kind: 'word', text: value, line });
    }
  }
  return tokens;
}
