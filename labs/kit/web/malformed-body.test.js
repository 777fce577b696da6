// @ts-check
/**
 * Errors that Node's parser finds after a request began, answered as nginx answers them: a broken chunked body
 * that is on its way to an application server gets 400 (501 for a transfer-coding nginx does not know), and a
 * good request followed by garbage on the same connection gets its answer, then 400.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileCleanup, startWebTier } from './harness.js';

const cleanup = fileCleanup();
const app = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => res.end('from the app\n'));
});
await new Promise((resolve) => app.listen(0, '127.0.0.1', () => resolve(undefined)));
cleanup.after(() => { app.closeAllConnections(); app.close(); });
const dir = await mkdtemp(path.join(os.tmpdir(), 'web-malformed-'));
cleanup.after(() => rm(dir, { recursive: true, force: true }));
await writeFile(path.join(dir, 'nginx.conf'), `events {
}
http {
    access_log off;
    server {
        listen 80;
        location / {
            proxy_pass http://10.0.0.31:3000;
        }
    }
}
`);
const web = await startWebTier(cleanup, dir, { ports: { '10.0.0.31:3000': /** @type {net.AddressInfo} */ (app.address()).port } });

/**
 * Writes raw bytes; resolves with the statuses that came back once the web tier closed the connection.
 * @param {string} data
 * @returns {Promise<number[]>}
 */
function statuses(data) {
  return new Promise((resolve) => {
    const socket = net.connect(web.port, '127.0.0.1', () => socket.write(data));
    let text = '';
    const timer = setTimeout(() => socket.destroy(), 8_000);
    socket.on('data', (d) => { text += d.toString('latin1'); });
    socket.on('error', () => {});
    socket.on('close', () => { clearTimeout(timer); resolve([...text.matchAll(/^HTTP\/1\.1 (\d{3})/gm)].map((m) => Number(m[1]))); });
  });
}

const H = 'Host: x\r\n';
test('a broken chunked body gets 400, an unknown transfer-coding 501', async () => {
  assert.deepEqual(await statuses(`POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\nZZ\r\nabc\r\n0\r\n\r\n`), [400]);
  assert.deepEqual(await statuses(`POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFFFFF\r\nabc\r\n0\r\n\r\n`), [400]);
  assert.deepEqual(await statuses(`POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunkedx\r\n\r\n0\r\n\r\n`), [501]);
});

test('a good request, then garbage: 200, then 400', async () => {
  assert.deepEqual(await statuses(`GET / HTTP/1.1\r\n${H}\r\nGARBAGE\r\n\r\n`), [200, 400]);
  assert.deepEqual(await statuses(`GET / HTTP/1.1\r\n${H}Connection: close\r\n\r\n`), [200], 'still serving');
});
