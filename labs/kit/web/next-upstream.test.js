// @ts-check
/**
 * proxy_next_upstream, proxy_next_upstream_tries and proxy_next_upstream_timeout (fixtures/next-upstream): one
 * table of scenarios, each a few requests to its own location and upstream, with the statuses the client gets and
 * the requests each small server of the test receives. The miniature must meet the table; where nginx is
 * installed, the real nginx runs the same file against the same servers and must meet it too, so the table is
 * nginx's behaviour, measured, and not only the miniature's reading of the documentation.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { describe, test } from 'node:test';
import { NGINX, NGINX_SKIP, NGINX_TEMP_PATHS, copyFixture, fileCleanup, freePort, request, startWebTier, waitFor } from './harness.js';

/**
 * @typedef {object} Scenario
 * @property {string} path       the location, which is also the upstream's name
 * @property {string} what
 * @property {string} [method]
 * @property {string} [host]
 * @property {number[]} statuses  one request after another, each on a new connection
 * @property {Record<string, number>} hits  requests each test server received
 */

/** @type {Scenario[]} */
const SCENARIOS = [
  { path: '/default/', what: 'by default a refused connection goes on to the next server', statuses: [200, 200, 200], hits: { ok: 3 } },
  { path: '/off/', what: 'with off it does not: 502, and the refusing server rests for fail_timeout', statuses: [502, 200, 200], hits: { ok: 2 } },
  { path: '/both-lines/', what: 'two lines add up, and off wins', statuses: [502, 200], hits: { ok: 1 } },
  { path: '/post-refused/', what: 'a POST whose connection was refused goes on: it never arrived', method: 'POST', statuses: [200], hits: { ok: 1 } },
  { path: '/post-taken/', what: 'a POST that reached a server before it failed is not sent again', method: 'POST', statuses: [502], hits: { taker: 1 } },
  { path: '/post-taken-ni/', what: 'unless non_idempotent is listed', method: 'POST', statuses: [200], hits: { taker: 1, ok: 1 } },
  { path: '/get-taken/', what: 'a GET that reached a server before it failed is sent again', statuses: [200], hits: { taker: 1, ok: 1 } },
  { path: '/busy-default/', what: "by default a 503 is the server's answer, passed to the client", statuses: [503, 200, 503, 200], hits: { busy: 2, ok: 2 } },
  { path: '/busy-listed/', what: 'with http_503 the request goes on, and the 503 counts as a failure', statuses: [200, 200, 200, 200], hits: { busy: 1, ok: 4 } },
  { path: '/missing-listed/', what: 'with http_404 the request goes on, but a 404 is no failure', statuses: [200, 200, 200, 200], hits: { missing: 2, ok: 4 } },
  { path: '/all-busy/', what: "the last server's 503 goes to the client; then no live upstreams, 502", statuses: [503, 502], hits: { busy: 1, busy2: 2 } },
  { path: '/garbage-default/', what: 'an answer that is not HTTP is a failure even when invalid_header is not listed', statuses: [502, 200], hits: { garbage: 1, ok: 1 } },
  { path: '/garbage-listed/', what: 'with invalid_header the request goes on', statuses: [200, 200], hits: { garbage: 1, ok: 2 } },
  { path: '/tries/', what: 'proxy_next_upstream_tries 2 stops after two servers', statuses: [502, 200], hits: { ok: 1 } },
  { path: '/silent-default/', what: 'a read timeout goes on to the next server', statuses: [200], hits: { silent: 1, ok: 1 } },
  { path: '/next-timeout/', what: 'unless proxy_next_upstream_timeout has passed: 504', statuses: [504], hits: { silent: 1 } },
  { path: '/inherit-off/', what: "a location inherits its server's off", host: 'inherit.test', statuses: [502, 200], hits: { ok: 1 } },
  { path: '/inherit-on/', what: 'a location that writes its own replaces it', host: 'inherit.test', statuses: [200], hits: { ok: 1 } },
];

const cleanup = fileCleanup();
/** @type {Array<{ server: string, path: string }>} every request a test server received */
const hits = [];
const addresses = {
  '10.0.0.31:3000': await startHttp('ok', 200),
  '10.0.0.33:3000': await startHttp('busy', 503),
  '10.0.0.34:3000': await startHttp('missing', 404),
  '10.0.0.35:3000': await startTcp('taker', (socket) => socket.destroy()),
  // Larger than nginx's proxy_buffer_size and Node's 16 KB of headers: "upstream sent too big header" for both.
  '10.0.0.36:3000': await startTcp('garbage', (socket) => socket.end(`HTTP/1.1 200 OK\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`)),
  '10.0.0.37:3000': await startTcp('silent', () => {}),
  '10.0.0.38:3000': await freePort(),
  '10.0.0.39:3000': await freePort(),
  '10.0.0.40:3000': await startHttp('busy2', 503),
};

describe('the miniature', async () => {
  const web = await startWebTier(cleanup, await copyFixture(cleanup, 'next-upstream'), { ports: addresses });
  for (const scenario of SCENARIOS) test(`${scenario.path}: ${scenario.what}`, () => play(web.port, scenario));
});

describe('the real nginx, on the same file', { skip: NGINX_SKIP }, async () => {
  const port = NGINX_SKIP ? 0 : await startNginx();
  for (const scenario of SCENARIOS) test(`${scenario.path}: ${scenario.what}`, () => play(port, scenario));
});

/**
 * Sends a scenario's requests and compares what came back, and who received them, with the table.
 * @param {number} port
 * @param {Scenario} scenario
 */
async function play(port, { path: prefix, method = 'GET', host = 'site.test', statuses, hits: expected }) {
  const before = hits.length;
  /** @type {number[]} */
  const got = [];
  for (let i = 0; i < statuses.length; i++) {
    const body = method === 'POST' ? 'name=ada' : undefined;
    const headers = { Host: host, ...(body ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {}) };
    got.push((await request(port, `${prefix}${i}`, { method, headers, body })).status);
  }
  // A server that closed the connection may record the request a moment after nginx has answered.
  await new Promise((resolve) => setTimeout(resolve, 50));
  /** @type {Record<string, number>} */
  const received = {};
  for (const hit of hits.slice(before).filter((h) => h.path.startsWith(prefix))) received[hit.server] = (received[hit.server] ?? 0) + 1;
  assert.deepEqual({ statuses: got, hits: received }, { statuses, hits: expected });
}

/**
 * A small HTTP server that answers every request with one status.
 * @param {string} name
 * @param {number} status
 */
async function startHttp(name, status) {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      hits.push({ server: name, path: req.url ?? '' });
      res.writeHead(status, { 'Content-Type': 'text/plain' }).end(`${name} ${status}\n`);
    });
  });
  return listenOn(server, () => server.closeAllConnections());
}

/**
 * A TCP server that reads a request's head (and a body, by its Content-Length), records it, then does something.
 * @param {string} name
 * @param {(socket: net.Socket) => void} then
 */
async function startTcp(name, then) {
  /** @type {Set<net.Socket>} */
  const sockets = new Set();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
    let text = '';
    const onData = (/** @type {Buffer} */ chunk) => {
      text += chunk.toString('latin1');
      const end = text.indexOf('\r\n\r\n');
      if (end === -1) return;
      const length = Number(/content-length: *(\d+)/i.exec(text.slice(0, end))?.[1] ?? 0);
      if (text.length < end + 4 + length) return;
      socket.off('data', onData);
      hits.push({ server: name, path: text.split(' ')[1] });
      then(socket);
    };
    socket.on('data', onData);
  });
  return listenOn(server, () => sockets.forEach((s) => s.destroy()));
}

/**
 * @param {net.Server} server
 * @param {() => void} closeConnections
 * @returns {Promise<number>} the port
 */
async function listenOn(server, closeConnections) {
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  cleanup.after(() => new Promise((resolve) => { closeConnections(); server.close(resolve); }));
  return /** @type {net.AddressInfo} */ (server.address()).port;
}

/**
 * The real nginx on a copy of the fixture, with every lab address replaced by the test server's loopback port:
 * one process without a master, in the foreground.
 * @returns {Promise<number>} its port
 */
async function startNginx() {
  const dir = await copyFixture(cleanup, 'next-upstream');
  const port = await freePort();
  let text = await readFile(path.join(dir, 'nginx.conf'), 'utf8');
  for (const [address, loopback] of Object.entries(addresses)) text = text.replaceAll(address, `127.0.0.1:${loopback}`);
  text = text.replaceAll('listen 80;', `listen 127.0.0.1:${port};`).replace(/^http \{/m, `http { ${NGINX_TEMP_PATHS}`);
  await mkdir(path.join(dir, 'tmp'));
  await writeFile(path.join(dir, 'real.conf'), `daemon off; master_process off; error_log stderr; pid ${dir}/nginx.pid;\n${text}`);
  const child = spawn(/** @type {string} */ (NGINX), ['-p', `${dir}/`, '-c', path.join(dir, 'real.conf'), '-e', 'stderr'], { stdio: 'ignore' });
  cleanup.after(() => { child.kill('SIGKILL'); });
  await waitFor(async () => {
    if (child.exitCode !== null) throw new Error(`nginx exited with ${child.exitCode}: try nginx -t -c ${dir}/real.conf`);
    return new Promise((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => { socket.destroy(); resolve(true); });
      socket.on('error', () => resolve(false));
    });
  }, 'nginx to listen');
  return port;
}
