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
import { parseScript } from './sql.js';
import { SqlError } from './sql-tokens.js';

const HINT = 'the init file may hold CREATE DATABASE, CREATE TABLE, CREATE USER, GRANT, USE and FLUSH PRIVILEGES';

/**
 * @param {string} file
 * @param {import('./database.js').Database} database
 * @param {import('./accounts.js').Accounts} accounts
 */
export async function runInitFile(file, database, accounts) {
  let line = 0;
  try {
    /** @type {string | undefined} */
    let current;
    for (const step of parseScript(readFileSync(file, 'utf8'))) {
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
    if (error instanceof SqlError) throw new ConfigError({ file, line: error.line ?? line }, error.format(), hintFor(error));
    if (/** @type {NodeJS.ErrnoException} */ (error).code === 'ENOENT') {
      throw new ConfigError({ file, line: 0 }, 'cannot read the init file: it does not exist', 'check init_file in my.cnf: a relative path is relative to the folder of my.cnf');
    }
    throw error;
  }
}

/** @param {SqlError} error */
function hintFor(error) {
  if (error.errno === 1050 || error.errno === 1007 || error.errno === 1396) return 'write IF NOT EXISTS: the init file runs at every start';
  if (error.errno === 1049) return 'create the database first, above this line: CREATE DATABASE IF NOT EXISTS name;';
  return HINT;
}
