// @ts-check
/**
 * The data, in memory: databases of tables of rows. Every change is a small record (create a database, create a
 * table, insert a row) that database.js writes to the log before it applies it here; replaying the log at start
 * applies the same records again and rebuilds the same tables.
 *
 * A real server keeps its tables in files (InnoDB's .ibd pages) and its log only for crash recovery; the miniature
 * keeps everything in the log, which is fine for a guestbook and teaches the same rule: on disk first, then "OK".
 */
import { SqlError } from './sql-tokens.js';

/**
 * @typedef {import('./sql.js').Column} Column
 * @typedef {import('./sql.js').Value} Value
 * @typedef {Record<string, string | number | null>} Row
 * @typedef {{ columns: Column[], rows: Row[], nextId: number }} Table
 * @typedef {{ op: 'insert', db: string, table: string, row: Row }} InsertChange
 * @typedef {{ op: 'create-database', db: string } | { op: 'create-table', db: string, table: string, columns: Column[] } | InsertChange} Change
 */

export class Tables {
  constructor() {
    /** @type {Map<string, Map<string, Table>>} */
    this.databases = new Map();
  }

  /** @param {Change} change */
  apply(change) {
    if (change.op === 'create-database') {
      this.databases.set(change.db, new Map());
    } else if (change.op === 'create-table') {
      this.database(change.db).set(change.table, { columns: change.columns, rows: [], nextId: 1 });
    } else {
      const table = this.table(change.db, change.table);
      table.rows.push(change.row);
      const id = idOf(table, change.row);
      if (typeof id === 'number') table.nextId = Math.max(table.nextId, id + 1);
    }
  }

  /** @param {string} db */
  database(db) {
    const tables = this.databases.get(db);
    if (!tables) throw new SqlError(1049, '42000', `Unknown database '${db}'`);
    return tables;
  }

  /** @param {string} db @param {string} name */
  table(db, name) {
    const table = this.database(db).get(name);
    if (!table) throw new SqlError(1146, '42S02', `Table '${db}.${name}' doesn't exist`);
    return table;
  }

  /**
   * The change that inserts a row, its auto-increment id taken now so that concurrent inserts get different ids.
   * As in InnoDB, an id taken by an insert that then fails is not given again.
   * @param {import('./sql.js').Insert} insert
   * @param {string} db
   * @param {unknown[]} params
   * @returns {InsertChange}
   */
  planInsert(insert, db, params) {
    const table = this.table(db, insert.table.name);
    if (insert.columns.length !== insert.values.length) throw new SqlError(1136, '21S01', "Column count doesn't match value count at row 1");
    /** @type {Row} */
    const row = {};
    for (const column of table.columns) {
      const given = insert.columns.indexOf(column.name);
      if (given >= 0) row[column.name] = valueOf(insert.values[given], params);
      else if (column.autoIncrement) row[column.name] = table.nextId;
      else row[column.name] = column.defaultNow ? new Date().toISOString() : null;
    }
    const unknown = insert.columns.find((name) => !table.columns.some((column) => column.name === name));
    if (unknown) throw new SqlError(1054, '42S22', `Unknown column '${unknown}' in 'field list'`);
    const id = idOf(table, row);
    if (typeof id === 'number') table.nextId = Math.max(table.nextId, id + 1);
    return { op: 'insert', db, table: insert.table.name, row };
  }

  /**
   * @param {import('./sql.js').Select} select
   * @param {string} db
   * @param {unknown[]} params
   * @returns {Row[]}
   */
  select(select, db, params) {
    const table = this.table(db, select.table.name);
    const known = (/** @type {string} */ name) => {
      if (!table.columns.some((column) => column.name === name)) throw new SqlError(1054, '42S22', `Unknown column '${name}' in 'field list'`);
      return name;
    };
    let rows = table.rows;
    if (select.where) {
      const column = known(select.where.column);
      const wanted = valueOf(select.where.value, params);
      rows = rows.filter((row) => row[column] == wanted); // == as in SQL, where '5' = 5
    }
    if (select.columns === 'count') return [{ 'COUNT(*)': rows.length }];
    if (select.order) {
      const column = known(select.order.column);
      const sign = select.order.descending ? -1 : 1;
      rows = [...rows].sort((a, b) => sign * compare(a[column], b[column]));
    }
    if (select.limit) rows = rows.slice(0, Math.max(0, Number(valueOf(select.limit, params))));
    const columns = select.columns[0] === '*' ? table.columns.map((column) => column.name) : select.columns.map(known);
    return rows.map((row) => Object.fromEntries(columns.map((column) => [column, row[column]])));
  }
}

/**
 * @param {Value} value
 * @param {unknown[]} params
 * @returns {string | number | null}
 */
function valueOf(value, params) {
  if ('literal' in value) return value.literal;
  if (value.param >= params.length) {
    throw new SqlError(1210, 'HY000', `Incorrect arguments to mysqld_stmt_execute: the statement has ? number ${value.param + 1} but only ${params.length} parameter(s) were sent`);
  }
  return /** @type {string | number | null} */ (params[value.param]);
}

/** @param {Table} table @param {Row} row */
function idOf(table, row) {
  const auto = table.columns.find((column) => column.autoIncrement);
  return auto ? row[auto.name] : undefined;
}

/** @param {string | number | null} a @param {string | number | null} b */
function compare(a, b) {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return a < b ? -1 : 1;
}
