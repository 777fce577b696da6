// @ts-check
/**
 * What every tier's HTTP server answers to requests Node's parser refuses part-way: the answers owed before the
 * error still go out, in order, and the error gets its status, as HAProxy and nginx do.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { test } from 'node:test';
import { createHttpServer, listen, protocolRefusal } from './http-server.js';

const H = 'Host: x\r\n';

/**
 * A server whose handler reads the body and answers `ok <url>` after `delayMs`.
 * @param {{ after(fn: () => unknown): void }} t
 * @param {number} [delayMs]
 * @param {import('./http-server.js').Answers} [answers]
 */
async function startServer(t, delayMs = 0, answers = {}) {
  const server = createHttpServer((req, res) => {
    req.resume();
    req.on('end', () => setTimeout(() => res.end(`ok ${req.url}\n`), delayMs));
  }, {}, answers);
  t.after(() => { server.closeAllConnections(); server.close(); });
  return listen(server, 0, '127.0.0.1');
}

/**
 * Writes raw bytes; resolves with everything that came back once the server closed, or after 5 s.
 * @param {number} port
 * @param {string} data
 * @returns {Promise<{ text: string, closed: boolean }>}
 */
function exchange(port, data) {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(data));
    let text = '';
    let closed = false;
    const timer = setTimeout(() => socket.destroy(), 5_000);
    socket.on('data', (d) => { text += d.toString('latin1'); });
    socket.on('end', () => { closed = true; });
    socket.on('error', () => {});
    socket.on('close', () => { clearTimeout(timer); resolve({ text, closed }); });
  });
}

/** @param {string} text */
const statuses = (text) => [...text.matchAll(/^HTTP\/1\.1 (\d{3})/gm)].map((m) => Number(m[1]));

test('a good request followed by garbage: the good one is answered, then 400, then the connection closes', async (t) => {
  for (const delayMs of [0, 300]) {
    const port = await startServer(t, delayMs);
    const { text, closed } = await exchange(port, `GET /a HTTP/1.1\r\n${H}\r\nGET /b HTTP/1.1\r\n${H}\r\nGARBAGE\r\n\r\n`);
    assert.deepEqual(statuses(text), [200, 200, 400], `handler answering after ${delayMs} ms: ${JSON.stringify(text)}`);
    assert.ok(text.indexOf('ok /a') < text.indexOf('ok /b'), 'the answers keep the order of the requests');
    assert.ok(closed, 'the server closes the connection after the 400');
  }
});

test('a good request that closes the connection is answered, and nothing follows it', async (t) => {
  const port = await startServer(t);
  const { text } = await exchange(port, `GET / HTTP/1.1\r\n${H}Connection: close\r\n\r\nGARBAGE\r\n\r\n`);
  assert.deepEqual(statuses(text), [200]);
});

test('a broken chunked body is answered 400 (HAProxy) or 501 for an unknown transfer-coding (nginx)', async (t) => {
  const haproxyLike = await startServer(t);
  const nginxLike = await startServer(t, 0, { unknownTransferCoding: 501 });
  const cases = [
    ['a chunk size that is not hexadecimal', `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\nZZ\r\nabc\r\n0\r\n\r\n`, 400, 400],
    ['a chunk size that overflows', `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFFFFF\r\nabc\r\n0\r\n\r\n`, 400, 400],
    ['Transfer-Encoding: chunkedx', `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunkedx\r\n\r\n0\r\n\r\n`, 400, 501],
  ];
  for (const [what, data, haproxyStatus, nginxStatus] of cases) {
    for (const [port, status] of [[haproxyLike, haproxyStatus], [nginxLike, nginxStatus]]) {
      const { text, closed } = await exchange(Number(port), String(data));
      assert.deepEqual(statuses(text), [status], `${what}: ${JSON.stringify(text)}`);
      assert.ok(closed, `${what}: the connection closes`);
    }
  }
  const after = await exchange(haproxyLike, `GET / HTTP/1.1\r\n${H}Connection: close\r\n\r\n`);
  assert.deepEqual(statuses(after.text), [200], 'still serving');
});

test('protocolRefusal: 505 for HTTP/2.0, 400 for HTTP/0.9 and two Host headers, nothing for a good request', () => {
  /** @param {number} major @param {string[]} rawHeaders */
  const req = (major, rawHeaders) => /** @type {import('node:http').IncomingMessage} */ ({ httpVersionMajor: major, rawHeaders });
  assert.equal(protocolRefusal(req(2, ['Host', 'x'])), 505);
  assert.equal(protocolRefusal(req(0, [])), 400);
  assert.equal(protocolRefusal(req(1, ['Host', 'a', 'host', 'b'])), 400);
  assert.equal(protocolRefusal(req(1, ['Host', 'x', 'X-Host', 'y'])), undefined);
});
