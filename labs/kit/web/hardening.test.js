// @ts-check
/**
 * What a hostile client may send (fixtures/site): malformed requests get a 4xx or a timeout and the server
 * keeps serving; no spelling of a path ever reads a file outside root. A secret file lies beside www/, and
 * symbolic links inside www/ point at it.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, symlink, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { test } from 'node:test';
import { copyFixture, FIXTURES, fileCleanup, protocolCases, protocolMismatch, rawRequest, request, startWebTier, statusOf } from './harness.js';

const cleanup = fileCleanup();
const dir = await copyFixture(cleanup, 'site');
const www = path.join(dir, 'www');
const SECRET = `secret-${randomUUID()}`;
await writeFile(path.join(dir, 'secret.txt'), `${SECRET}\n`);
await symlink(path.join(dir, 'secret.txt'), path.join(www, 'link-out'));
await symlink(dir, path.join(www, 'dir-out'));
await symlink(path.join(www, 'style.css'), path.join(www, 'link-in'));
const web = await startWebTier(cleanup, dir);

/** @param {string} target */
const get = (target) => rawRequest(web.port, `GET ${target} HTTP/1.1\r\nHost: site.test\r\nConnection: close\r\n\r\n`);

async function stillServing() {
  const reply = await request(web.port, '/index.html');
  assert.equal(reply.status, 200, 'the server keeps serving');
}

/** @type {Array<{ target: string, status: number }>} */
const TRAVERSALS = JSON.parse(await readFile(path.join(FIXTURES, 'traversals.json'), 'utf8')).cases;
test(`path traversal: ${TRAVERSALS.length} spellings, never a file outside root`, async () => {
  for (const { target, status } of TRAVERSALS) {
    const response = await get(target);
    assert.equal(statusOf(response), status, target);
    assert.ok(!response.includes(SECRET), `${target} served the secret`);
    assert.ok(!response.includes('root:x:0:0'), `${target} served /etc/passwd`);
  }
  await stillServing();
});

test('the traversal table has teeth: a server that decodes and joins would leak for most of it', () => {
  const leaks = TRAVERSALS.filter(({ target }) => {
    try {
      const file = path.join(www, decodeURIComponent(target.replace(/^http:\/\/[^/]+/, '')).replace(/\\/g, '/'));
      return existsSync(file) && !file.startsWith(`${www}${path.sep}`);
    } catch {
      return false;
    }
  });
  assert.ok(leaks.length >= 15, `only ${leaks.length} of the spellings would reach outside root naively`);
});

test('symbolic links that stay inside root are followed', async () => {
  const reply = await request(web.port, '/link-in');
  assert.equal(reply.status, 200);
  assert.match(reply.body, /color: black/);
});

test('malformed requests get a 4xx and the connection, not the server, ends', async () => {
  const cases = [
    ['a request line that is not HTTP', 'GARBAGE\r\n\r\n', 400],
    ['a target without a leading slash', 'GET ../secret.txt HTTP/1.1\r\nHost: site.test\r\n\r\n', 400],
    ['Content-Length together with Transfer-Encoding', 'POST / HTTP/1.1\r\nHost: site.test\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n', 400],
    ['HTTP/1.1 without Host', 'GET / HTTP/1.1\r\n\r\n', 400],
    ['a Host that is not a host name', 'GET / HTTP/1.1\r\nHost: ../../etc\r\n\r\n', 400],
    ['headers larger than the limit', `GET / HTTP/1.1\r\nHost: site.test\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`, 431],
    ['a header line without a colon', 'GET / HTTP/1.1\r\nHost: site.test\r\nno colon here\r\n\r\n', 400],
  ];
  for (const [what, data, status] of cases) {
    assert.equal(statusOf(await rawRequest(web.port, String(data))), status, String(what));
    await stillServing();
  }
});

test('what nginx refuses or drops: HTTP/2.0 (505), two Host headers (400), Last-Modified on an error page', async () => {
  for (const protocolCase of await protocolCases()) assert.equal(await protocolMismatch(web.port, protocolCase), '');
  await stillServing();
});

test('headers sent slowly are cut off after client_header_timeout (1s)', async () => {
  const started = Date.now();
  /** @type {string} */
  const response = await new Promise((resolve) => {
    let text = '';
    const socket = net.connect(web.port, '127.0.0.1', () => socket.write('GET / HTTP/1.1\r\nHost: site.test\r\n'));
    const drip = setInterval(() => socket.write('X-Slow: 1\r\n'), 200);
    const limit = setTimeout(() => socket.destroy(), 8_000);
    socket.on('data', (d) => { text += d; });
    socket.on('error', () => {});
    socket.on('close', () => { clearInterval(drip); clearTimeout(limit); resolve(text); });
  });
  const elapsed = Date.now() - started;
  assert.ok(elapsed < 8_000, `the slow client was cut off after ${elapsed} ms`);
  assert.ok(elapsed >= 900, 'not before the timeout');
  assert.ok(response === '' || statusOf(response) === 408, `408 or a closed connection, got ${JSON.stringify(response.slice(0, 40))}`);
  await stillServing();
});
