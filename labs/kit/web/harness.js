// @ts-check
/**
 * What the web tier's tests share: a fixture folder copied to a temporary folder, the web tier started on it as
 * a real process (`node kit/web -c nginx.conf`) with a lab network table that maps web-01:80 to a free port,
 * and small HTTP clients. Everything started here is stopped by the cleanup the caller registers.
 */
import { spawn } from 'node:child_process';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
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
