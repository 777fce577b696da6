// @ts-check
/** Who may reach the runner: the Host, Origin and token guards, on a real runner. */
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { networkInterfaces } from 'node:os';
import { test } from 'node:test';
import { PAGE_ORIGIN, TOKEN, runnerFor } from './testing.js';

/**
 * A plain HTTP request to the runner, with exactly the headers given.
 * @param {number} port
 * @param {{ method?: string, path?: string, headers?: Record<string, string> }} how
 * @returns {Promise<{ status: number, headers: http.IncomingHttpHeaders, body: string }>}
 */
function ask(port, { method = 'GET', path = '/api/hello', headers = {} }) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => { body += chunk; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('it listens on 127.0.0.1 only', async (t) => {
  const runner = await runnerFor(t);
  assert.equal(runner.origin, `http://127.0.0.1:${runner.port}`);
  const external = Object.values(networkInterfaces()).flat().find((i) => i && i.family === 'IPv4' && !i.internal);
  const reachable = (/** @type {string} */ host) => new Promise((resolve) => {
    const socket = net.connect(runner.port, host, () => { socket.destroy(); resolve(true); });
    socket.on('error', () => resolve(false));
  });
  assert.equal(await reachable('127.0.0.1'), true);
  if (external) assert.equal(await reachable(external.address), false, `reachable on ${external.address}`);
});

test('the course page with the token is served', async (t) => {
  const runner = await runnerFor(t);
  const answer = await ask(runner.port, { headers: { Origin: PAGE_ORIGIN, Authorization: `Bearer ${TOKEN}` } });
  assert.equal(answer.status, 200);
  assert.equal(answer.headers['access-control-allow-origin'], PAGE_ORIGIN);
  assert.equal(JSON.parse(answer.body).protocol, 'scale-up-lab.1');
  const client = await runner.connect();
  assert.equal(client.socket.protocol, 'scale-up-lab.1');
});

test('a WebSocket from a foreign origin, or from no page at all, is refused', async (t) => {
  const runner = await runnerFor(t);
  await assert.rejects(runner.connect({ origin: 'https://evil.example' }), { status: 403 });
  await assert.rejects(runner.connect({ origin: '' }), { status: 403 });
  assert.match(runner.logged.join('\n'), /refused a WebSocket connection from https:\/\/evil\.example: origin https:\/\/evil\.example is not allowed/);
});

test('a WebSocket without the token, or with a wrong one, is refused', async (t) => {
  const runner = await runnerFor(t);
  await assert.rejects(runner.connect({ token: null }), { status: 401 });
  await assert.rejects(runner.connect({ token: `${TOKEN}x` }), { status: 401 });
  await assert.rejects(runner.connect({ token: 'wrong-token-0123456789abcdef' }), { status: 401 });
  assert.match(runner.logged.join('\n'), /missing token/);
  assert.match(runner.logged.join('\n'), /wrong token/);
});

test('a bad Host header is refused (DNS rebinding)', async (t) => {
  const runner = await runnerFor(t);
  await assert.rejects(runner.connect({ host: `evil.example:${runner.port}` }), { status: 403 });
  const answer = await ask(runner.port, { headers: { Host: `evil.example:${runner.port}`, Origin: PAGE_ORIGIN, Authorization: `Bearer ${TOKEN}` } });
  assert.equal(answer.status, 403);
  assert.match(answer.body, /bad Host header/);
  const good = await ask(runner.port, { headers: { Host: `localhost:${runner.port}`, Origin: PAGE_ORIGIN, Authorization: `Bearer ${TOKEN}` } });
  assert.equal(good.status, 200);
});

test('HTTP requests need an allowed origin and the token', async (t) => {
  const runner = await runnerFor(t);
  const foreign = await ask(runner.port, { headers: { Origin: 'https://evil.example', Authorization: `Bearer ${TOKEN}` } });
  assert.equal(foreign.status, 403);
  assert.equal(foreign.headers['access-control-allow-origin'], undefined);
  const noToken = await ask(runner.port, { headers: { Origin: PAGE_ORIGIN } });
  assert.equal(noToken.status, 401);
  // The page may read the refusal, to tell the learner to paste the token again.
  assert.equal(noToken.headers['access-control-allow-origin'], PAGE_ORIGIN);
  const wrong = await ask(runner.port, { headers: { Origin: PAGE_ORIGIN, Authorization: 'Bearer not-the-token-at-all-0000' } });
  assert.equal(wrong.status, 401);
});

test('CORS preflights are answered, with Private Network Access, only for allowed origins', async (t) => {
  const runner = await runnerFor(t);
  const preflight = {
    'Access-Control-Request-Method': 'GET',
    'Access-Control-Request-Headers': 'authorization',
    'Access-Control-Request-Private-Network': 'true',
  };
  const allowed = await ask(runner.port, { method: 'OPTIONS', headers: { Origin: PAGE_ORIGIN, ...preflight } });
  assert.equal(allowed.status, 204);
  assert.equal(allowed.headers['access-control-allow-origin'], PAGE_ORIGIN);
  assert.equal(allowed.headers['access-control-allow-private-network'], 'true');
  assert.match(String(allowed.headers['access-control-allow-headers']), /Authorization/i);
  const foreign = await ask(runner.port, { method: 'OPTIONS', headers: { Origin: 'https://evil.example', ...preflight } });
  assert.equal(foreign.status, 403);
  assert.equal(foreign.headers['access-control-allow-origin'], undefined);
  assert.equal(foreign.headers['access-control-allow-private-network'], undefined);
});

test('a page of another version of the protocol is told so', async (t) => {
  const runner = await runnerFor(t);
  const { WebSocket } = await import('ws');
  const socket = new WebSocket(`ws://127.0.0.1:${runner.port}/session`, ['scale-up-lab.0', `token.${TOKEN}`], { origin: PAGE_ORIGIN });
  socket.on('error', () => {});
  const status = await new Promise((resolve) => socket.once('unexpected-response', (_req, res) => { resolve(res.statusCode); socket.terminate(); }));
  assert.equal(status, 400);
  assert.match(runner.logged.join('\n'), /another version of the runner's protocol/);
});
