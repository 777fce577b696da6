// @ts-check
/**
 * The corpus of broken files (fixtures/broken/) on the real MariaDB: each verdict recorded in the table still holds
 * (accepted, refused, or an init-file error; the line and the errno it names; a piece of its message). Run as root
 * where MariaDB is installed, as in CI; skipped with the reason elsewhere. The option files run in a network
 * namespace of their own (`unshare -n`), so that nothing they bind is reachable from outside.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { runRealInitFile, runRealMyCnf } from './corpus.js';
import { GRANTS_CASES, MY_CNF_CASES } from './fixtures/broken/verdicts.js';
import { tempDir } from './testing.js';

const run = promisify(execFile);
/** @param {string} name @param {string[]} folders */
const find = (name, folders) => folders.map((folder) => path.join(folder, name)).find((file) => existsSync(file));
const REAL = {
  mariadbd: find('mariadbd', ['/usr/sbin', '/usr/local/sbin', '/usr/bin']),
  installDb: find('mariadb-install-db', ['/usr/bin', '/usr/local/bin']),
  unshare: find('unshare', ['/usr/bin', '/bin']),
  ip: find('ip', ['/usr/sbin', '/sbin', '/usr/bin', '/bin']),
};
const missing = Object.entries(REAL).filter(([, file]) => !file).map(([name]) => name);
const skip = missing.length > 0 ? `not installed here: ${missing.join(', ')} (CI has MariaDB)`
  : process.getuid?.() !== 0 ? 'needs root: mariadbd runs as root here, and unshare -n needs it' : false;

/**
 * One installed datadir for the whole run (mariadb-install-db takes seconds): the option files use it as `data`,
 * and each init file gets a copy.
 * @param {import('./testing.js').TestContext} t
 */
async function installDatadir(t) {
  const datadir = path.join(tempDir(t), 'data');
  await run(/** @type {string} */ (REAL.installDb), ['--no-defaults', `--datadir=${datadir}`, '--skip-test-db', '--auth-root-authentication-method=normal',
    '--user=root', '--innodb-log-file-size=4M', '--innodb-buffer-pool-size=16M'], { timeout: 120_000 });
  return datadir;
}

/**
 * @param {import('./fixtures/broken/verdicts.js').RealVerdict} expected
 * @param {import('./corpus.js').Outcome} outcome
 */
function assertVerdict(expected, outcome) {
  assert.deepEqual({ verdict: outcome.verdict, line: outcome.line, errno: outcome.errno },
    { verdict: expected.verdict, line: expected.line, errno: expected.errno }, outcome.output);
  if (expected.says) assert.ok(outcome.output.includes(expected.says), `expected '${expected.says}' in:\n${outcome.output}`);
}

test('MariaDB still answers each broken my.cnf and init file as the table records', { skip, timeout: 900_000 }, async (t) => {
  const real = { ...REAL, mariadbd: /** @type {string} */ (REAL.mariadbd), unshare: /** @type {string} */ (REAL.unshare), ip: /** @type {string} */ (REAL.ip),
    datadir: await installDatadir(t) };
  // One at a time: each start of the real server takes a few hundred megabytes and most of a core.
  for (const c of MY_CNF_CASES) {
    await t.test(`my.cnf ${c.file}: ${c.what}`, async () => assertVerdict(c.real, await runRealMyCnf(real, c.file)));
  }
  for (const c of GRANTS_CASES) {
    await t.test(`init file ${c.file}: ${c.what}`, async () => assertVerdict(c.real, await runRealInitFile(real, c.file)));
  }
});
