// @ts-check
/**
 * What the db and app tests share: a free port in their range (22000-22999), a temporary folder, a tier started as
 * a real process and stopped when the test ends, a database set up in a folder, and polling for a condition.
 * And the real MariaDB's programs, for the tests that hold the same files against it.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/** The kit's folder. */
export const KIT = fileURLToPath(new URL('..', import.meta.url));

/** The real MariaDB server and its installer, or undefined where they are not installed. */
export const MARIADBD = ['/usr/sbin/mariadbd', '/usr/local/sbin/mariadbd', '/usr/bin/mariadbd'].find((file) => existsSync(file));
export const INSTALL_DB = ['/usr/bin/mariadb-install-db', '/usr/local/bin/mariadb-install-db'].find((file) => existsSync(file));
/** mariadbd refuses to run as root unless it is told to. */
export const AS_ROOT = process.getuid?.() === 0 ? ['--user=root'] : [];

/**
 * Creates the system tables of a real MariaDB in a new data folder, as `mariadb-install-db` does on a new server.
 * @param {string} datadir
 * @param {string[]} [options]  more options for the server it runs, such as a smaller redo log
 */
export async function installDatadir(datadir, options = []) {
  // Installs that share a temporary folder collide (measured: 3 of 12 parallel runs failed with "1051 Unknown table
  // 'mysql.tmp_user_sys'"), so each one gets a folder of its own, removed after it.
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'kit-db-install-'));
  try {
    await promisify(execFile)(/** @type {string} */ (INSTALL_DB), ['--no-defaults', `--datadir=${datadir}`, '--skip-test-db',
      '--auth-root-authentication-method=normal', ...options, ...AS_ROOT], { timeout: 60_000, env: { ...process.env, TMPDIR: tmp } });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** @typedef {{ after: (fn: () => unknown) => void }} TestContext  the part of node:test's context used here */

/** A free port from the range of the app and db tests. */
export async function freePort() {
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = 22000 + Math.floor(Math.random() * 1000);
    const free = await new Promise((resolve) => {
      const probe = net.createServer().once('error', () => resolve(false));
      probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error('no free port in 22000-22999');
}

/** @param {TestContext} t */
export function tempDir(t) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kit-db-app-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * Polls until condition() is true.
 * @param {() => unknown} condition
 * @param {number} timeoutMs
 * @param {() => string} describe what was awaited, for the failure message
 */
export async function waitFor(condition, timeoutMs, describe) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Starts `node kit/<program> ...args` as a real process, killed when the test ends.
 * @param {TestContext} t
 * @param {string} program  db or app
 * @param {string[]} args
 * @param {{ cwd: string, env?: Record<string, string> }} options
 */
export function startTier(t, program, args, { cwd, env = {} }) {
  const child = spawn(process.execPath, [path.join(KIT, program), ...args], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => { output += chunk; });
  child.stderr.on('data', (chunk) => { output += chunk; });
  /** @type {Promise<{ code: number | null, signal: string | null }>} */
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  t.after(() => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL'); });
  return {
    child,
    exited,
    output: () => output,
    /** @param {string} text */
    waitForOutput: (text, timeoutMs = 10_000) => waitFor(() => output.includes(text) || child.exitCode !== null, timeoutMs, () => `'${text}'`)
      .then(() => { if (!output.includes(text)) throw new Error(`${program} exited before printing '${text}':\n${output}`); }),
  };
}

/** The examples' grants, for the app account at 10.0.0.31 (app-01). */
export const GRANTS = `CREATE DATABASE IF NOT EXISTS shop;
CREATE TABLE IF NOT EXISTS shop.guestbook (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(80) NOT NULL, message TEXT NOT NULL,
  created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP);
CREATE USER IF NOT EXISTS 'app'@'10.0.0.31' IDENTIFIED BY 'secret';
GRANT ALL PRIVILEGES ON shop.* TO 'app'@'10.0.0.31';
`;

/**
 * Writes my.cnf and grants.sql into dir and starts the database there, listening on 127.0.0.1:port.
 * @param {TestContext} t
 * @param {string} dir
 * @param {number} port
 * @param {{ grants?: string, env?: Record<string, string> }} [options]
 */
export async function startDb(t, dir, port, { grants = GRANTS, env } = {}) {
  writeFileSync(path.join(dir, 'my.cnf'), `[mysqld]\nport = ${port}\nbind-address = 127.0.0.1\ndatadir = data\ninit_file = grants.sql\n`);
  writeFileSync(path.join(dir, 'grants.sql'), grants);
  const db = startTier(t, 'db', ['--defaults-file=my.cnf'], { cwd: dir, env });
  await db.waitForOutput('ready for connections');
  return db;
}

/**
 * Sends one request of the database's protocol.
 * @param {number} port
 * @param {Record<string, unknown>} body
 * @param {string} [path] /query or /ping
 * @returns {Promise<{ status: number, body: any }>}
 */
export async function dbRequest(port, body, path = '/query') {
  const response = await fetch(`http://127.0.0.1:${port}${path}`, { method: 'POST', body: JSON.stringify(body) });
  return { status: response.status, body: await response.json() };
}

/** The app account's credentials, as app-01 states them. */
export const APP = { user: 'app', password: 'secret', host: '10.0.0.31', database: 'shop' };

/**
 * Sends bytes as they are, without an HTTP client to tidy them, and resolves with what came back (until the server
 * closes the connection, or 10 s pass).
 * @param {number} port
 * @param {string} text
 * @returns {Promise<string>}
 */
export function rawRequest(port, text) {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.end(text));
    let answer = '';
    const timer = setTimeout(() => socket.destroy(), 10_000);
    socket.setEncoding('utf8').on('data', (chunk) => { answer += chunk; });
    socket.on('close', () => { clearTimeout(timer); resolve(answer); });
    socket.on('error', reject);
  });
}
