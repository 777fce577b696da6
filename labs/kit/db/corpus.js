// @ts-check
/**
 * Runs one case of the corpus of broken files (fixtures/broken/) on the miniature or on the real MariaDB, and says
 * how it ended: accepted (the server became ready), refused (it stopped), or, for the real server, init-error (it
 * started, but logged an error from the init file, which it then skipped: the miniature stops instead). Used by
 * corpus.test.js (the miniature) and corpus-mariadb.test.js (the real server).
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { KIT, freePort } from './testing.js';

/** The corpus: my-cnf/ and grants/, and the table of verdicts. */
export const CORPUS = fileURLToPath(new URL('fixtures/broken/', import.meta.url));

/**
 * @typedef {'accepted' | 'refused' | 'init-error' | 'hang'} Verdict
 * @typedef {{ verdict: Verdict, line?: number, errno?: number, output: string }} Outcome
 *   line: the line named (of my.cnf, or of the init file; for the miniature 0 when it names only the file);
 *   errno: MySQL's error number for the init file
 */

/** Generous: on a busy machine the real server takes seconds to start, and the miniature a second. */
const START_TIMEOUT_MS = 40_000;

/**
 * Runs a program until it prints `ready`, exits, or the time runs out; a ready server is stopped with SIGTERM.
 * @param {string} command
 * @param {string[]} args
 * @param {{ cwd: string, env?: NodeJS.ProcessEnv, ready: string }} options
 * @returns {Promise<{ ended: 'ready' | 'exited' | 'hang', output: string }>}
 */
function runUntilReady(command, args, { cwd, env, ready }) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env: env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    /** @type {'ready' | 'exited' | 'hang' | undefined} */
    let ended;
    const end = (/** @type {'ready' | 'exited' | 'hang'} */ how) => {
      if (ended) return;
      ended = how;
      clearTimeout(timer);
      if (how === 'exited') resolve({ ended: how, output });
      else child.kill(how === 'ready' ? 'SIGTERM' : 'SIGKILL');
    };
    const timer = setTimeout(() => end('hang'), START_TIMEOUT_MS);
    const read = (/** @type {string} */ chunk) => {
      output += chunk;
      if (output.includes(ready)) end('ready');
    };
    child.stdout.setEncoding('utf8').on('data', read);
    child.stderr.setEncoding('utf8').on('data', read);
    child.once('exit', () => {
      if (!ended) end('exited');
      else resolve({ ended, output });
    });
  });
}

/**
 * Copies a case into a new folder as `name`: a file, a folder, or nothing when the case is a file that is absent.
 * @param {string} fixture
 * @param {string} name
 */
function stage(fixture, name) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kit-db-corpus-'));
  if (existsSync(fixture)) cpSync(fixture, path.join(dir, name), { recursive: true });
  return dir;
}

/**
 * The miniature on a case: `node kit/db --defaults-file=my.cnf`, with a network table that maps every address it may
 * bind to a free loopback port. For an init file, a my.cnf that names it.
 * @param {'my-cnf' | 'grants'} kind
 * @param {string} file the case's file name in its folder
 * @returns {Promise<Outcome & { stack: boolean }>}
 */
export async function runMiniature(kind, file) {
  const dir = stage(path.join(CORPUS, kind, file), kind === 'my-cnf' ? 'my.cnf' : 'grants.sql');
  try {
    if (kind === 'grants') writeFileSync(path.join(dir, 'my.cnf'), '[mysqld]\nbind-address = 127.0.0.1\ninit_file = grants.sql\n');
    const port = await freePort();
    writeFileSync(path.join(dir, 'network.json'), JSON.stringify({ hosts: { 'db-01': '10.0.0.41' }, ports: { 'db-01:3306': port, '127.0.0.1:3306': port } }));
    const env = { ...process.env, LAB_NETWORK: path.join(dir, 'network.json'), LAB_SERVER: 'db-01', LAB_CONTROL: '' };
    const { ended, output } = await runUntilReady(process.execPath, [path.join(KIT, 'db'), '--defaults-file=my.cnf'], { cwd: dir, env, ready: 'ready for connections' });
    const line = Number(/^mysqld: [^\n]*?:(\d+): /m.exec(output)?.[1] ?? 0);
    const errno = Number(/ERROR (\d+) \(/.exec(output)?.[1] ?? 0) || undefined;
    const verdict = ended === 'ready' ? 'accepted' : ended === 'exited' ? 'refused' : 'hang';
    return { verdict, line: verdict === 'refused' ? line : undefined, errno: verdict === 'refused' ? errno : undefined, output,
      stack: /^\s+at .+:\d+:\d+\)?$/m.test(output) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The real MariaDB on a my.cnf case, in a network namespace of its own (`unshare -n`: only a loopback interface, so
 * that a file that binds 0.0.0.0 is reachable from nowhere). `datadir = data` is an installed datadir (datadir is
 * relative to basedir, which is the case's folder).
 * @param {{ mariadbd: string, ip: string, unshare: string, datadir: string }} real
 * @param {string} file
 * @returns {Promise<Outcome>}
 */
export async function runRealMyCnf(real, file) {
  const dir = stage(path.join(CORPUS, 'my-cnf', file), 'my.cnf');
  try {
    symlinkSync(real.datadir, path.join(dir, 'data'));
    const args = ['-n', 'sh', '-c', `${real.ip} link set lo up && exec "$@"`, 'sh', real.mariadbd, `--defaults-file=${path.join(dir, 'my.cnf')}`,
      '--user=root', `--basedir=${dir}`, `--socket=${path.join(dir, 'mysqld.sock')}`, `--pid-file=${path.join(dir, 'mysqld.pid')}`,
      '--innodb-buffer-pool-size=16M', '--innodb-log-file-size=4M'];
    return realOutcome(await runUntilReady(real.unshare, args, { cwd: dir, ready: 'ready for connections' }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The real MariaDB on an init-file case: a copy of an installed datadir, no networking.
 * @param {{ mariadbd: string, datadir: string }} real
 * @param {string} file
 * @returns {Promise<Outcome>}
 */
export async function runRealInitFile(real, file) {
  const dir = stage(path.join(CORPUS, 'grants', file), 'grants.sql');
  try {
    cpSync(real.datadir, path.join(dir, 'data'), { recursive: true });
    const args = ['--no-defaults', '--user=root', `--datadir=${path.join(dir, 'data')}`, `--init-file=${path.join(dir, 'grants.sql')}`,
      '--skip-networking', `--socket=${path.join(dir, 'mysqld.sock')}`, `--pid-file=${path.join(dir, 'mysqld.pid')}`,
      '--innodb-buffer-pool-size=16M', '--innodb-log-file-size=4M'];
    return realOutcome(await runUntilReady(real.mariadbd, args, { cwd: dir, ready: 'ready for connections' }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * @param {{ ended: 'ready' | 'exited' | 'hang', output: string }} run
 * @returns {Outcome}
 */
function realOutcome({ ended, output }) {
  if (ended === 'hang') return { verdict: 'hang', output };
  if (ended === 'exited') {
    // Only the option-file reader names a line: `... in config file: /etc/mysql/my.cnf at line: 1`.
    const line = Number(/config file: [^\n]* at line:? (\d+)/.exec(output)?.[1] ?? 0) || undefined;
    return { verdict: 'refused', line, output };
  }
  // An error in the init file is logged as `ERROR: 1064  You have an error ...`, and the server starts anyway.
  const errno = Number(/^ERROR: (\d+) /m.exec(output)?.[1] ?? 0) || undefined;
  return errno ? { verdict: 'init-error', errno, output } : { verdict: 'accepted', output };
}
