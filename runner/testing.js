// @ts-check
/**
 * What the runner's tests share: a runner on a free port with a workspace of its own, a client that speaks the
 * protocol as the page does, and polling instead of sleeping.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { WebSocket } from 'ws';
import { PROTOCOL } from './guard.js';
import { startRunner } from './server.js';

export const PAGE_ORIGIN = 'http://localhost:3000';
export const TOKEN = 'test-token-0123456789abcdef';

/**
 * Starts a runner; `t.after` stops it and removes its workspace.
 * @param {import('node:test').TestContext | import('node:test').SuiteContext | { after: (fn: () => Promise<void>) => void }} t
 * @param {Partial<import('./server.js').RunnerOptions>} [options]
 */
export async function runnerFor(t, options = {}) {
  const workspaceRoot = await mkdtemp(path.join(tmpdir(), 'lab-runner-'));
  /** @type {string[]} */
  const logged = [];
  const runner = await startRunner({
    port: 0, origins: [PAGE_ORIGIN], token: TOKEN, workspaceRoot, log: (line) => logged.push(line), ...options,
  });
  /** @type {Client[]} */
  const clients = [];
  /** @type {any} */ (t).after(async () => {
    for (const client of clients) client.socket.terminate();
    await runner.close();
    await rm(workspaceRoot, { recursive: true, force: true });
  });
  return {
    ...runner,
    workspaceRoot,
    logged,
    /** @param {{ origin?: string, token?: string | null, path?: string, host?: string }} [how] */
    async connect(how = {}) {
      const client = await connect(runner.port, how);
      clients.push(client);
      return client;
    },
  };
}

/**
 * @typedef {Awaited<ReturnType<typeof connect>>} Client
 */

/**
 * Opens a session as the page does; rejects with the HTTP status when the runner refuses the handshake.
 * @param {number} port
 * @param {{ origin?: string, token?: string | null, path?: string, host?: string }} [how]
 */
export function connect(port, { origin = PAGE_ORIGIN, token = TOKEN, path: where = '/session', host } = {}) {
  const protocols = token === null ? [PROTOCOL] : [PROTOCOL, `token.${token}`];
  const headers = host ? { host } : {};
  const socket = new WebSocket(`ws://127.0.0.1:${port}${where}`, protocols, { origin, headers });
  /** @type {Map<number, (frame: any) => void>} */
  const pending = new Map();
  /** @type {Map<number, string>} */
  const output = new Map();
  /** @type {Map<number, number>} */
  const exits = new Map();
  let nextId = 1;
  socket.on('message', (data) => {
    const frame = JSON.parse(data.toString());
    if (frame.type === 'output') output.set(frame.proc, (output.get(frame.proc) ?? '') + frame.data);
    else if (frame.type === 'exit') exits.set(frame.proc, frame.code);
    else pending.get(frame.id)?.(frame);
  });
  const client = {
    socket,
    output,
    exits,
    /**
     * Sends a request and resolves with the runner's answer (`{ ok, error }` and the result).
     * @param {Record<string, unknown>} message
     * @returns {Promise<any>}
     */
    request(message) {
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, resolve);
        socket.send(JSON.stringify({ ...message, id }));
      });
    },
    /** @param {Record<string, unknown>} message */
    tell(message) {
      socket.send(JSON.stringify(message));
    },
    /**
     * Like request, but fails the test when the answer is an error.
     * @param {Record<string, unknown>} message
     */
    async ok(message) {
      const answer = await client.request(message);
      if (!answer.ok) throw new Error(`${message.type} failed: ${answer.error}`);
      return answer;
    },
    close() {
      socket.close();
      return new Promise((resolve) => socket.once('close', resolve));
    },
  };
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(client));
    socket.once('unexpected-response', (_req, res) => {
      reject(Object.assign(new Error(`refused with ${res.statusCode}`), { status: res.statusCode }));
      socket.terminate();
    });
    socket.once('error', reject);
  });
}

/**
 * Polls `condition` until it is true, or fails after `timeoutMs` with `what`.
 * @param {() => boolean | Promise<boolean>} condition
 * @param {string} what
 * @param {number} [timeoutMs]
 */
export async function waitFor(condition, what, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** A manifest for a lab of the tests. */
export function labJson(id = '99-test') {
  return JSON.stringify({ format: 1, id, title: 'Test lab', topology: { control: 1, entry: 'x:80', servers: [] }, steps: [] });
}
