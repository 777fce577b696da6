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
 * For nginx, an error in the file's structure names the line where nginx detects it, as `nginx -t` does: a missing
 * `;` the line of the token that follows, an unclosed block or quote the end of the file. What the reader knows
 * beyond that (the line where the directive or the block began) follows in the message.
 * A character that looks like a space but is not one (a no-break space, a byte-order mark) is an error that names
 * it and its column: see invisible.js for what the real programs do with each.
 */
import { ConfigError } from './config-error.js';
import { invisibleHint, invisibleName } from './invisible.js';

/**
 * @typedef {object} Directive
 * @property {string} name
 * @property {string[]} args
 * @property {number} line       where its name is written
 * @property {number} end        where it ends: the line of its `;` or `{` (of its last word for keepalived). nginx
 *   names this line in an error about the directive, which differs from `line` when a directive spans lines
 * @property {number} [close]    for a block, the line of its `}` (the end of the file when it has none): nginx names
 *   this line for what it checks when a block ends, such as an upstream without servers
 * @property {Directive[] | undefined} children   the block's contents, or undefined for a simple directive
 */

/** @typedef {{ kind: 'word', text: string, line: number } | { kind: 'newline' | ';' | '{' | '}', line: number }} Token */

/**
 * What separates words, besides the line feed. nginx takes space, tab and carriage return; keepalived reads with
 * C's isspace(), which adds form feed and vertical tab (measured: nginx 1.22 refuses `listen\f80;`, keepalived
 * 2.2.7 accepts `priority\f101`).
 */
const SPACES = { semicolon: ' \t\r', newline: ' \t\r\f\v' };

/**
 * @param {string} text
 * @param {object} options
 * @param {string} options.file         the file name for error messages
 * @param {'semicolon' | 'newline'} options.end  how a directive ends: nginx's `;`, or keepalived's end of line
 * @param {string} [options.comments]   characters that start a comment (default `#`)
 * @param {ConfigError[]} [options.errors] collect every error here and read on, instead of throwing the first
 *   (keepalived reports every error of a file in one run); the tree returned is then the best reading of the file
 * @returns {Directive[]}
 */
export function parseBraceConfig(text, { file, end, comments = '#', errors }) {
  const report = (/** @type {ConfigError} */ error) => {
    if (!errors) throw error;
    errors.push(error);
  };
  const tokens = tokenize(text, { file, end, comments, report });
  /** Where nginx says the file ends: the line after the last line feed. */
  const endOfFile = text.split('\n').length;
  /** @type {Directive[][]} */
  const stack = [[]];
  /** @type {{ name: string, line: number, block?: Directive }[]} */
  const open = [];
  /** @type {{ text: string, line: number }[]} */
  let words = [];

  /** @param {number} endLine */
  const finish = (endLine) => {
    if (words.length === 0) return;
    const [first, ...rest] = words;
    stack[stack.length - 1].push({ name: first.text, args: rest.map((w) => w.text), line: first.line, end: endLine, children: undefined });
    words = [];
  };
  /**
   * nginx's words first, at the line where it notices; then which directive lacks its `;`.
   * @param {number} line
   * @param {string} found
   */
  const unterminated = (line, found) => {
    const last = words[words.length - 1].line;
    const started = words[0].line === last ? `on line ${last}` : `from line ${words[0].line}`;
    report(new ConfigError({ file, line }, `${found}: the '${words[0].text}' directive ${started} is not terminated by ';'`,
      `add ';' at the end of line ${last}`));
    words = [];
  };

  for (const token of tokens) {
    if (token.kind === 'word') {
      words.push(token);
    } else if (token.kind === 'newline') {
      if (end === 'newline') finish(token.line);
    } else if (token.kind === ';') {
      if (end === 'newline') report(new ConfigError({ file, line: token.line }, `unexpected ';'`, 'keepalived directives end at the end of the line, without a semicolon'));
      else if (words.length === 0) report(new ConfigError({ file, line: token.line }, `unexpected ';'`, 'remove the extra semicolon'));
      else finish(token.line);
    } else if (token.kind === '{') {
      if (words.length === 0) {
        report(new ConfigError({ file, line: token.line }, `'{' without a directive name before it`, 'a block starts with its name, as in: server {'));
        // Read on with the nameless block's contents set aside, so that its closing brace still matches.
        stack.push([]);
        open.push({ name: '{', line: token.line });
        continue;
      }
      const [first, ...rest] = words;
      /** @type {Directive} */
      const block = { name: first.text, args: rest.map((w) => w.text), line: first.line, end: token.line, close: endOfFile, children: [] };
      stack[stack.length - 1].push(block);
      stack.push(/** @type {Directive[]} */ (block.children));
      open.push({ name: first.text, line: first.line, block });
      words = [];
    } else if (token.kind === '}') {
      if (words.length > 0) {
        if (end === 'semicolon') unterminated(token.line, 'unexpected "}"');
        else finish(words[words.length - 1].line);
      }
      if (open.length === 0) {
        report(new ConfigError({ file, line: token.line }, `unexpected '}'`, 'there is no open block to close here: remove it or add the missing opening line'));
      } else {
        const closed = open.pop();
        if (closed?.block) closed.block.close = token.line;
        stack.pop();
      }
    }
  }
  if (words.length > 0) {
    if (end === 'semicolon') unterminated(endOfFile, 'unexpected end of file, expecting ";" or "}"');
    else finish(words[words.length - 1].line);
  }
  // A quote left open swallows the rest of the file, closing braces and all: that is the one error to report.
  if (open.length > 0 && !tokens.unclosedQuote) {
    const block = open[open.length - 1];
    if (end === 'semicolon') {
      report(new ConfigError({ file, line: endOfFile }, `unexpected end of file, expecting "}": the '${block.name}' block opened on line ${block.line} is never closed`,
        `add the missing '}'`));
    } else {
      report(new ConfigError({ file, line: block.line, directive: block.name }, `block opened here is never closed: unexpected end of file`, `add the missing '}'`));
    }
  }
  return stack[0];
}

/**
 * Splits the text into tokens. Every turn of the loop consumes at least one character or ends the loop, whatever
 * the input: a character that is neither a space, a comment, a quote nor punctuation starts a word, and a word
 * takes that character before it looks at the next one.
 * @param {string} text
 * @param {object} options
 * @param {string} options.file
 * @param {'semicolon' | 'newline'} options.end
 * @param {string} options.comments
 * @param {(error: ConfigError) => void} options.report  throws, or records the error and lets the reading go on
 * @returns {Token[] & { unclosedQuote?: boolean }}
 */
function tokenize(text, { file, end, comments, report }) {
  const spaces = SPACES[end];
  /** @type {Token[] & { unclosedQuote?: boolean }} */
  const tokens = [];
  let line = 1;
  let lineStart = 0;
  let i = 0;
  /** An invisible character is reported, then read as a space, so that the rest of the file is still checked. */
  const invisibleAt = (/** @type {number} */ at) => {
    const name = invisibleName(text[at]);
    if (name === undefined) return false;
    report(new ConfigError({ file, line }, `${name} at column ${at - lineStart + 1}`, invisibleHint(text[at], at === 0)));
    return true;
  };
  const isWordChar = (/** @type {string} */ c) => c !== '\n' && !spaces.includes(c) && !';{}"\''.includes(c) && invisibleName(c) === undefined;

  while (i < text.length) {
    const c = text[i];
    if (c === '\n') {
      tokens.push({ kind: 'newline', line });
      line++;
      i++;
      lineStart = i;
    } else if (spaces.includes(c) || invisibleAt(i)) {
      i++;
    } else if (comments.includes(c)) {
      const next = text.indexOf('\n', i);
      i = next === -1 ? text.length : next;
    } else if (c === ';' || c === '{' || c === '}') {
      tokens.push({ kind: c, line });
      i++;
    } else if (c === '"' || c === "'") {
      const start = line;
      let value = '';
      i++;
      while (i < text.length && text[i] !== c) {
        if (text[i] === '\\' && i + 1 < text.length) i++;
        if (text[i] === '\n') {
          line++;
          lineStart = i + 1;
        } else if (text[i] !== '\t' && text[i] !== '\r') {
          invisibleAt(i);
        }
        value += text[i++];
      }
      if (i >= text.length) {
        // nginx reads on to the end of the file and names its last line there.
        report(end === 'semicolon'
          ? new ConfigError({ file, line }, `unexpected end of file, expecting ";" or "}": the quoted string opened on line ${start} is never closed`, `add the closing ${c}`)
          : new ConfigError({ file, line: start }, `unterminated quoted string`, `add the closing ${c}`));
        tokens.unclosedQuote = true;
        break;
      }
      i++;
      tokens.push({ kind: 'word', text: value, line: start });
    } else {
      const start = i;
      i++;
      // A comment character inside a word is part of it, as in nginx and keepalived: `#` starts a comment only there.
      while (i < text.length && isWordChar(text[i])) i++;
      tokens.push({ kind: 'word', text: text.slice(start, i), line });
    }
  }
  return tokens;
}
