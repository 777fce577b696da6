// @ts-check
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { ConfigError } from '../lib/config-error.js';
import { LazyLogWriter } from './lazy-log.js';
import { decodeRecords } from './log.js';
import { parseMyCnf } from './my-cnf.js';
import { tempDir } from './testing.js';

/** @param {string} file the changes in the file now, as a new server would replay them */
const onDisk = (file) => decodeRecords(readFileSync(file)).changes;

test('innodb_flush_log_at_trx_commit = 0: acknowledged changes wait in memory until the next flush', async (t) => {
  const file = path.join(tempDir(t), 'changes.log');
  const log = await LazyLogWriter.open(file, 0, 60_000);
  await log.append({ op: 'create-database', db: 'shop' });
  await log.append({ op: 'create-database', db: 'blog' });
  assert.deepEqual(onDisk(file), [], 'acknowledged, yet not even written: a crash of the server now loses both');
  await log.flush();
  assert.deepEqual(onDisk(file), [{ op: 'create-database', db: 'shop' }, { op: 'create-database', db: 'blog' }]);
  await log.append({ op: 'create-database', db: 'wiki' });
  await log.close();
  assert.equal(onDisk(file).length, 3, 'a clean stop flushes what waits');
});

test('innodb_flush_log_at_trx_commit = 2: each change is written at once, and fsynced later', async (t) => {
  const file = path.join(tempDir(t), 'changes.log');
  const log = await LazyLogWriter.open(file, 2, 60_000);
  await Promise.all(['a', 'b', 'c'].map((db) => log.append({ op: 'create-database', db })));
  assert.deepEqual(onDisk(file).map((change) => /** @type {{ db: string }} */ (change).db), ['a', 'b', 'c'],
    'the operating system has them, in order: a crash of the server loses nothing (a power cut could)');
  await log.close();
});

test('my.cnf: innodb_flush_log_at_trx_commit is 1 by default, 0, 2, or 3 (the same as 1 here), and flushes every' +
  ' innodb_flush_log_at_timeout seconds; anything else is an error', () => {
  const flushOf = (/** @type {string} */ line) => parseMyCnf(`[mysqld]\n${line}\n`, 'my.cnf').flushLogAtTrxCommit;
  assert.equal(flushOf(''), 1);
  assert.equal(flushOf('innodb_flush_log_at_trx_commit = 0'), 0);
  assert.equal(flushOf('innodb-flush-log-at-trx-commit = 2'), 2);
  assert.equal(flushOf('innodb_flush_log_at_trx_commit = 3'), 1);
  assert.throws(() => flushOf('innodb_flush_log_at_trx_commit = fast'),
    (error) => error instanceof ConfigError && /^my\.cnf:2: 'innodb_flush_log_at_trx_commit': 'fast' is not 0, 1, 2 or 3/.test(error.format()));
  const timeoutOf = (/** @type {string} */ line) => parseMyCnf(`[mysqld]\n${line}\n`, 'my.cnf').flushLogAtTimeout;
  assert.equal(timeoutOf(''), 1);
  assert.equal(timeoutOf('innodb_flush_log_at_timeout = 10'), 10);
  assert.throws(() => timeoutOf('innodb_flush_log_at_timeout = 0'), /'0' is not a number of seconds from 1 to 2700/);
});
