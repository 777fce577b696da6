// @ts-check
/**
 * Helpers for the balancer's tests: start backends and the balancer as real processes on loopback, send requests,
 * read the stats CSV, and clean everything up even when a test fails (`t.after`). And the real HAProxy's own check.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const BALANCER = path.join(here, '..', 'index.js');
const BACKEND = path.join(here, 'backend-server.js');

/** The real HAProxy (Debian's haproxy 2.6 is /usr/sbin/haproxy), and why it cannot be tried here, or false. */
export const HAPROXY = process.env.HAPROXY_BIN ?? '/usr/sbin/haproxy';
export const HAPROXY_SKIP = existsSync(HAPROXY) ? false : `the real HAProxy is not installed at ${HAPROXY} (apt-get install haproxy, or set HAPROXY_BIN)`;

/**
 * @typedef {{ after(fn: () => unknown): void }} TestContext
 * @typedef {{ name: string, port: number, process: import('node:child_process').ChildProcess }} RunningBackend
 */

/**
 * Starts one backend process per name.
 * @param {TestContext} t
 * @param {string[]} names
 * @returns {Promise<RunningBackend[]>}
 */
export async function startBackends(t, names) {
  return Promise.all(names.map((name) => startBackend(t, name)));
}

/**
 * @param {TestContext} t
 * @param {string} name
 * @returns {Promise<RunningBackend>}
 */
export function startBackend(t, name) {
  const child = spawn(process.execPath, [BACKEND, name], { stdio: ['ignore', 'pipe', 'inherit'] });
  t.after(() => child.kill('SIGKILL'));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.stdout.once('data', (data) => resolve({ name, port: JSON.parse(String(data)).port, process: child }));
  });
}

/**
 * A free port in the balancer's test range (20000-20999), with the next one free too: the tests' configurations
 * bind the statistics page on port + 1 (a clean CI run once found it taken by another test running beside).
 */
export async function freePort() {
  for (;;) {
    const port = 20000 + Math.floor(Math.random() * 999);
    if (await isFree(port) && await isFree(port + 1)) return port;
  }
}

/** @param {number} port */
function isFree(port) {
  return new Promise((resolve) => {
    const probe = net.createServer().once('error', () => resolve(false)).listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

/**
 * Writes the configuration to a temporary folder and returns its path.
 * @param {TestContext} t
 * @param {string} text
 * @param {string} [name]
 */
export function writeConfig(t, text, name = 'haproxy.cfg') {
  const dir = mkdtempSync(path.join(tmpdir(), 'balancer-test-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

/**
 * Runs the balancer on a configuration and waits until `port` accepts connections.
 * @param {TestContext} t
 * @param {string} configText
 * @param {number} port a port the configuration binds
 * @param {NodeJS.ProcessEnv} [env]
 */
export async function startBalancer(t, configText, port, env = {}) {
  const file = writeConfig(t, configText);
  const child = spawn(process.execPath, [BALANCER, '-f', file], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let output = '';
  child.stdout.on('data', (d) => { output += d; });
  child.stderr.on('data', (d) => { output += d; });
  t.after(() => child.kill('SIGKILL'));
  await waitFor(() => connects(port), 5000, () => `the balancer did not listen on ${port}:\n${output}`);
  return { process: child, output: () => output };
}

/**
 * Runs `node balancer -c -f FILE` and returns its exit status and output.
 * @param {string} file
 * @param {NodeJS.ProcessEnv} [env]
 * @returns {Promise<{ status: number | null, output: string }>}
 */
export function checkConfig(file, env = {}) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BALANCER, '-c', '-f', file], { env: { ...process.env, ...env } });
    let output = '';
    child.stdout.on('data', (d) => { output += d; });
    child.stderr.on('data', (d) => { output += d; });
    child.on('close', (status) => resolve({ status, output }));
  });
}

/**
 * The real HAProxy's own check, `haproxy -c -f FILE`.
 * @param {string} file
 * @param {string[]} [prefix]  a command to run it under, such as `ip netns exec NAME`
 */
export function haproxyCheck(file, prefix = []) {
  const [program, ...args] = [...prefix, HAPROXY, '-c', '-f', file];
  const result = spawnSync(program, args, { encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout ?? ''}${result.stderr ?? ''}${result.error?.message ?? ''}` };
}

/** @param {number} port */
function connects(port) {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => { socket.destroy(); resolve(true); });
    socket.on('error', () => resolve(false));
  });
}

/**
 * Polls `condition` every 50 ms until it is true, or fails after `timeoutMs`.
 * @param {() => unknown} condition
 * @param {number} timeoutMs
 * @param {() => string} describe what was awaited, for the failure message
 */
export async function waitFor(condition, timeoutMs, describe) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting: ${describe()}`);
}

/**
 * One GET; resolves with the status, body and headers.
 * @param {number} port
 * @param {string} [urlPath]
 * @param {{ localAddress?: string, agent?: http.Agent | false, method?: string }} [options]
 * @returns {Promise<{ status: number, body: string, headers: http.IncomingHttpHeaders }>}
 */
export function get(port, urlPath = '/', { localAddress, agent = false, method = 'GET' } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: urlPath, method, localAddress, agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      res.on('error', reject);
    });
    req.setTimeout(10_000, () => req.destroy(new Error(`GET ${urlPath} timed out`)));
    req.on('error', reject);
    req.end();
  });
}

/**
 * The stats CSV as objects, one per row, keyed by column name.
 * @param {number} port
 * @param {string} [uri]
 * @returns {Promise<Record<string, string>[]>}
 */
export async function readStatsCsv(port, uri = '/stats') {
  const { body } = await get(port, `${uri};csv`);
  const [header, ...lines] = body.trim().split('\n');
  const columns = header.replace(/^# /, '').split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((value, i) => [columns[i], value])));
}
