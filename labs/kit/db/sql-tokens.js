// @ts-check
/**
 * Cuts SQL text into tokens and reads them one by one; and defines the error that every part of the database
 * answers with: a MySQL error number, its SQLSTATE and its message, printed as the mysql client prints it:
 *
 *   ERROR 1045 (28000): Access denied for user 'app'@'10.0.0.99' (using password: YES)
 */

export class SqlError extends Error {
  /**
   * @param {number} errno   MySQL's error number, e.g. 1045
   * @param {string} sqlState the SQL standard's five-character state, e.g. 28000
   * @param {string} message
   * @param {number} [line]   where in a script the error is, when it comes from a file
   */
  constructor(errno, sqlState, message, line) {
    super(message);
    this.name = 'SqlError';
    this.errno = errno;
    this.sqlState = sqlState;
    this.line = line;
  }

  format() {
    return `ERROR ${this.errno} (${this.sqlState}): ${this.message}`;
  }
}

/**
 * @typedef {object} Token
 * @property {'word' | 'name' | 'string' | 'number' | 'param' | 'symbol'} type
 *   word: a keyword or a bare name; name: a `quoted` name; param: a `?` placeholder
 * @property {string} text  the value: quotes removed, escapes decoded
 * @property {number} at    the offset in the source, to quote it in syntax errors
 * @property {number} line
 */

/** @typedef {{ param: number } | { literal: string | number | null }} Value */

/** What a token may be, tried in this order; each kind is one capturing group. */
const TOKEN_KINDS = [
  /([ \t\n\r\f\v]+|--[^\n]*|#[^\n]*|\/\*[\s\S]*?\*\/)/, // blanks and comments: -- to the end of the line, # too, /* ... */
  // (blanks are C's spaces, as in MariaDB: a no-break space or a byte-order mark is not one, and is an error)
  /('(?:[^'\\]|\\[\s\S]|'')*')/, // 'a string', with '' or \' for a quote
  /("(?:[^"\\]|\\[\s\S]|"")*")/, // "a string"
  /(`(?:[^`]|``)*`)/, // `a quoted name`
  /(\d+(?:\.\d+)?)/, // a number
  /([A-Za-z_$][\w$]*)/, // a keyword or a name
  /(\?)/, // a parameter
  /([(),;.@*=])/, // a symbol
];

/**
 * @param {string} source
 * @returns {Token[]}
 */
export function tokenize(source) {
  /** @type {Token[]} */
  const tokens = [];
  const pattern = new RegExp(TOKEN_KINDS.map((kind) => kind.source).join('|'), 'y');
  let line = 1;
  while (pattern.lastIndex < source.length) {
    const at = pattern.lastIndex;
    const match = pattern.exec(source);
    if (!match) throw syntaxError(source, at, line);
    const [text, blank, single, double, quoted, number, word, param] = match;
    if (single || double) tokens.push({ type: 'string', text: unescape(text), at, line });
    else if (quoted) tokens.push({ type: 'name', text: text.slice(1, -1).replaceAll('``', '`'), at, line });
    else if (number) tokens.push({ type: 'number', text, at, line });
    else if (word) tokens.push({ type: 'word', text, at, line });
    else if (param) tokens.push({ type: 'param', text, at, line });
    else if (!blank) tokens.push({ type: 'symbol', text, at, line });
    line += text.split('\n').length - 1;
  }
  return tokens;
}

/** Reads a statement's tokens from left to right; sql.js builds the statements with it. */
export class TokenReader {
  /** @param {string} source @param {Token[]} tokens */
  constructor(source, tokens) {
    this.source = source;
    this.tokens = tokens;
    this.next = 0;
    this.params = 0;
  }

  peek() {
    return this.tokens[this.next];
  }

  /** Takes the keyword or symbol if it comes next. @param {string} word */
  accept(word) {
    const token = this.peek();
    if (!token || (token.type !== 'word' && token.type !== 'symbol') || token.text.toUpperCase() !== word) return false;
    this.next++;
    return true;
  }

  /** @param {...string} words */
  expect(...words) {
    for (const word of words) if (!this.accept(word)) throw this.error();
  }

  identifier() {
    const token = this.peek();
    if (token?.type !== 'word' && token?.type !== 'name') throw this.error();
    this.next++;
    return token.text;
  }

  string() {
    const token = this.peek();
    if (token?.type !== 'string') throw this.error();
    this.next++;
    return token.text;
  }

  /** A value in a statement: `?` (the next parameter), 'text', 42 or NULL. @returns {Value} */
  value() {
    const token = this.peek();
    if (this.accept('NULL')) return { literal: null };
    if (token?.type !== 'param' && token?.type !== 'string' && token?.type !== 'number') throw this.error();
    this.next++;
    if (token.type === 'param') return { param: this.params++ };
    return { literal: token.type === 'number' ? Number(token.text) : token.text };
  }

  /**
   * @template T
   * @param {() => T} item
   */
  list(item) {
    const items = [item()];
    while (this.accept(',')) items.push(item());
    return items;
  }

  /** A syntax error at the next token, or at the end. */
  error() {
    const token = this.peek();
    const last = this.tokens[this.tokens.length - 1];
    return token ? syntaxError(this.source, token.at, token.line) : syntaxError(this.source, this.source.length, last?.line ?? 1);
  }
}

/**
 * MySQL's answer to anything it cannot parse, quoting the text from where it stopped understanding.
 * @param {string} source
 * @param {number} at
 * @param {number} line
 */
export function syntaxError(source, at, line) {
  return new SqlError(1064, '42000', 'You have an error in your SQL syntax; check the manual that corresponds to your' +
    ` MariaDB server version for the right syntax to use near '${source.slice(at, at + 60).split('\n')[0]}' at line ${line}`, line);
}

/**
 * A quoted string's value: '' stands for ', and a backslash escapes the next character (\n is a newline).
 * @param {string} text the string with its quotes
 */
function unescape(text) {
  const quote = text[0];
  return text.slice(1, -1).replace(/\\([\s\S])|''|""/g, (match, /** @type {string | undefined} */ escaped) => {
    if (escaped === undefined) return match[0] === quote ? quote : match;
    return { n: '\n', t: '\t', r: '\r', 0: '\0' }[escaped] ?? escaped;
  });
}
