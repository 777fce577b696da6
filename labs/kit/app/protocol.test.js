// @ts-check
/**
 * The app refuses what the web tier in front of it refuses (lib/http-server.js's protocolRefusal), and answers a
 * request before the garbage that follows it on the same connection.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { test } from 'node:test';
import { freePort, startTier, tempDir } from '../db/testing.js';

/**
 * Writes raw bytes, without closing its side (a client that half-closes gets no answer that takes time), and
 * resolves with what came back once the app closed the connection, or after 8 s.
 * @param {number} port
 * @param {string} data
 * @returns {Promise<string>}
 */
function exchange(port, data) {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(data));
    let text = '';
    const timer = setTimeout(() => socket.destroy(), 8_000);
    socket.on('data', (d) => { text += d.toString('latin1'); });
    socket.on('error', () => {});
    socket.on('close', () => { clearTimeout(timer); resolve(text); });
  });
}

/** @param {string} text */
const statuses = (text) => [...text.matchAll(/^HTTP\/1\.1 (\d{3})/gm)].map((m) => Number(m[1]));

test('HTTP/2.0 gets 505, HTTP/0.9 and two Host headers 400, broken chunks 400; a pipelined request its answer', { timeout: 20_000 }, async (t) => {
  const appPort = await freePort();
  // No database: /health answers 503, which is enough to see an answer come before the 400.
  const app = startTier(t, 'app', [`--port=${appPort}`, `--db=127.0.0.1:${await freePort()}`], { cwd: tempDir(t) });
  await app.waitForOutput('listening');
  const H = 'Host: app\r\n';
  const cases = [
    ['HTTP/2.0', `GET /health HTTP/2.0\r\n${H}\r\n`, [505], /not HTTP\/2\.0/],
    ['HTTP/0.9', 'GET /health\r\n\r\n', [400], /no HTTP version/],
    ['two Host headers', 'GET /health HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n', [400], /more than one Host header/],
    ['a chunk size that is not hexadecimal', `POST /entries HTTP/1.1\r\n${H}Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\nabc\r\n0\r\n\r\n`, [400], /Bad Request/],
    ['Transfer-Encoding: chunkedx', `POST /entries HTTP/1.1\r\n${H}Content-Type: application/json\r\nTransfer-Encoding: chunkedx\r\n\r\n0\r\n\r\n`, [400], /Bad Request/],
    ['a good request, then garbage', `GET /health HTTP/1.1\r\n${H}\r\nGARBAGE\r\n\r\n`, [503, 400], /database/],
  ];
  for (const [what, data, expected, text] of cases) {
    const answer = await exchange(appPort, String(data));
    assert.deepEqual(statuses(answer), expected, `${what}: ${JSON.stringify(answer.slice(0, 200))}`);
    assert.match(answer, /** @type {RegExp} */ (text), String(what));
  }
  assert.equal((await fetch(`http://127.0.0.1:${appPort}/health`)).status, 503, 'still serving');
  assert.equal(app.child.exitCode, null);
});
