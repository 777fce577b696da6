// @ts-check
/**
 * The example files against the real server: MariaDB accepts the example my.cnf and refuses an unknown option, as
 * the miniature does; and the example grants.sql runs on it, twice (it runs at every start). Skipped, with the
 * reason, where MariaDB is not installed.
 */
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { ConfigError } from '../lib/config-error.js';
import { parseMyCnf } from './my-cnf.js';
import { AS_ROOT, INSTALL_DB, KIT, MARIADBD, installDatadir, tempDir, waitFor } from './testing.js';

const run = promisify(execFile);
const CLIENT = ['/usr/bin/mariadb', '/usr/local/bin/mariadb'].find((file) => existsSync(file));
const EXAMPLES = path.join(KIT, 'db', 'examples');
const skip = MARIADBD ? false : 'MariaDB is not installed here (no mariadbd in /usr/sbin, /usr/local/sbin or /usr/bin)';

/**
 * `mariadbd --defaults-file=<file> --help --verbose`: reads the file and checks every option, then exits.
 * @param {string} file
 */
async function realServerAccepts(file) {
  try {
    await run(/** @type {string} */ (MARIADBD), [`--defaults-file=${file}`, '--help', '--verbose'], { timeout: 10_000, maxBuffer: 8 * 1024 * 1024 });
    return { accepted: true, stderr: '' };
  } catch (error) {
    return { accepted: false, stderr: String(/** @type {{ stderr?: string }} */ (error).stderr) };
  }
}

test('MariaDB accepts the example my.cnf, and so does the miniature', { skip, timeout: 20_000 }, async () => {
  const file = path.join(EXAMPLES, 'my.cnf');
  assert.deepEqual(await realServerAccepts(file), { accepted: true, stderr: '' });
  assert.equal(parseMyCnf(readFileSync(file, 'utf8'), file).port, 3306);
});

test('MariaDB refuses an unknown option with "unknown variable", and so does the miniature', { skip, timeout: 20_000 }, async (t) => {
  const file = path.join(tempDir(t), 'my.cnf');
  writeFileSync(file, `${readFileSync(path.join(EXAMPLES, 'my.cnf'), 'utf8').replace('[client]', 'max_conections = 100\n\n[client]')}`);
  const real = await realServerAccepts(file);
  assert.equal(real.accepted, false);
  assert.match(real.stderr, /unknown variable 'max_conections=100'/);
  assert.throws(() => parseMyCnf(readFileSync(file, 'utf8'), file), (error) => error instanceof ConfigError && /unknown variable/.test(error.message));

  writeFileSync(file, readFileSync(file, 'utf8').replace('max_conections', 'loose-max_conections'));
  assert.equal((await realServerAccepts(file)).accepted, true, 'with loose- the real server skips it');
  assert.equal(parseMyCnf(readFileSync(file, 'utf8'), file).warnings.length, 1, 'with loose- the miniature skips it');
});

const noInstall = skip || (!INSTALL_DB || !CLIENT ? 'mariadb-install-db or the mariadb client is not installed' : false);

test('the example grants.sql runs on MariaDB at every start', { skip: noInstall, timeout: 30_000 }, async (t) => {
  const dir = tempDir(t);
  const datadir = path.join(dir, 'data');
  const socket = path.join(dir, 'mysqld.sock');
  copyFileSync(path.join(EXAMPLES, 'grants.sql'), path.join(dir, 'grants.sql'));
  await installDatadir(datadir);

  for (const start of [1, 2]) {
    const log = path.join(dir, `error-${start}.log`);
    const server = spawn(/** @type {string} */ (MARIADBD), ['--no-defaults', `--datadir=${datadir}`, `--socket=${socket}`, '--skip-networking',
      `--init-file=${path.join(dir, 'grants.sql')}`, `--pid-file=${path.join(dir, 'mysqld.pid')}`, `--log-error=${log}`,
      // A temporary folder of its own: MariaDB names its temporary tables after its pid, and servers in other pid
      // namespaces (the export's namespace test) can have the same pid and share /tmp.
      `--tmpdir=${dir}`, '--innodb-buffer-pool-size=16M', ...AS_ROOT], { stdio: 'ignore' });
    const exited = new Promise((resolve) => server.once('exit', resolve));
    t.after(() => server.kill('SIGKILL'));
    await waitFor(() => existsSync(log) && readFileSync(log, 'utf8').includes('ready for connections'), 15_000, () => `MariaDB start ${start}`);
    assert.doesNotMatch(readFileSync(log, 'utf8'), /ERROR/, `the init file ran without an error at start ${start}`);
    const { stdout } = await run(/** @type {string} */ (CLIENT), ['--no-defaults', `--socket=${socket}`, '-uroot', '--batch', '-e',
      "SHOW GRANTS FOR 'app'@'10.0.0.31'; SHOW COLUMNS FROM shop.guestbook"], { timeout: 10_000 });
    assert.match(stdout, /GRANT SELECT, INSERT ON `shop`\.\* TO `app`@`10\.0\.0\.31`/);
    assert.match(stdout, /^id\tint\(11\)\tNO\tPRI\tNULL\tauto_increment$/m);
    server.kill('SIGTERM');
    await exited;
  }
});
