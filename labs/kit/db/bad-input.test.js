// @ts-check
/**
 * Bad input to the database server: a my.cnf or an init file with characters a person cannot see, a bad
 * bind-address, datadir or init_file (each refused with my.cnf's line, and never a stack trace), and requests that
 * are not its protocol (answered 4xx, and the server keeps serving). The corpus in fixtures/broken/ covers the files
 * more widely (corpus.test.js); these tests pin the messages.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { ConfigError } from '../lib/config-error.js';
import { parseMyCnf } from './my-cnf.js';
import { APP, dbRequest, freePort, rawRequest, startDb, startTier, tempDir } from './testing.js';

/** @param {string} text */
function refusal(text) {
  try {
    parseMyCnf(text, 'my.cnf');
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error.format();
  }
  assert.fail('expected a ConfigError');
}

test('my.cnf: an invisible character is named, with its line and column, where MariaDB would not read it as a space', () => {
  assert.equal(refusal('\uFEFF[mysqld]\nport = 3306\n'), "my.cnf:1: found option without preceding group: '<U+FEFF>[mysqld]': the line holds" +
    ' a byte-order mark (U+FEFF) at column 1, so it is no [group] line\n  hint: save the file as UTF-8 without a byte-order mark (BOM), or' +
    ' delete the first character of the file');
  assert.match(refusal('[mysqld]\nbind-address\u00a0= 10.0.0.41\n'),
    /^my\.cnf:2: 'bind-address<U\+00A0>': unknown variable .*: its name holds a no-break space \(U\+00A0\) at column 13, which MariaDB reads as part of the name\n {2}hint: retype it as an ordinary space$/);
  assert.match(refusal('[mysqld]\n  datadir = data\u200b\n'), /^my\.cnf:2: 'datadir': the value 'data<U\+200B>' holds a zero-width space \(U\+200B\) at column 17/);
  assert.match(refusal('\ufffd\ufffd[\0m\0y\0s\0q\0l\0d\0]\0\n'), /^my\.cnf:1: .*replacement character \(the file is not valid UTF-8\)/);
});

test('my.cnf: CRLF, form feed and vertical tab are spaces, and a NUL byte ends its line, as on MariaDB', () => {
  const options = parseMyCnf('[mysqld]\r\nport\f=\v3307\r\nbind-address = 10.0.0.41\0 ignored\n', 'my.cnf');
  assert.equal(options.port, 3307);
  assert.equal(options.bindAddress, '10.0.0.41');
  assert.deepEqual(options.warnings, ['my.cnf:3: a NUL byte (U+0000) at column 25: the rest of the line is not read, as MariaDB does not read it']);
});

test('my.cnf: a bad bind-address, an unclosed quote, an unclosed group and a long line name their line', () => {
  assert.equal(refusal('[mysqld]\nbind-address = 300.1.1.1\n'), "my.cnf:2: 'bind-address': '300.1.1.1' is not an IPv4 address: each of its" +
    ' four numbers is from 0 to 255, and 300 is not\n  hint: write an IP address such as 10.0.0.41, a server name such as db-01, or 0.0.0.0' +
    ' for every address of this server');
  assert.match(refusal('[mysqld]\nbind-address = 10.0.0\n'), /^my\.cnf:2: 'bind-address': '10\.0\.0' is not an IPv4 address: it has four numbers/);
  assert.match(refusal('[mysqld]\nbind-address = db_01\n'), /^my\.cnf:2: 'bind-address': 'db_01' is not an IP address or a host name/);
  assert.match(refusal('[mysqld]\ndatadir = "data\n'), /^my\.cnf:2: 'datadir': the value "data opens a quote that does not close/);
  assert.match(refusal('[mysqld\nport = 1\n'), /^my\.cnf:1: wrong group definition: '\[mysqld' has no closing \]/);
  assert.match(refusal(`[mysqld]\n# ${'x'.repeat(4094)}\n`), /^my\.cnf:2: the line is 4096 bytes long: MariaDB reads at most 4095 bytes/);
  assert.equal(parseMyCnf(`[mysqld]\n# ${'x'.repeat(4093)}\n`, 'my.cnf').port, 3306, 'a line of 4095 bytes is read whole');
  for (const any of ['0.0.0.0', '*', '::']) assert.equal(parseMyCnf(`[mysqld]\nbind-address = ${any}\n`, 'my.cnf').bindAddress, any);
});

test('the server refuses a datadir that is a file or has no parent, and a missing or folder init_file, at my.cnf\'s line', { timeout: 60_000 }, async (t) => {
  const dir = tempDir(t);
  mkdirSync(path.join(dir, 'a-folder'));
  writeFileSync(path.join(dir, 'a-file'), 'not a folder\n');
  /** [the lines after [mysqld], what the server says] */
  const cases = [
    ['bind-address = 127.0.0.1\ndatadir = a-file', "mysqld: my.cnf:3: 'datadir': a-file is a file, not a folder"],
    ['bind-address = 127.0.0.1\ndatadir = no/such/data', "mysqld: my.cnf:3: 'datadir': no/such/data does not exist, and neither does the folder it would be in, no/such"],
    ['bind-address = 127.0.0.1\ndatadir = a-file/data', "mysqld: my.cnf:3: 'datadir': cannot use a-file/data: a part of the path is a file, not a folder"],
    ['bind-address = 127.0.0.1\ninit_file = no-such.sql', "mysqld: my.cnf:3: 'init_file': the init file no-such.sql does not exist"],
    ['bind-address = 127.0.0.1\ninit_file = a-folder', "mysqld: my.cnf:3: 'init_file': the init file a-folder is a folder, not a file"],
    ['bind-address = db-09', "mysqld: my.cnf:2: 'bind-address': cannot resolve 'db-09'"],
  ];
  for (const [lines, message] of cases) {
    writeFileSync(path.join(dir, 'my.cnf'), `[mysqld]\n${lines}\n`);
    const db = startTier(t, 'db', ['--defaults-file=my.cnf'], { cwd: dir });
    assert.equal((await db.exited).code, 1, db.output());
    assert.ok(db.output().includes(message), `expected "${message}" in:\n${db.output()}`);
    assert.doesNotMatch(db.output(), /^\s+at /m, 'no stack trace');
  }
});

test('requests that are not the protocol are answered 4xx, and the server keeps serving', { timeout: 30_000 }, async (t) => {
  const dir = tempDir(t);
  const port = await freePort();
  await startDb(t, dir, port);
  assert.match(await rawRequest(port, 'GET // HTTP/1.1\r\nHost: db\r\n\r\n'), /^HTTP\/1\.1 404 /);
  assert.match(await rawRequest(port, 'POST /query HTTP/1.1\r\nHost: db\r\nContent-Length: 2\r\n\r\n[]'), /^HTTP\/1\.1 400 [\s\S]*user\W+ must be a non-empty string/);
  assert.match(await rawRequest(port, '\u0000\u0001 garbage\r\n\r\n'), /^HTTP\/1\.1 400 Bad Request/);
  assert.match(await rawRequest(port, 'GET /\uFEFF HTTP/1.1\r\nHost: db\r\n\r\n'), /^HTTP\/1\.1 400 Bad Request/);
  for (const body of ['null', '"text"', '{"user": 1}', `{"user": "app", "host": "x", "sql": "SELECT 1", "params": [{}]}`]) {
    const response = await fetch(`http://127.0.0.1:${port}/query`, { method: 'POST', body });
    assert.equal(response.status, 400, body);
  }
  const ok = await dbRequest(port, { ...APP, sql: 'SELECT COUNT(*) FROM guestbook' });
  assert.equal(ok.status, 200, 'still serving');
});
