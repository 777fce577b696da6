// @ts-check
/**
 * The database: the tables in memory, and the log on disk that every change goes through first.
 *
 * At start it replays the log into the tables. A torn last record (the server died while writing it) is reported,
 * and the file is cut back to the last whole record, so that new records follow good ones.
 * Then, for every change: write it to the log, wait for the disk, apply it, answer. A reader therefore only ever
 * sees rows that are on disk. (That is innodb_flush_log_at_trx_commit = 1, the default; 0 and 2 answer before the
 * disk has the change: lazy-log.js.)
 */
import { mkdirSync, readFileSync, truncateSync } from 'node:fs';
import path from 'node:path';
import { LazyLogWriter } from './lazy-log.js';
import { LogWriter, decodeRecords } from './log.js';
import { SqlError } from './sql-tokens.js';
import { Tables } from './tables.js';

/** The log's name in the datadir. */
export const LOG_FILE = 'changes.log';

export class Database {
  /**
   * @param {string} datadir
   * @param {(message: string) => void} warn
   * @param {{ flushLogAtTrxCommit: 0 | 1 | 2, flushLogAtTimeout: number }} [flush] my.cnf's
   *   innodb_flush_log_at_trx_commit (1: on disk before "OK"; 0 and 2: every flushLogAtTimeout seconds, lazy-log.js)
   */
  static async open(datadir, warn, { flushLogAtTrxCommit, flushLogAtTimeout } = { flushLogAtTrxCommit: 1, flushLogAtTimeout: 1 }) {
    mkdirSync(datadir, { recursive: true });
    const file = path.join(datadir, LOG_FILE);
    const tables = new Tables();
    let bytes = Buffer.alloc(0);
    try {
      bytes = readFileSync(file);
    } catch (error) {
      if (/** @type {NodeJS.ErrnoException} */ (error).code !== 'ENOENT') throw error;
    }
    const { changes, goodBytes, torn } = decodeRecords(bytes);
    for (const change of changes) tables.apply(/** @type {import('./tables.js').Change} */ (change));
    if (torn) {
      warn(`${file}: the last record is torn (${torn}): the server stopped while writing it, before acknowledging it.` +
        ` Dropped it: the log now ends at byte ${goodBytes}, after record ${changes.length}.`);
      truncateSync(file, goodBytes);
    }
    const log = flushLogAtTrxCommit === 1 ? await LogWriter.open(file) : await LazyLogWriter.open(file, flushLogAtTrxCommit, flushLogAtTimeout * 1000);
    return new Database(tables, log, changes.length);
  }

  /**
   * @param {Tables} tables
   * @param {LogWriter | LazyLogWriter} log
   * @param {number} replayed how many records the log held at start
   */
  constructor(tables, log, replayed) {
    this.tables = tables;
    this.log = log;
    this.replayed = replayed;
  }

  /**
   * CREATE DATABASE and CREATE TABLE, from the init file.
   * @param {import('./sql.js').CreateDatabase | import('./sql.js').CreateTable} statement
   * @param {string | undefined} current the database chosen with USE
   */
  async create(statement, current) {
    if (statement.kind === 'create-database') {
      if (this.tables.databases.has(statement.name)) {
        if (statement.ifNotExists) return;
        throw new SqlError(1007, 'HY000', `Can't create database '${statement.name}'; database exists`);
      }
      await this.write({ op: 'create-database', db: statement.name });
      return;
    }
    const db = databaseOf(statement.table, current);
    if (this.tables.database(db).has(statement.table.name)) {
      if (statement.ifNotExists) return;
      throw new SqlError(1050, '42S01', `Table '${statement.table.name}' already exists`);
    }
    await this.write({ op: 'create-table', db, table: statement.table.name, columns: statement.columns });
  }

  /**
   * A client's SELECT or INSERT.
   * @param {import('./sql.js').Statement} statement
   * @param {unknown[]} params
   * @param {string | undefined} current the database the client named when it connected
   * @param {(privilege: string, db: string, table: string) => void} check throws when the client may not
   * @returns {Promise<{ rows: import('./tables.js').Row[] } | { insertId: unknown, affectedRows: number }>}
   */
  async query(statement, params, current, check) {
    if (statement.kind === 'select') {
      const db = databaseOf(statement.table, current);
      check('SELECT', db, statement.table.name);
      return { rows: this.tables.select(statement, db, params) };
    }
    if (statement.kind === 'insert') {
      const db = databaseOf(statement.table, current);
      check('INSERT', db, statement.table.name);
      const change = this.tables.planInsert(statement, db, params);
      await this.write(change);
      const auto = this.tables.table(db, statement.table.name).columns.find((column) => column.autoIncrement);
      return { insertId: auto ? change.row[auto.name] : 0, affectedRows: 1 };
    }
    const what = statement.kind.toUpperCase().replace('-', ' ');
    throw new SqlError(1235, '42000', `This version of MariaDB doesn't yet support '${what}' from a client: clients send SELECT` +
      ` and INSERT, and ${what} belongs in the init file, which the server runs at start`);
  }

  /**
   * On disk first, then in memory.
   * @param {import('./tables.js').Change} change
   */
  async write(change) {
    try {
      await this.log.append(change);
    } catch (error) {
      throw new SqlError(1030, 'HY000', `Got error "${/** @type {Error} */ (error).message}" from storage engine: writing the log failed;` +
        ' the server refuses writes until it is restarted');
    }
    this.tables.apply(change);
  }

  async close() {
    await this.log.close();
  }
}

/**
 * @param {import('./sql.js').TableName} table
 * @param {string | undefined} current
 */
function databaseOf(table, current) {
  const db = table.db ?? current;
  if (!db) throw new SqlError(1046, '3D000', 'No database selected (name one when connecting, or write database.table)');
  return db;
}
