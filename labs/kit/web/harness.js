// @ts-check
/**
 * What the web tier's tests share: a fixture folder copied to a temporary folder, the web tier started on it as
 * a real process (`node kit/web -c nginx.conf`) with a lab network table that maps web-01:80 to a free port,
 * and small HTTP clients. Everything started here is stopped by the cleanup the caller registers.
 * And the real nginx, where it is installed, for the tests that hold the same files against it.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, cp, mkdir, mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after } from 'node:test';
import { fileURLToPath } from 'node:url';

export const WEB_DIR = fileURLToPath(new URL('.', import.meta.url));
export const FIXTURES = path.join(WEB_DIR, 'fixtures');
const WAIT_MS = 10_000;

/**
 * @typedef {{ after: (fn: () => unknown) => void }} Cleanup  a TestContext, or `{ after }` from node:test
 * @typedef {{ status: number, headers: http.IncomingHttpHeaders, body: string }} Reply
 */

/**
 * A Cleanup for a whole test file: what is registered runs, last first, after the file's last test.
 * @returns {Cleanup}
 */
export function fileCleanup() {
  /** @type {Array<() => unknown>} */
  const steps = [];
  after(async () => {
    for (const step of steps.reverse()) await step();
  });
  return { after: (step) => { steps.push(step); } };
}

/** A loopback port that was free a moment ago. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {net.AddressInfo} */ (server.address());
      server.close(() => resolve(port));
    });
  });
}

/**
 * @param {Cleanup} t
 * @param {string} name  a folder of fixtures/ (or `../examples`)
 */
export async function copyFixture(t, name) {
  const dir = await mkdtemp(path.join(os.tmpdir(), `web-${path.basename(name)}-`));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await cp(path.join(FIXTURES, name), dir, { recursive: true });
  return dir;
}

/**
 * Runs `node kit/web` with arguments in a folder, to the end (for `-t`).
 * @param {string[]} args
 * @param {string} [cwd]
 * @returns {Promise<{ code: number | null, output: string }>}
 */
export function runWeb(args, cwd = WEB_DIR) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [WEB_DIR, ...args], { cwd, env: { ...process.env, LAB_NETWORK: '', LAB_CONTROL: '' } });
    let output = '';
    child.stdout.on('data', (d) => { output += d; });
    child.stderr.on('data', (d) => { output += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), WAIT_MS);
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, output }); });
  });
}

/**
 * Starts the web tier in `dir` (which holds nginx.conf) and waits until it accepts connections.
 * @param {Cleanup} t
 * @param {string} dir
 * @param {{ ports?: Record<string, number>, env?: Record<string, string> }} [lab]  more of the network table
 */
export async function startWebTier(t, dir, lab = {}) {
  const port = await freePort();
  const hosts = { 'web-01': '10.0.0.21', 'app-01': '10.0.0.31', 'app-02': '10.0.0.32' };
  await writeFile(path.join(dir, 'network.json'), JSON.stringify({ hosts, ports: { 'web-01:80': port, ...lab.ports } }));
  const child = spawn(process.execPath, [WEB_DIR, '-c', 'nginx.conf'], {
    cwd: dir,
    env: { ...process.env, LAB_NETWORK: path.join(dir, 'network.json'), LAB_SERVER: 'web-01', LAB_CONTROL: '', ...lab.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const kill = () => child.kill('SIGKILL');
  process.once('exit', kill);
  t.after(() => {
    process.off('exit', kill);
    if (child.exitCode === null && child.signalCode === null) kill();
  });
  const web = {
    port,
    child,
    stdout: '',
    stderr: '',
    /** @returns {Promise<number | null>} the exit code */
    exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))),
  };
  child.stdout.on('data', (d) => { web.stdout += d; });
  child.stderr.on('data', (d) => { web.stderr += d; });
  await waitFor(async () => {
    if (child.exitCode !== null) throw new Error(`the web tier exited with ${child.exitCode}:\n${web.stderr}`);
    return canConnect(port);
  }, 'the web tier to listen');
  return web;
}

/**
 * Polls until the condition is true.
 * @param {() => boolean | Promise<boolean>} condition
 * @param {string} what  for the error message
 * @param {number} [timeoutMs]
 */
export async function waitFor(condition, what, timeoutMs = WAIT_MS) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** @param {number} port */
function canConnect(port) {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}

/**
 * One HTTP request on a fresh connection.
 * @param {number} port
 * @param {string} target
 * @param {{ method?: string, headers?: Record<string, string>, body?: string }} [options]
 * @returns {Promise<Reply>}
 */
export function request(port, target, { method = 'GET', headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: target, method, headers, agent: false, timeout: WAIT_MS }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer to ${method} ${target} within ${WAIT_MS} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Writes raw bytes (a request as a client might really send it) and returns what came back when the server
 * closed the connection, or after `waitMs`.
 * @param {number} port
 * @param {string | Buffer} data
 * @param {number} [waitMs]
 */
export function rawRequest(port, data, waitMs = 3_000) {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let text = '';
    const timer = setTimeout(() => socket.destroy(), waitMs);
    socket.on('data', (d) => { text += d.toString('latin1'); });
    socket.on('error', () => {});
    socket.on('close', () => { clearTimeout(timer); resolve(text); });
    socket.write(data);
  });
}

/**
 * The status code of a raw HTTP response, or 0 when there was none.
 * @param {string} response
 */
export function statusOf(response) {
  return Number(/^HTTP\/1\.[01] (\d{3})/.exec(response)?.[1] ?? 0);
}

/** The real nginx, or undefined where it is not installed. */
export const NGINX = ['/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/local/nginx/sbin/nginx', '/opt/homebrew/bin/nginx'].find((p) => existsSync(p));
/** Why the real nginx cannot be tried here, or false. */
export const NGINX_SKIP = NGINX ? false : 'the nginx binary is not installed (looked in /usr/sbin, /usr/local/sbin, /usr/local/nginx/sbin, /opt/homebrew/bin)';
/**
 * nginx -t creates its temporary folders (compiled in as /var/lib/nginx/... on Debian): these directives, put on a
 * copy's `http {` line, keep them inside the test's folder without moving any line.
 */
export const NGINX_TEMP_PATHS = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((p) => `${p}_temp_path tmp/${p};`).join(' ');

/**
 * Copies a configuration into a folder for the real nginx, with the temporary paths on its http line, and the kit's
 * mime.types beside it when the folder has none (the miniature takes the kit's copy then; nginx needs the file).
 * nginx -t also opens the pid file and the default access log (/run/nginx.pid and /var/log/nginx/access.log on
 * Debian), which only root may write: the copy gets both in the folder, the pid file only if it names none.
 * @param {string} source
 * @param {string} dir
 */
export async function prepareForNginx(source, dir) {
  const text = await readFile(source, 'utf8');
  const file = path.join(dir, path.basename(source));
  const pid = /^\s*pid\s/m.test(text) ? '' : 'pid tmp/nginx.pid; ';
  await writeFile(file, text.replace(/^http \{/m, `${pid}http { ${NGINX_TEMP_PATHS} access_log tmp/access.log;`));
  if (!existsSync(path.join(dir, 'mime.types'))) await copyFile(path.join(WEB_DIR, 'mime.types'), path.join(dir, 'mime.types'));
  await mkdir(path.join(dir, 'tmp'), { recursive: true });
  return file;
}

/**
 * Runs the real nginx with its standard output going to a file in `dir`: nginx opens `access_log /dev/stdout` as a
 * file, which fails with ENXIO when standard output is a socket, as it is for a child of Node.js (and under systemd).
 * @param {string} dir
 * @param {string[]} args
 * @param {string[]} [prefix]  a command to run it under, such as `ip netns exec NAME`
 * @returns {Promise<{ code: number | null, output: string }>}
 */
export async function runNginx(dir, args, prefix = []) {
  const stdout = await open(path.join(dir, 'stdout.log'), 'w');
  const [program, ...rest] = [...prefix, /** @type {string} */ (NGINX), ...args];
  try {
    return await new Promise((resolve) => {
      const child = spawn(program, rest, { stdio: ['ignore', stdout.fd, 'pipe'] });
      let output = '';
      child.stderr?.on('data', (d) => { output += d; });
      child.on('error', (error) => resolve({ code: null, output: error.message }));
      child.on('close', (code) => resolve({ code, output }));
    });
  } finally {
    await stdout.close();
  }
}

/**
 * @typedef {{ what: string, lines: string[], status: number, present?: string[], absent?: string[] }} ProtocolCase
 *   a raw request of fixtures/protocol.json, with nginx's status and the response headers it has or has not
 */

/** @returns {Promise<ProtocolCase[]>} */
export async function protocolCases() {
  return JSON.parse(await readFile(path.join(FIXTURES, 'protocol.json'), 'utf8')).cases;
}

/**
 * Sends a case of fixtures/protocol.json and says what differs from nginx's answer: '' when nothing does.
 * @param {number} port
 * @param {ProtocolCase} protocolCase
 */
export async function protocolMismatch(port, { what, lines, status, present = [], absent = [] }) {
  /** @type {string} */
  const response = await rawRequest(port, `${[...lines, 'Connection: close'].join('\r\n')}\r\n\r\n`);
  const names = response.split('\r\n\r\n')[0].split('\r\n').slice(1).map((line) => line.slice(0, line.indexOf(':')).toLowerCase());
  const problems = [
    statusOf(response) === status ? '' : `status ${statusOf(response)}, not ${status}`,
    ...present.filter((name) => !names.includes(name)).map((name) => `no ${name} header`),
    ...absent.filter((name) => names.includes(name)).map((name) => `a ${name} header`),
  ].filter(Boolean);
  return problems.length > 0 ? `${what}: ${problems.join(', ')}` : '';
}
