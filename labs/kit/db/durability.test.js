// @ts-check
import assert from 'node:assert/strict';
import { appendFileSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { LOG_FILE } from './database.js';
import { decodeRecords, encodeRecord } from './log.js';
import { APP, dbRequest, freePort, startDb, tempDir, waitFor } from './testing.js';

const INSERT = 'INSERT INTO guestbook (name, message) VALUES (?, ?)';
const SELECT_ALL = 'SELECT id, name, message FROM guestbook ORDER BY id';

/** @param {number} port @param {string} name @param {string} message */
async function insert(port, name, message) {
  const response = await dbRequest(port, { ...APP, sql: INSERT, params: [name, message] });
  assert.equal(response.status, 200, JSON.stringify(response.body));
  return /** @type {number} */ (response.body.insertId);
}

/** @param {number} port @returns {Promise<{ id: number, name: string, message: string }[]>} */
async function allRows(port) {
  const response = await dbRequest(port, { ...APP, sql: SELECT_ALL });
  assert.equal(response.status, 200, JSON.stringify(response.body));
  return response.body.rows;
}

test('every acknowledged write survives SIGKILL during a stream of concurrent writes', { timeout: 30_000 }, async (t) => {
  const dir = tempDir(t);
  const port = await freePort();
  const db = await startDb(t, dir, port);

  /** @type {Map<number, string>} id -> message, for every insert the server acknowledged */
  const acknowledged = new Map();
  let failures = 0;
  const writer = async (/** @type {number} */ w) => {
    for (let i = 0; ; i++) {
      const message = `writer ${w}, entry ${i}`;
      try {
        const response = await dbRequest(port, { ...APP, sql: INSERT, params: [`w${w}`, message] });
        if (response.status !== 200) throw new Error(JSON.stringify(response.body));
        acknowledged.set(response.body.insertId, message);
      } catch {
        failures++; // the server is gone: this write was never acknowledged
        return;
      }
    }
  };
  const writers = Array.from({ length: 16 }, (_, w) => writer(w));
  await waitFor(() => acknowledged.size >= 300, 20_000, () => '300 acknowledged writes');
  db.child.kill('SIGKILL');
  await Promise.all(writers);
  assert.equal((await db.exited).signal, 'SIGKILL');
  assert.ok(failures >= 1, 'writes were under way when the server was killed');

  await startDb(t, dir, port);
  const stored = new Map((await allRows(port)).map((row) => [row.id, row.message]));
  const lost = [...acknowledged].filter(([id, message]) => stored.get(id) !== message);
  assert.deepEqual(lost, [], `${lost.length} of ${acknowledged.size} acknowledged writes are missing after the restart`);
});

test('a torn last record is reported and dropped at start, and the records before it survive', { timeout: 20_000 }, async (t) => {
  const dir = tempDir(t);
  const port = await freePort();
  const log = path.join(dir, 'data', LOG_FILE);
  let db = await startDb(t, dir, port);
  for (let i = 1; i <= 5; i++) await insert(port, 'ann', `entry ${i}`);
  db.child.kill('SIGKILL');
  await db.exited;
  const goodBytes = statSync(log).size;

  // Half a record, as when the power fails in the middle of a write.
  const record = encodeRecord({ op: 'insert', db: 'shop', table: 'guestbook', row: { id: 6, name: 'torn', message: 'never acknowledged' } });
  appendFileSync(log, record.subarray(0, record.length >> 1));
  db = await startDb(t, dir, port);
  assert.match(db.output(), /the last record is torn \(a record of \d+ bytes of which only \d+ were written\)/);
  assert.equal(statSync(log).size, goodBytes, 'the log was cut back to the last whole record');
  assert.deepEqual((await allRows(port)).map((row) => row.message), ['entry 1', 'entry 2', 'entry 3', 'entry 4', 'entry 5']);
  assert.equal(await insert(port, 'ann', 'entry 6'), 6);
  db.child.kill('SIGKILL');
  await db.exited;

  // A whole record whose bytes changed: the checksum does not match.
  const garbled = Buffer.from(record);
  garbled[garbled.length - 3] ^= 0xff;
  appendFileSync(log, garbled);
  db = await startDb(t, dir, port);
  assert.match(db.output(), /whose checksum does not match/);
  assert.equal((await allRows(port)).length, 6, 'the entry written after the first repair is there');
  assert.equal(decodeRecords(readFileSync(log)).torn, undefined);
});

test('decodeRecords stops at a short header, a short record and a bad checksum', () => {
  const one = encodeRecord({ op: 'create-database', db: 'shop' });
  assert.deepEqual(decodeRecords(one), { changes: [{ op: 'create-database', db: 'shop' }], goodBytes: one.length, torn: undefined });
  for (const tail of [Buffer.from([0, 0, 0]), one.subarray(0, one.length - 1), Buffer.concat([one.subarray(0, 8), Buffer.alloc(one.length - 8)])]) {
    const result = decodeRecords(Buffer.concat([one, tail]));
    assert.equal(result.changes.length, 1);
    assert.equal(result.goodBytes, one.length);
    assert.ok(result.torn);
  }
});
