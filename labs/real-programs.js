// @ts-check
/**
 * The real programs' own checks, run on a copy of a lab server's folder: `haproxy -c`, `nginx -t`, `keepalived -t`,
 * and mariadbd started with the lab's my.cnf, which runs its init file. real-configs.test.js runs them on every lab.
 *
 * A Sandbox holds what the checks share: a temporary folder; a network namespace where this machine can make one
 * (keepalived needs it for the interfaces its files name, nginx -t binds the ports its file listens on, and in it
 * no check can reach a DNS server, so a host name fails at once and no query leaves the machine); one MariaDB data
 * folder, made once and copied for each start; and every mariadbd it started, so that close() removes it all.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cp, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { HAPROXY_SKIP, haproxyCheck } from './kit/balancer/test-support/harness.js';
import { AS_ROOT, INSTALL_DB, MARIADBD, installDatadir } from './kit/db/testing.js';
import { createNamespace, keepalivedCheck, keepalivedSkipReason, namespaceSkipReason } from './kit/vrrp/testing/real-keepalived.js';
import { NGINX_SKIP, prepareForNginx, runNginx } from './kit/web/harness.js';

/** Why this machine cannot make a network namespace, or false. */
const NO_NAMESPACE = namespaceSkipReason();
/** How long a mariadbd may take to be ready: generous, for a loaded machine. */
const MARIADB_START_MS = 90_000;
/** Small sizes keep several servers at once light on memory and disk; they apply to the test run only. */
const MARIADB_SMALL = ['--innodb-buffer-pool-size=16M', '--innodb-log-file-size=4M'];

/**
 * @typedef {{ ok: boolean, output: string, warnings: string[] }} Verdict  whether the real program accepted the
 *   file, what it said, and the warnings it gave while accepting it
 * @typedef {(file: string, sandbox: Sandbox) => Promise<Verdict>} Check
 * @typedef {{ flag: string, what: string, skip: string | false, check: Check }} RealCheck
 */

/**
 * For each kit program that reads a configuration file: the flag that names the file in the manifest's args, the
 * real program's check, and why it cannot run here (false when it can). The application tier takes its settings
 * as flags and has no file to check.
 * @type {Record<string, RealCheck | null>}
 */
export const REAL_CHECKS = {
  balancer: { flag: '-f', what: 'haproxy -c', skip: HAPROXY_SKIP, check: checkHaproxy },
  web: {
    flag: '-c', what: 'nginx -t', check: checkNginx,
    skip: NGINX_SKIP || (NO_NAMESPACE && `${NO_NAMESPACE} (nginx -t binds the ports the file listens on)`),
  },
  vrrp: { flag: '-f', what: 'keepalived -t', skip: keepalivedSkipReason(), check: checkKeepalived },
  db: {
    flag: '--defaults-file', what: 'mariadbd with its init file', check: checkMariadb,
    skip: MARIADBD && INSTALL_DB ? false : 'MariaDB is not installed here (mariadbd and mariadb-install-db are needed)',
  },
  app: null,
};

/**
 * The file a flag names in a service's args: `-f haproxy.cfg`, or `--defaults-file=my.cnf`.
 * @param {string[]} args
 * @param {string} flag
 */
export function configFileIn(args, flag) {
  const at = args.indexOf(flag);
  if (at >= 0) return args[at + 1];
  return args.find((arg) => arg.startsWith(`${flag}=`))?.slice(flag.length + 1);
}

export class Sandbox {
  constructor() {
    this.dir = '';
    /** @type {import('./kit/vrrp/testing/real-keepalived.js').Namespace | undefined} */
    this.namespace = undefined;
    /** @type {Set<import('node:child_process').ChildProcess>} */
    this.children = new Set();
    /** @type {Map<string, Promise<any>>} */
    this.done = new Map();
    /** @type {Promise<unknown>} */
    this.turns = Promise.resolve();
  }

  /**
   * Makes the temporary folder, and the namespace where this machine allows it.
   * @param {string[]} interfaces  the interfaces the keepalived files name
   */
  open(interfaces) {
    this.dir = mkdtempSync(path.join(tmpdir(), 'real-configs-'));
    if (!NO_NAMESPACE) this.namespace = createNamespace(`real-configs-${process.pid}`, interfaces);
  }

  /** What to put before a command to run it inside the namespace (nothing without one). */
  get prefix() {
    return this.namespace ? this.namespace.command([]) : [];
  }

  /**
   * Writes files (relative path -> content) into a new folder of the sandbox.
   * @param {string} name  a readable start for the folder's name
   * @param {Record<string, string>} files
   */
  async write(name, files) {
    const dir = await mkdtemp(path.join(this.dir, `${name.replace(/[^\w.-]+/g, '-')}-`));
    for (const [file, content] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
      await writeFile(path.join(dir, file), content);
    }
    return dir;
  }

  /**
   * Does `work` once per key, however many checks ask for it at once.
   * @template T
   * @param {string} key
   * @param {() => Promise<T>} work
   * @returns {Promise<T>}
   */
  once(key, work) {
    if (!this.done.has(key)) this.done.set(key, work());
    return /** @type {Promise<T>} */ (this.done.get(key));
  }

  /**
   * Does `work` after the work queued before it has finished.
   * @template T
   * @param {() => Promise<T>} work
   * @returns {Promise<T>}
   */
  inTurn(work) {
    const result = this.turns.then(work);
    this.turns = result.catch(() => {});
    return result;
  }

  async close() {
    await Promise.all([...this.children].map(kill));
    this.namespace?.remove();
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }
}

/** @type {Check} */
async function checkHaproxy(file, sandbox) {
  const { status, output } = haproxyCheck(file, sandbox.prefix);
  return { ok: status === 0, output, warnings: linesWith(output, /\[WARNING\]/) };
}

/**
 * `nginx -t`, with the file's folder as nginx's prefix: `root www` and `include mime.types` mean what they mean in
 * the lab. One at a time: two files that listen on port 80 cannot both bind it at once, even in the namespace.
 * @type {Check}
 */
async function checkNginx(file, sandbox) {
  if (!sandbox.namespace) throw new Error('nginx -t needs the network namespace, and the sandbox has none');
  const dir = path.dirname(file);
  const copy = await prepareForNginx(file, dir);
  const args = ['-t', '-p', `${dir}/`, '-c', copy, '-e', 'stderr'];
  const { code, output } = await sandbox.inTurn(() => runNginx(dir, args, sandbox.prefix));
  return { ok: code === 0, output, warnings: linesWith(output, /\[warn\]/) };
}

/** @type {Check} */
async function checkKeepalived(file, sandbox) {
  if (!sandbox.namespace) throw new Error('keepalived -t needs the network namespace, and the sandbox has none');
  const result = keepalivedCheck(sandbox.namespace, file);
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}${result.error?.message ?? ''}`;
  return { ok: result.status === 0, output, warnings: linesWith(output, /WARNING/) };
}

/**
 * Starts mariadbd with the lab's my.cnf, once for each distinct my.cnf and init file.
 * @type {Check}
 */
async function checkMariadb(file, sandbox) {
  const text = readFileSync(file, 'utf8');
  const initFile = initFileOf(file);
  const init = initFile && existsSync(initFile) ? readFileSync(initFile, 'utf8') : '';
  return sandbox.once(`mariadb\0${text}\0${init}`, () => startMariadb(file, initFile, sandbox));
}

/**
 * The init file a my.cnf names (its last `init_file` line), from the file's folder as the lab reads it. This does
 * not use the miniature's parser, which stops at an option outside its subset: the real server is the judge here.
 * @param {string} file
 */
export function initFileOf(file) {
  const named = [...readFileSync(file, 'utf8').matchAll(/^\s*init[-_]file\s*=\s*(.*?)\s*$/gm)].at(-1)?.[1];
  return named ? path.resolve(path.dirname(file), named.replace(/^(["'])(.*)\1$/, '$2')) : undefined;
}

/**
 * The real server reads every option of the file. What it would do differently on a real machine is moved into
 * the sandbox on the command line, which wins over the file: the data folder (a relative `datadir` starts from the
 * server's base folder, /usr, there), the init file (with an absolute path, as a real my.cnf has), the socket, the
 * pid file and the error log. It starts without networking, so port and bind-address are read and not used.
 * @param {string} file
 * @param {string | undefined} initFile
 * @param {Sandbox} sandbox
 * @returns {Promise<Verdict>}
 */
async function startMariadb(file, initFile, sandbox) {
  const template = await sandbox.once('mariadb-template', async () => {
    const datadir = path.join(sandbox.dir, 'mariadb-template');
    await installDatadir(datadir, MARIADB_SMALL);
    return datadir;
  });
  const dir = await sandbox.write('mariadb', {});
  const datadir = path.join(dir, 'data');
  await cp(template, datadir, { recursive: true });
  const log = path.join(dir, 'error.log');
  const args = [`--defaults-file=${file}`, `--datadir=${datadir}`, ...(initFile ? [`--init-file=${initFile}`] : []),
    `--socket=${path.join(dir, 'mysqld.sock')}`, `--pid-file=${path.join(dir, 'mysqld.pid')}`, `--log-error=${log}`,
    '--skip-networking', ...MARIADB_SMALL, ...AS_ROOT];
  const server = spawn(/** @type {string} */ (MARIADBD), args, { stdio: 'ignore' });
  sandbox.children.add(server);
  let failed = '';
  server.once('error', (error) => { failed = `could not run mariadbd: ${error.message}\n`; });
  const readLog = () => (existsSync(log) ? readFileSync(log, 'utf8') : '');
  const deadline = Date.now() + MARIADB_START_MS;
  while (!readLog().includes('ready for connections') && server.exitCode === null && server.signalCode === null && !failed
    && Date.now() < deadline) {
    await sleep(100);
  }
  const ready = readLog().includes('ready for connections');
  // Its data is thrown away: a clean shutdown would only take longer.
  await kill(server);
  sandbox.children.delete(server);
  // The notes are the server's progress; warnings and errors are what the file caused, or the machine.
  const said = readLog().split('\n').filter((line) => line && !line.includes('[Note]')).join('\n');
  const ran = `mariadbd ${args.join(' ')}`;
  if (!ready) return { ok: false, output: `${ran}\n${failed}did not become ready for connections:\n${said}`, warnings: [] };
  const errors = linesWith(said, /ERROR/);
  return { ok: errors.length === 0, output: `${ran}\n${said}`, warnings: [] };
}

/**
 * Kills a process and waits until it has exited.
 * @param {import('node:child_process').ChildProcess} child
 */
async function kill(child) {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

/**
 * @param {string} text
 * @param {RegExp} pattern
 */
function linesWith(text, pattern) {
  return text.split('\n').filter((line) => pattern.test(line));
}
