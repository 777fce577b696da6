// @ts-check
/**
 * The reading of a server's response, byte by byte where it matters: a response may arrive in any number of pieces.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { JunkResponseError, ResponseReader } from './response-reader.js';

/**
 * Feeds a response to a reader in pieces of `pieceSize` bytes; returns what came out.
 * @param {string} text
 * @param {{ method?: string, pieceSize?: number, close?: boolean }} [options]  close: the server closes after it
 */
function read(text, { method = 'GET', pieceSize = text.length, close = false } = {}) {
  /** @type {import('./response-reader.js').ResponseHead[]} */
  const heads = [];
  let body = '';
  const reader = new ResponseReader({ head: (h) => heads.push(h), body: (chunk) => { body += chunk.toString('latin1'); } }, method);
  const bytes = Buffer.from(text, 'latin1');
  let complete = false;
  for (let at = 0; at < bytes.length && !complete; at += pieceSize) complete = reader.read(bytes.subarray(at, at + pieceSize));
  if (close && !complete) complete = reader.closed();
  return { heads, body, complete, keepAlive: reader.keepAlive };
}

const CHUNKED = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n' +
  '5\r\nhello\r\n7;name=value\r\n, world\r\n0\r\nX-Trailer: 1\r\n\r\n';

test('a response with Content-Length, whole or one byte at a time, keeps its connection', () => {
  const text = 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\nX-Served-By: web-01\r\n\r\nhello';
  for (const pieceSize of [text.length, 1, 7]) {
    const { heads, body, complete, keepAlive } = read(text, { pieceSize });
    assert.deepEqual(heads, [{ status: 200, reason: 'OK', keepAlive: true,
      headers: ['Content-Type', 'text/plain', 'Content-Length', '5', 'X-Served-By', 'web-01'] }]);
    assert.equal(body, 'hello');
    assert.ok(complete);
    assert.ok(keepAlive);
  }
});

test('a chunked body is decoded, whatever the pieces; Transfer-Encoding and trailers are not passed on', () => {
  for (let pieceSize = 1; pieceSize <= CHUNKED.length; pieceSize++) {
    const { heads, body, complete, keepAlive } = read(CHUNKED, { pieceSize });
    assert.equal(body, 'hello, world', `pieces of ${pieceSize} bytes`);
    assert.ok(complete && keepAlive);
    assert.deepEqual(heads[0].headers, ['Content-Type', 'text/plain']);
  }
  assert.equal(read(CHUNKED.slice(0, -2)).complete, false, 'not complete without the empty line after the trailers');
});

test('no body after HEAD, 204 and 304; a 1xx is skipped; without a length the body lasts until the close', () => {
  const head = read('HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n', { method: 'HEAD' });
  assert.ok(head.complete && head.keepAlive);
  assert.ok(read('HTTP/1.1 204 No Content\r\n\r\n').complete);
  assert.ok(read('HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n').complete);
  const continued = read('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok');
  assert.deepEqual(continued.heads.map((h) => h.status), [201]);
  assert.equal(continued.body, 'ok');
  const untilClose = read('HTTP/1.1 200 OK\r\n\r\nall of it', { close: true });
  assert.equal(untilClose.body, 'all of it');
  assert.ok(untilClose.complete && !untilClose.keepAlive);
  assert.equal(read('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort', { close: true }).complete, false);
});

test('whether the server keeps the connection: Connection close, HTTP/1.0, bytes after the response', () => {
  assert.equal(read('HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n').keepAlive, false);
  assert.equal(read('HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n').keepAlive, false);
  assert.equal(read('HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 0\r\n\r\n').keepAlive, true);
  assert.equal(read('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 200 OK\r\n').keepAlive, false);
  const listed = read('HTTP/1.1 200 OK\r\nConnection: X-Private\r\nX-Private: 1\r\nKeep-Alive: timeout=5\r\nContent-Length: 0\r\n\r\n');
  assert.deepEqual(listed.heads[0].headers, ['Content-Length', '0'], 'hop-by-hop headers are dropped');
});

test('the same Content-Length twice is passed on once', () => {
  const twice = read('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nok');
  assert.deepEqual(twice.heads[0].headers, ['Content-Length', '2']);
  assert.equal(twice.body, 'ok');
});

test('Transfer-Encoding together with Content-Length: the chunks decide, the length is dropped, the connection closed', () => {
  const mixed = read(CHUNKED.replace('Content-Type', 'Content-Length: 3\r\nContent-Type'));
  assert.equal(mixed.body, 'hello, world');
  assert.deepEqual(mixed.heads[0].headers, ['Content-Type', 'text/plain']);
  assert.equal(mixed.keepAlive, false);
});

test('junk is refused: not HTTP, bad headers, conflicting lengths, bad chunks, a head too large', () => {
  const junk = [
    'SSH-2.0-OpenSSH_9.2\r\n\r\n',
    'HTTP/1.1 200 OK\r\nBad Header\r\n\r\n',
    'HTTP/1.1 200 OK\r\nX-Split: a\nb\r\n\r\n',
    'HTTP/1.1 200 OK\r\n folded: value\r\n\r\n',
    'HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n',
    'HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n',
    'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
    'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n',
    `HTTP/1.1 200 OK\r\nX-Big: ${'a'.repeat(17 * 1024)}`,
  ];
  for (const text of junk) {
    assert.throws(() => read(text), JunkResponseError, JSON.stringify(text.slice(0, 50)));
    assert.throws(() => read(text, { pieceSize: 3 }), JunkResponseError, `${JSON.stringify(text.slice(0, 50))} in pieces`);
  }
});
