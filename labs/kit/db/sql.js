// @ts-check
/**
 * The miniature's SQL: a parser for the few statements it knows. Clients send
 *
 *   INSERT INTO guestbook (name, message) VALUES (?, ?)
 *   SELECT id, name, message FROM guestbook [WHERE id = ?] [ORDER BY id DESC] [LIMIT 10]
 *   SELECT COUNT(*) FROM guestbook
 *
 * and the init file sets the server up with
 *
 *   CREATE DATABASE [IF NOT EXISTS] shop
 *   CREATE TABLE [IF NOT EXISTS] shop.guestbook (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(80), ...)
 *   CREATE USER [IF NOT EXISTS] 'app'@'10.0.0.31' IDENTIFIED BY 'secret'
 *   GRANT ALL PRIVILEGES ON shop.* TO 'app'@'10.0.0.31'      (or GRANT SELECT, INSERT ON ...)
 *   USE shop     FLUSH PRIVILEGES
 *
 * Everything else is an error with MySQL's number: 1064 for what is not SQL, 1235 for real SQL that the
 * miniature does not implement (UPDATE, DELETE, JOIN, ...).
 */
import { SqlError, TokenReader, tokenize } from './sql-tokens.js';

/**
 * @typedef {import('./sql-tokens.js').Token} Token
 * @typedef {{ db: string | undefined, name: string }} TableName
 * @typedef {import('./sql-tokens.js').Value} Value
 * @typedef {{ name: string, autoIncrement: boolean, defaultNow: boolean }} Column
 * @typedef {{ user: string, host: string }} AccountName
 * @typedef {{ kind: 'select', table: TableName, columns: string[] | 'count', where: { column: string, value: Value } | undefined,
 *   order: { column: string, descending: boolean } | undefined, limit: Value | undefined }} Select
 * @typedef {{ kind: 'insert', table: TableName, columns: string[], values: Value[] }} Insert
 * @typedef {{ kind: 'create-database', name: string, ifNotExists: boolean }} CreateDatabase
 * @typedef {{ kind: 'create-table', table: TableName, ifNotExists: boolean, columns: Column[] }} CreateTable
 * @typedef {{ kind: 'create-user', account: AccountName, ifNotExists: boolean, password: string }} CreateUser
 * @typedef {{ kind: 'grant', privileges: string[], db: string, table: string, account: AccountName }} Grant
 * @typedef {Select | Insert | CreateDatabase | CreateTable | CreateUser | Grant | { kind: 'use', name: string } | { kind: 'flush' }} Statement
 */

const PRIVILEGES = ['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'CREATE', 'DROP', 'INDEX', 'ALTER', 'USAGE'];
const OTHER_SQL = ['UPDATE', 'DELETE', 'DROP', 'ALTER', 'CREATE', 'REPLACE', 'TRUNCATE', 'SHOW', 'SET', 'REVOKE',
  'BEGIN', 'START', 'COMMIT', 'ROLLBACK', 'DESCRIBE', 'EXPLAIN'];
const TABLE_KEYS = ['PRIMARY', 'KEY', 'INDEX', 'UNIQUE', 'CONSTRAINT', 'FOREIGN'];

/**
 * One statement, as a client sends it; a semicolon at the end is allowed.
 * @param {string} source
 * @returns {Statement}
 */
export function parseStatement(source) {
  const tokens = tokenize(source);
  if (tokens.length > 0 && isSymbol(tokens[tokens.length - 1], ';')) tokens.pop();
  return statement(new TokenReader(source, tokens));
}

/**
 * Statements separated by semicolons, as in the init file, each with the line it starts on.
 * @param {string} source
 * @returns {{ statement: Statement, line: number }[]}
 */
export function parseScript(source) {
  const tokens = tokenize(source);
  const statements = [];
  let start = 0;
  for (let end = 0; end <= tokens.length; end++) {
    if (end < tokens.length && !isSymbol(tokens[end], ';')) continue;
    if (end > start) statements.push({ statement: statement(new TokenReader(source, tokens.slice(start, end))), line: tokens[start].line });
    start = end + 1;
  }
  return statements;
}

/** @param {TokenReader} r @returns {Statement} */
function statement(r) {
  const parsed = verb(r);
  if (r.peek()) throw r.error();
  return parsed;
}

/** @param {TokenReader} r @returns {Statement} */
function verb(r) {
  if (r.accept('SELECT')) return select(r);
  if (r.accept('INSERT')) return insert(r);
  if (r.accept('GRANT')) return grant(r);
  if (r.accept('USE')) return { kind: 'use', name: r.identifier() };
  if (r.accept('FLUSH') && r.accept('PRIVILEGES')) return { kind: 'flush' };
  if (r.accept('CREATE')) {
    if (r.accept('DATABASE') || r.accept('SCHEMA')) return { kind: 'create-database', ifNotExists: ifNotExists(r), name: r.identifier() };
    if (r.accept('TABLE')) return createTable(r);
    if (r.accept('USER')) {
      const ifNotExisting = ifNotExists(r);
      const account = accountName(r);
      const password = r.accept('IDENTIFIED') && r.accept('BY') ? r.string() : '';
      return { kind: 'create-user', ifNotExists: ifNotExisting, account, password };
    }
  }
  const [first, second] = r.tokens.map((token) => token.text.toUpperCase());
  if (!OTHER_SQL.includes(first)) throw r.error();
  const what = ['CREATE', 'DROP', 'ALTER'].includes(first) ? `${first} ${second ?? ''}`.trim() : first;
  throw new SqlError(1235, '42000', `This version of MariaDB doesn't yet support '${what}' (the miniature knows` +
    ' SELECT, INSERT, CREATE DATABASE, CREATE TABLE, CREATE USER, GRANT, USE and FLUSH PRIVILEGES)', r.tokens[0].line);
}

/** @param {TokenReader} r @returns {Select} */
function select(r) {
  /** @type {string[] | 'count'} */
  let columns = ['*'];
  if (r.accept('COUNT')) {
    r.expect('(', '*', ')');
    columns = 'count';
  } else if (!r.accept('*')) {
    columns = r.list(() => r.identifier());
  }
  r.expect('FROM');
  const table = tableName(r);
  let where;
  if (r.accept('WHERE')) {
    const column = r.identifier();
    r.expect('=');
    where = { column, value: r.value() };
  }
  let order;
  if (r.accept('ORDER')) {
    r.expect('BY');
    const column = r.identifier();
    const descending = r.accept('DESC');
    if (!descending) r.accept('ASC');
    order = { column, descending };
  }
  const limit = r.accept('LIMIT') ? r.value() : undefined;
  return { kind: 'select', table, columns, where, order, limit };
}

/** @param {TokenReader} r @returns {Insert} */
function insert(r) {
  r.expect('INTO');
  const table = tableName(r);
  r.expect('(');
  const columns = r.list(() => r.identifier());
  r.expect(')', 'VALUES', '(');
  const values = r.list(() => r.value());
  r.expect(')');
  return { kind: 'insert', table, columns, values };
}

/** @param {TokenReader} r @returns {CreateTable} */
function createTable(r) {
  const ifNotExisting = ifNotExists(r);
  const table = tableName(r);
  r.expect('(');
  /** @type {Column[]} */
  const columns = [];
  do {
    const [name, ...rest] = definition(r);
    if (!name || rest.length === 0 || (name.type !== 'word' && name.type !== 'name')) throw r.error();
    if (name.type === 'word' && TABLE_KEYS.includes(name.text.toUpperCase())) continue;
    const words = rest.map((token) => token.text.toUpperCase()).join(' ');
    columns.push({ name: name.text, autoIncrement: /\bAUTO_INCREMENT\b/.test(words), defaultNow: /\bDEFAULT CURRENT_TIMESTAMP\b/.test(words) });
  } while (r.accept(','));
  r.expect(')');
  r.next = r.tokens.length; // table options (ENGINE=InnoDB, DEFAULT CHARSET=utf8mb4) change nothing here
  return { kind: 'create-table', ifNotExists: ifNotExisting, table, columns };
}

/**
 * The tokens of one column or key definition: up to a comma or the closing parenthesis.
 * @param {TokenReader} r
 */
function definition(r) {
  const start = r.next;
  for (let depth = 0; r.peek(); r.next++) {
    const token = r.tokens[r.next];
    if (depth === 0 && (isSymbol(token, ',') || isSymbol(token, ')'))) break;
    if (isSymbol(token, '(')) depth++;
    if (isSymbol(token, ')')) depth--;
  }
  return r.tokens.slice(start, r.next);
}

/** @param {TokenReader} r @returns {Grant} */
function grant(r) {
  let privileges = ['ALL'];
  if (r.accept('ALL')) r.accept('PRIVILEGES');
  else privileges = r.list(() => privilege(r));
  r.expect('ON');
  const db = r.accept('*') ? '*' : r.identifier();
  r.expect('.');
  const table = r.accept('*') ? '*' : r.identifier();
  r.expect('TO');
  const account = accountName(r);
  if (r.accept('WITH')) r.expect('GRANT', 'OPTION');
  return { kind: 'grant', privileges, db, table, account };
}

/** @param {TokenReader} r */
function privilege(r) {
  const word = r.peek()?.text.toUpperCase() ?? '';
  if (!PRIVILEGES.includes(word) || !r.accept(word)) throw r.error();
  return word;
}

/**
 * `'app'@'10.0.0.31'`; without `@host` the host is '%', any host.
 * @param {TokenReader} r
 * @returns {AccountName}
 */
function accountName(r) {
  const user = r.peek()?.type === 'string' ? r.string() : r.identifier();
  if (!r.accept('@')) return { user, host: '%' };
  return { user, host: r.peek()?.type === 'string' ? r.string() : r.identifier() };
}

/** `name` or `database.name` @param {TokenReader} r @returns {TableName} */
function tableName(r) {
  const first = r.identifier();
  return r.accept('.') ? { db: first, name: r.identifier() } : { db: undefined, name: first };
}

/** @param {TokenReader} r */
function ifNotExists(r) {
  if (!r.accept('IF')) return false;
  r.expect('NOT', 'EXISTS');
  return true;
}

/** @param {import('./sql-tokens.js').Token} token @param {string} symbol */
function isSymbol(token, symbol) {
  return token.type === 'symbol' && token.text === symbol;
}
