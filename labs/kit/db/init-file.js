// @ts-check
/**
 * The init file (my.cnf's `init_file`): SQL that the server runs at every start, here to create the database, its
 * tables, the accounts and their privileges. The same file runs on a real MariaDB or MySQL server.
 *
 * Because it runs at every start, write CREATE ... IF NOT EXISTS: the tables are still there from the last run.
 * A failing statement stops the miniature with the file and the line. MariaDB only logs the error, skips the rest
 * of the file and starts anyway, so that the accounts after the mistake are silently missing.
 */
import { readFileSync } from 'node:fs';
import { ConfigError } from '../lib/config-error.js';
import { findInvisible } from './option-lines.js';
import { parseScript } from './sql.js';
import { SqlError } from './sql-tokens.js';

const HINT = 'the init file may hold CREATE DATABASE, CREATE TABLE, CREATE USER, GRANT, USE and FLUSH PRIVILEGES';

/**
 * @param {string} file
 * @param {import('./database.js').Database} database
 * @param {import('./accounts.js').Accounts} accounts
 * @param {{ file: string, line: number | undefined }} origin my.cnf and the line of its init_file, for a file that cannot be read
 */
export async function runInitFile(file, database, accounts, origin) {
  const source = readInitFile(file, origin);
  let line = 0;
  try {
    /** @type {string | undefined} */
    let current;
    for (const step of parseScript(source)) {
      line = step.line;
      const statement = step.statement;
      switch (statement.kind) {
        case 'create-user': accounts.createUser(statement); break;
        case 'grant': accounts.grant(statement); break;
        case 'create-database': case 'create-table': await database.create(statement, current); break;
        case 'use':
          database.tables.database(statement.name); // throws 1049 when there is no such database
          current = statement.name;
          break;
        case 'flush': break;
        default:
          throw new ConfigError({ file, line, directive: statement.kind.toUpperCase() }, 'not an init-file statement in the miniature',
            `${HINT}; rows are written by clients (a statement here would run again at every start)`);
      }
    }
  } catch (error) {
    if (error instanceof SqlError) throw new ConfigError({ file, line: error.line ?? line }, error.format(), hintFor(error, source));
    throw error;
  }
}

/**
 * The init file's text. MariaDB stops when it cannot open the file (`Can't create/write to file 'grants.sql'
 * (Errcode: 2 "No such file or directory")`), naming the file but not the line of my.cnf that asked for it; it
 * starts anyway when the file is a folder, logging `Bootstrap file error`. The miniature names my.cnf's line.
 * @param {string} file
 * @param {{ file: string, line: number | undefined }} origin
 */
function readInitFile(file, origin) {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const code = /** @type {NodeJS.ErrnoException} */ (error).code;
    const why = { ENOENT: 'does not exist', EISDIR: 'is a folder, not a file', EACCES: 'cannot be read: permission denied' }[code ?? '']
      ?? `cannot be read: ${/** @type {Error} */ (error).message}`;
    throw new ConfigError({ file: origin.file, line: origin.line ?? 0, directive: 'init_file' }, `the init file ${file} ${why}`,
      'check init_file: a relative path is relative to the folder of my.cnf');
  }
}

/**
 * @param {SqlError} error
 * @param {string} source the init file, to name a character that a person cannot see
 */
function hintFor(error, source) {
  if (error.errno === 1050 || error.errno === 1007 || error.errno === 1396) return 'write IF NOT EXISTS: the init file runs at every start';
  if (error.errno === 1049) return 'create the database first, above this line: CREATE DATABASE IF NOT EXISTS name;';
  const invisible = error.errno === 1064 && error.line ? findInvisible(source.split('\n')[error.line - 1] ?? '', error.line === 1) : undefined;
  if (invisible) return `line ${error.line} holds ${invisible.name} at column ${invisible.column}, which is not SQL: ${invisible.hint}`;
  return HINT;
}
