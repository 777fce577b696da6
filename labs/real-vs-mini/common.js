// @ts-check
/**
 * What the real-versus-miniature scenarios share: the processes and folders a run makes (all removed by
 * `cleanUp`, whatever happens), HTTP requests and load loops on loopback, and polling.
 *
 * A scenario gives Findings: for one figure, the real program's value, the miniature's, and the range the real
 * protocol allows, with how that range is derived. report.js turns them into verdicts.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const KIT = fileURLToPath(new URL('../kit/', import.meta.url));
const BACKEND = fileURLToPath(new URL('./backend.js', import.meta.url));

/**
 * @typedef {{ min: number, max: number } | { exact: string }} Range  a numeric range, or the one value allowed
 * @typedef {object} Finding
 * @property {string} family     balancer, web, vrrp or db
 * @property {string} id         stable: `balancer/roundrobin`; a known difference in labs/kit/README.md names it
 * @property {string} scenario   what was done, in words
 * @property {string} figure     what was measured, with its unit
 * @property {number | string} real
 * @property {number | string} mini
 * @property {Range} range
 * @property {string} why        how the range is derived
 */

/** @type {Set<import('node:child_process').ChildProcess>} */
const children = new Set();
/** @type {Set<string>} */
const folders = new Set();
/** @type {Set<() => void>} */
const cleaners = new Set();

/**
 * Starts a program, remembered so that cleanUp kills it.
 * @param {string} program
 * @param {string[]} args
 * @param {import('node:child_process').SpawnOptions} [options]
 */
export function start(program, args, options = {}) {
  const child = spawn(program, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
  children.add(child);
  child.once('exit', () => children.delete(child));
  child.once('error', () => children.delete(child));
  let output = '';
  child.stdout?.on('data', (d) => { output += d; });
  child.stderr?.on('data', (d) => { output += d; });
  return Object.assign(child, { output: () => output });
}

/**
 * Kills a process with SIGKILL and waits until it has gone.
 * @param {import('node:child_process').ChildProcess} child
 */
export async function kill(child) {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = once(child, 'exit');
  child.kill('SIGKILL');
  await exited;
}

/**
 * A new temporary folder, removed by cleanUp.
 * @param {string} name
 */
export function tempFolder(name) {
  const dir = mkdtempSync(path.join(tmpdir(), `real-vs-mini-${name}-`));
  folders.add(dir);
  return dir;
}

/** @param {() => void} clean  more to undo at cleanUp (a namespace), synchronous so that it runs at exit too */
export function onCleanUp(clean) {
  cleaners.add(clean);
  return () => cleaners.delete(clean);
}

/** Kills every process started here, removes every folder and namespace. Synchronous: it also runs at exit. */
export function cleanUp() {
  for (const child of children) child.kill('SIGKILL');
  for (const clean of cleaners) clean();
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
  children.clear();
  cleaners.clear();
  folders.clear();
}

/**
 * A stand-in server that answers every request with its name, after `delayMs`. One process each, so that it can
 * be killed like a real server.
 * @param {string} name
 * @param {number} port
 * @param {{ delayMs?: number, host?: string, prefix?: string[] }} [options]  prefix: run it in a namespace
 */
export async function startBackend(name, port, { delayMs = 0, host = '127.0.0.1', prefix = [] } = {}) {
  const [program, ...args] = [...prefix, process.execPath, BACKEND, name, host, String(port), String(delayMs)];
  const child = start(program, args);
  await waitFor(() => /ready \d+\n/.test(child.output()) || child.exitCode !== null, 10_000, `backend ${name} to listen on ${port}`);
  const ready = /ready (\d+)/.exec(child.output());
  if (!ready) throw new Error(`backend ${name} did not start:\n${child.output()}`);
  // When it began to listen, by its own clock (the same as this process's): noticing it here can come later.
  return Object.assign(child, { listeningAt: Number(ready[1]) });
}

/**
 * @typedef {{ start: number, end: number, status: number, body: string, error?: string }} Reply
 */

/**
 * One request on a new connection. Never rejects: a failure is a Reply with status 0 and an error.
 * @param {number} port
 * @param {{ path?: string, host?: string, localAddress?: string, headers?: Record<string, string>, method?: string,
 *   timeoutMs?: number }} [options]
 * @returns {Promise<Reply & { headers: http.IncomingHttpHeaders }>}
 */
export function request(port, { path: target = '/', host = '127.0.0.1', localAddress, headers = {}, method = 'GET', timeoutMs = 10_000 } = {}) {
  const start = Date.now();
  return new Promise((resolve) => {
    /** @param {number} status @param {string} body @param {http.IncomingHttpHeaders} heads @param {string} [error] */
    const finish = (status, body, heads, error) => resolve({ start, end: Date.now(), status, body, headers: heads, ...(error ? { error } : {}) });
    const req = http.request({ host, port, path: target, method, headers, localAddress, agent: false, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { body += d; });
      res.on('end', () => finish(res.statusCode ?? 0, body, res.headers));
      res.on('error', (error) => finish(0, body, res.headers, error.message));
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', (error) => finish(0, '', {}, /** @type {NodeJS.ErrnoException} */ (error).code ?? error.message));
    req.end();
  });
}

/**
 * Load: `loops` clients, each sending its next request 20 ms after the last answer, until stop().
 * @param {number} port
 * @param {number} loops
 */
export function load(port, loops) {
  let running = true;
  /** @type {Reply[]} */
  const replies = [];
  const done = Promise.all(Array.from({ length: loops }, async () => {
    while (running) {
      const { start, end, status, body, error } = await request(port);
      replies.push({ start, end, status, body, ...(error ? { error } : {}) });
      await sleep(20);
    }
  }));
  return { replies, stop: async () => { running = false; await done; return replies; } };
}

/**
 * Polls until `condition` is true; returns the time it became true.
 * @param {() => unknown} condition
 * @param {number} timeoutMs
 * @param {string} what  for the error
 * @param {number} [everyMs]
 */
export async function waitFor(condition, timeoutMs, what, everyMs = 25) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return Date.now();
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** @param {number} port */
export function listening(port, host = '127.0.0.1') {
  return new Promise((resolve) => {
    const socket = net.connect(port, host, () => { socket.destroy(); resolve(true); });
    socket.on('error', () => resolve(false));
  });
}

/** @param {number} ms */
export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Seconds, rounded to hundredths.
 * @param {number} ms
 */
export function seconds(ms) {
  return Math.round(ms / 10) / 100;
}
