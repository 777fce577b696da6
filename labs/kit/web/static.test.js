// @ts-check
/**
 * Static files (fixtures/site): MIME types, ETag and Last-Modified with 304, HEAD, index files and the 301 that
 * adds a directory's slash, try_files, error_page, add_header and the access log.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { copyFixture, fileCleanup, request, startWebTier, waitFor } from './harness.js';

const cleanup = fileCleanup();
const dir = await copyFixture(cleanup, 'site');
const web = await startWebTier(cleanup, dir);

test('files are served with the MIME type of their extension', async () => {
  const table = [
    ['/index.html', 'text/html'],
    ['/style.css', 'text/css'],
    ['/app.js', 'application/javascript'],
    ['/data.json', 'application/json'],
    ['/notes.txt', 'text/plain'],
    ['/logo.svg', 'image/svg+xml'],
    ['/archive.unknownext', 'application/octet-stream'],
  ];
  for (const [file, type] of table) {
    const reply = await request(web.port, file);
    assert.equal(reply.status, 200, file);
    assert.equal(reply.headers['content-type'], type, file);
    assert.equal(reply.body, await readFile(path.join(dir, 'www', file), 'utf8'), file);
    assert.equal(reply.headers.server, 'nginx');
  }
});

test('ETag and Last-Modified, and 304 when they match', async () => {
  const first = await request(web.port, '/style.css');
  const etag = String(first.headers.etag);
  const lastModified = String(first.headers['last-modified']);
  assert.match(etag, /^"[0-9a-f]+-17"$/, 'nginx writes "mtime-size" in hexadecimal; the file has 23 bytes');
  assert.ok(Date.parse(lastModified) > 0);

  const cases = [
    [{ 'If-None-Match': etag }, 304],
    [{ 'If-None-Match': `W/${etag}` }, 304],
    [{ 'If-None-Match': `"other", ${etag}` }, 304],
    [{ 'If-None-Match': '"other"' }, 200],
    [{ 'If-Modified-Since': lastModified }, 304],
    [{ 'If-Modified-Since': new Date(Date.parse(lastModified) - 60_000).toUTCString() }, 200],
    [{ 'If-None-Match': etag, 'If-Modified-Since': 'Thu, 01 Jan 1970 00:00:00 GMT' }, 200],
  ];
  for (const [headers, status] of cases) {
    const reply = await request(web.port, '/style.css', { headers: /** @type {Record<string, string>} */ (headers) });
    assert.equal(reply.status, status, JSON.stringify(headers));
    if (status === 304) {
      assert.equal(reply.body, '');
      assert.equal(reply.headers.etag, etag);
    }
  }
});

test('HEAD answers with the headers of GET and no body', async () => {
  const get = await request(web.port, '/index.html');
  const head = await request(web.port, '/index.html', { method: 'HEAD' });
  assert.equal(head.status, 200);
  assert.equal(head.body, '');
  for (const name of ['content-type', 'content-length', 'etag', 'last-modified']) assert.equal(head.headers[name], get.headers[name], name);
  assert.equal(Number(head.headers['content-length']), Buffer.byteLength(get.body));
});

test('index files, the slash nginx adds with a 301, and 403 for a folder without an index', async () => {
  assert.match((await request(web.port, '/')).body, /home page/);
  assert.match((await request(web.port, '/sub/')).body, /sub index/);
  const moved = await request(web.port, '/sub?page=2');
  assert.equal(moved.status, 301);
  assert.equal(moved.headers.location, '/sub/?page=2');
  assert.match(moved.body, /<title>301 Moved Permanently<\/title>/);
  assert.equal((await request(web.port, '/noindex/')).status, 403);
  assert.equal((await request(web.port, '/noindex/file.txt')).status, 200);
});

test('a missing file is 404 with the error_page; other methods than GET and HEAD on a file are 405', async () => {
  const missing = await request(web.port, '/nothing-here.html');
  assert.equal(missing.status, 404);
  assert.match(missing.body, /custom not found page/);
  assert.equal((await request(web.port, '/index.html', { method: 'POST', body: 'x' })).status, 405);
  assert.equal((await request(web.port, '/index.html', { method: 'DELETE' })).status, 405);
  assert.equal((await request(web.port, '/nothing.html', { method: 'POST', body: 'x' })).status, 404, 'nginx looks for the file first');
});

test('try_files: a file, else a folder, else the fallback URI or =404', async () => {
  assert.match((await request(web.port, '/app/some/client/route')).body, /single page app/);
  assert.equal((await request(web.port, '/app/some/client/route')).status, 200);
  assert.match((await request(web.port, '/app/')).body, /single page app/);
  const strict = await request(web.port, '/strict/nothing');
  assert.equal(strict.status, 404);
  assert.match(strict.body, /custom not found page/, 'error_page applies to try_files =404 too');
});

test('add_header adds to successful answers only, unless written with always', async () => {
  const ok = await request(web.port, '/');
  assert.equal(ok.headers['x-served-by'], 'web-01', '$hostname is LAB_SERVER in a lab');
  assert.equal(ok.headers['x-always'], 'yes');
  const missing = await request(web.port, '/nothing');
  assert.equal(missing.headers['x-served-by'], undefined);
  assert.equal(missing.headers['x-always'], 'yes');
});

test('the access log gets a line in the combined format', async () => {
  await request(web.port, '/notes.txt?from=log', { headers: { 'User-Agent': 'log-test/1.0', Referer: 'http://referer.test/' } });
  const line = /^127\.0\.0\.1 - - \[\d{2}\/\w{3}\/\d{4}:\d{2}:\d{2}:\d{2} [+-]\d{4}\] "GET \/notes\.txt\?from=log HTTP\/1\.1" 200 11 "http:\/\/referer\.test\/" "log-test\/1\.0"$/m;
  await waitFor(() => line.test(web.stdout), `the access log line in:\n${web.stdout}`);
});
