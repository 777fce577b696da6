// @ts-check
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { APP, GRANTS, dbRequest, freePort, startDb, tempDir } from './testing.js';

const SELECT = 'SELECT COUNT(*) FROM guestbook';
const INSERT = 'INSERT INTO guestbook (name, message) VALUES (?, ?)';

test('the grants decide who may connect from where, with MySQL\'s own error messages', { timeout: 20_000 }, async (t) => {
  const dir = tempDir(t);
  const port = await freePort();
  writeFileSync(path.join(dir, 'network.json'), JSON.stringify({ hosts: { 'app-01': '10.0.0.31', 'app-02': '10.0.0.32', 'db-01': '10.0.0.41' } }));
  const grants = `${GRANTS}CREATE USER 'report'@'10.0.0.3_' IDENTIFIED BY 'r3port';\nGRANT SELECT ON shop.guestbook TO 'report'@'10.0.0.3_';\n`;
  await startDb(t, dir, port, { grants, env: { LAB_NETWORK: path.join(dir, 'network.json'), LAB_SERVER: 'db-01' } });

  const allowed = await dbRequest(port, { ...APP, sql: INSERT, params: ['ann', 'hello'] });
  assert.deepEqual(allowed, { status: 200, body: { server: 'db-01', insertId: 1, affectedRows: 1 } });
  const byName = await dbRequest(port, { ...APP, host: 'app-01', sql: SELECT });
  assert.deepEqual(byName.body.rows, [{ 'COUNT(*)': 1 }], 'a host stated by name is resolved through the network table');

  const refusals = [
    [{ ...APP, host: '10.0.0.99' }, 1130, "ERROR 1130 (HY000): Host '10.0.0.99' is not allowed to connect to this MariaDB server"],
    [{ ...APP, password: 'guess' }, 1045, "ERROR 1045 (28000): Access denied for user 'app'@'10.0.0.31' (using password: YES)"],
    [{ ...APP, password: '' }, 1045, "ERROR 1045 (28000): Access denied for user 'app'@'10.0.0.31' (using password: NO)"],
    [{ ...APP, host: 'app-02' }, 1045, "ERROR 1045 (28000): Access denied for user 'app'@'10.0.0.32' (using password: YES)"],
    [{ ...APP, database: 'mysql' }, 1044, "ERROR 1044 (42000): Access denied for user 'app'@'10.0.0.31' to database 'mysql'"],
  ];
  for (const [who, errno, message] of refusals) {
    const response = await dbRequest(port, { .../** @type {object} */ (who), sql: SELECT });
    assert.deepEqual(response, { status: 403, body: { server: 'db-01', errno, error: message } });
  }
  const ping = await dbRequest(port, { ...APP, host: '10.0.0.99' }, '/ping');
  assert.equal(ping.body.error, "ERROR 1130 (HY000): Host '10.0.0.99' is not allowed to connect to this MariaDB server");

  const report = { user: 'report', password: 'r3port', host: 'app-02', database: 'shop' };
  assert.equal((await dbRequest(port, { ...report, sql: SELECT })).status, 200, "'report'@'10.0.0.3_' matches 10.0.0.32");
  const denied = await dbRequest(port, { ...report, sql: INSERT, params: ['eve', 'spam'] });
  assert.equal(denied.body.error, "ERROR 1142 (42000): INSERT command denied to user 'report'@'10.0.0.32' for table `shop`.`guestbook`");
});

test('queries outside the subset are refused with MySQL\'s errors', { timeout: 20_000 }, async (t) => {
  const dir = tempDir(t);
  const port = await freePort();
  await startDb(t, dir, port);
  /** @param {string} sql @param {unknown[]} [params] */
  const errorOf = async (sql, params = []) => (await dbRequest(port, { ...APP, sql, params })).body.error;
  assert.match(await errorOf('SELEKT * FROM guestbook'), /^ERROR 1064 \(42000\): You have an error in your SQL syntax; .* near 'SELEKT \* FROM guestbook' at line 1$/);
  assert.match(await errorOf('DELETE FROM guestbook'), /^ERROR 1235 \(42000\): This version of MariaDB doesn't yet support 'DELETE'/);
  assert.equal(await errorOf('SELECT * FROM guests'), "ERROR 1146 (42S02): Table 'shop.guests' doesn't exist");
  assert.equal(await errorOf('SELECT colour FROM guestbook'), "ERROR 1054 (42S22): Unknown column 'colour' in 'field list'");
  assert.match(await errorOf(INSERT, ['only one']), /^ERROR 1210 \(HY000\): Incorrect arguments to mysqld_stmt_execute/);
  assert.match(await errorOf('CREATE TABLE t (id INT)'), /^ERROR 1235 \(42000\): .*'CREATE TABLE' from a client/);
  const notJson = await fetch(`http://127.0.0.1:${port}/query`, { method: 'POST', body: '{"user": ' });
  assert.equal(notJson.status, 400);
});

test('SELECT orders, filters and limits; INSERT fills the auto-increment id and DEFAULT CURRENT_TIMESTAMP', { timeout: 20_000 }, async (t) => {
  const dir = tempDir(t);
  const port = await freePort();
  await startDb(t, dir, port);
  for (const name of ['ann', 'bob', 'cy']) await dbRequest(port, { ...APP, sql: INSERT, params: [name, `hi from ${name}`] });
  const latest = await dbRequest(port, { ...APP, sql: 'SELECT id, name FROM guestbook ORDER BY id DESC LIMIT ?', params: [2] });
  assert.deepEqual(latest.body.rows, [{ id: 3, name: 'cy' }, { id: 2, name: 'bob' }]);
  const one = await dbRequest(port, { ...APP, sql: 'SELECT * FROM shop.guestbook WHERE id = 2;' });
  assert.equal(one.body.rows.length, 1);
  assert.equal(one.body.rows[0].message, 'hi from bob');
  assert.ok(!Number.isNaN(Date.parse(one.body.rows[0].created_at)), 'created_at was filled in');
});
