// @ts-check
/**
 * Bodies through the balancer. A request body longer than one buffer (16 KB, HAProxy's tune.bufsize) is streamed:
 * it arrives whole, the balancer's memory does not grow with it, and it is not replayed; a shorter one is held, and
 * replayed on a retry. Chunked bodies pass both ways.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { test } from 'node:test';
import { freePort, get, startBalancer } from './test-support/harness.js';

const MiB = 1024 * 1024;

/**
 * @typedef {{ bytes: number, sha256: string, contentLength?: string, transferEncoding?: string }} Received
 */

/**
 * A server in this process that reads every request body and answers, in chunks, what it received.
 * `hangUpOnOdd`: it closes the connection instead of answering the 1st, 3rd, ... request.
 * @param {import('node:test').TestContext} t
 * @param {{ hangUpOnOdd?: boolean }} [options]
 */
async function startServer(t, { hangUpOnOdd = false } = {}) {
  /** @type {Received[]} */
  const received = [];
  let requests = 0;
  const server = http.createServer((req, res) => {
    if (hangUpOnOdd && ++requests % 2 === 1) {
      req.socket.destroy();
      return;
    }
    const hash = createHash('sha256');
    let bytes = 0;
    req.on('data', (chunk) => {
      bytes += chunk.length;
      hash.update(chunk);
    });
    req.on('end', () => {
      const summary = { bytes, sha256: hash.digest('hex'), contentLength: req.headers['content-length'],
        transferEncoding: req.headers['transfer-encoding'] };
      received.push(summary);
      const json = JSON.stringify(summary);
      res.writeHead(200, { 'content-type': 'application/json' }); // no length: the response is chunked
      res.write(json.slice(0, 10));
      res.end(json.slice(10));
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  t.after(() => server.close());
  return { port: /** @type {import('node:net').AddressInfo} */ (server.address()).port, received };
}

/**
 * @param {number} port
 * @param {number} serverPort
 */
function config(port, serverPort) {
  return `defaults
    mode http
    timeout connect 500ms
    timeout client 10s
    timeout server 10s
    retries 3
    retry-on conn-failure empty-response
frontend www
    bind 127.0.0.1:${port}
    default_backend web
backend web
    server web-01 127.0.0.1:${serverPort}
`;
}

/**
 * Sends `size` bytes of a repeated pattern, in 64 KB pieces as fast as the balancer takes them, with a Content-Length
 * or (`chunked`) without one. Resolves with the answer and the sha256 of what was sent.
 * @param {number} port
 * @param {{ method: string, size: number, chunked?: boolean }} request
 */
function upload(port, { method, size, chunked = false }) {
  const piece = Buffer.alloc(64 * 1024, 'Scale Up! ');
  const hash = createHash('sha256');
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: '/upload', agent: false,
      headers: chunked ? {} : { 'content-length': size } }, (res) => {
      let body = '';
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode, body, sha256: hash.digest('hex') }));
    });
    req.setTimeout(20_000, () => req.destroy(new Error('the upload timed out')));
    req.on('error', reject);
    let left = size;
    const writeMore = () => {
      while (left > 0) {
        const chunk = piece.subarray(0, Math.min(piece.length, left));
        left -= chunk.length;
        hash.update(chunk);
        if (!req.write(chunk)) {
          req.once('drain', writeMore);
          return;
        }
      }
      req.end();
    };
    writeMore();
  });
}

/** @param {number | undefined} pid */
function residentMiB(pid) {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) / 1024;
}

test('a 256 MB upload is streamed: it arrives whole, the balancer\'s memory does not grow with it, it keeps serving', async (t) => {
  const server = await startServer(t);
  const port = await freePort();
  const balancer = await startBalancer(t, config(port, server.port), port);
  const pid = balancer.process.pid;
  assert.equal((await get(port)).status, 200);
  const before = residentMiB(pid);
  let peak = before;
  const sampler = setInterval(() => { peak = Math.max(peak, residentMiB(pid)); }, 20);
  const answer = await upload(port, { method: 'POST', size: 256 * MiB }).finally(() => clearInterval(sampler));

  assert.equal(answer.status, 200);
  const received = JSON.parse(answer.body);
  assert.equal(received.bytes, 256 * MiB);
  assert.equal(received.sha256, answer.sha256);
  assert.equal(received.contentLength, String(256 * MiB), 'the Content-Length is passed on');
  // Streaming, it holds a few buffers at a time, plus what the garbage collector has not yet reclaimed (V8 lets
  // some tens of MB of released buffers pile up); holding the body would take all 256 MB, and more.
  assert.ok(peak - before < 128, `the balancer grew by ${Math.round(peak - before)} MB for a 256 MB body`);
  assert.equal((await get(port)).status, 200, 'still serving');
});

test('a chunked upload longer than a buffer goes on in chunks; a short one gets a Content-Length', async (t) => {
  const server = await startServer(t);
  const port = await freePort();
  await startBalancer(t, config(port, server.port), port);
  for (const size of [3 * MiB, 1000]) {
    const answer = await upload(port, { method: 'POST', size, chunked: true });
    assert.equal(answer.status, 200);
    const received = JSON.parse(answer.body);
    assert.equal(received.bytes, size);
    assert.equal(received.sha256, answer.sha256);
    if (size > 16 * 1024) assert.equal(received.transferEncoding, 'chunked');
    else assert.equal(received.contentLength, String(size));
  }
});

test('after a server hung up, a short PUT is sent again whole; a PUT longer than a buffer is not (502)', async (t) => {
  const server = await startServer(t, { hangUpOnOdd: true });
  const port = await freePort();
  await startBalancer(t, config(port, server.port), port);

  const short = await upload(port, { method: 'PUT', size: 10_000 });
  assert.equal(short.status, 200);
  assert.deepEqual(JSON.parse(short.body), { bytes: 10_000, sha256: short.sha256, contentLength: '10000' });

  const long = await upload(port, { method: 'PUT', size: 2 * MiB });
  assert.equal(long.status, 502);
  assert.equal(server.received.length, 1, 'the long PUT reached no server after the first, which hung up');
});

test('a long upload whose connection failed is sent again whole, to another server (option redispatch)', async (t) => {
  const server = await startServer(t);
  const port = await freePort();
  const text = config(port, server.port).replace('retries 3', 'retries 1\n    option redispatch')
    .replace('\nbackend web\n', `\nbackend web\n    balance first\n    server gone 127.0.0.1:${await freePort()}\n`);
  await startBalancer(t, text, port);
  const answer = await upload(port, { method: 'POST', size: 4 * MiB });
  assert.equal(answer.status, 200);
  assert.deepEqual(JSON.parse(answer.body), { bytes: 4 * MiB, sha256: answer.sha256, contentLength: String(4 * MiB) });
});

test('a long upload to a server that is down gets the 503 page; the rest of the body is read and dropped', async (t) => {
  const port = await freePort();
  await startBalancer(t, config(port, await freePort()).replace('retries 3', 'retries 0'), port);
  // A raw client that, like curl, sends its whole body even when the answer comes first, then a second request on
  // the same connection: it is answered only if the balancer read the rest of the first body.
  const answer = await new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let received = '';
    const timer = setTimeout(() => { socket.destroy(); reject(new Error(`stuck; received so far: ${received}`)); }, 10_000);
    socket.on('data', (d) => { received += d; });
    socket.on('close', () => { clearTimeout(timer); resolve(received); });
    socket.on('error', reject);
    socket.write(`POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: ${8 * MiB}\r\n\r\n`);
    const piece = Buffer.alloc(64 * 1024, 'x');
    let left = (8 * MiB) / piece.length;
    const writeMore = () => {
      while (left-- > 0) if (!socket.write(piece)) return void socket.once('drain', writeMore);
      socket.write('GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    };
    writeMore();
  });
  assert.equal(answer.match(/^HTTP\/1\.1 503 Service Unavailable\r\n/gm)?.length, 2, answer);
});
