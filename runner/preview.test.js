// @ts-check
/** The preview proxy: the lab's pages for the page's iframe, with the isolation headers, and only the lab's ports. */
import assert from 'node:assert/strict';
import http from 'node:http';
import { test } from 'node:test';
import { listen } from '../labs/kit/lib/http-server.js';
import { labJson, runnerFor, waitFor } from './testing.js';

/**
 * A lab server on a free loopback port that answers with what it was asked, or redirects /old to /new.
 * @param {import('node:test').TestContext} t
 */
async function labServer(t) {
  const server = http.createServer((req, res) => {
    if (req.url === '/old') {
      res.writeHead(302, { Location: '/new' });
      return res.end();
    }
    res.writeHead(200, { 'Content-Type': 'text/plain', 'X-Served-By': 'web-01' });
    res.end(`${req.method} ${req.url} host=${req.headers.host}`);
  });
  const port = await listen(server, 0, '127.0.0.1');
  t.after(() => new Promise((resolve) => server.close(resolve)));
  return port;
}

/**
 * @param {string} url
 * @param {Record<string, string>} [headers]
 */
async function get(url, headers = {}) {
  const res = await fetch(url, { headers, redirect: 'manual' });
  return { status: res.status, headers: res.headers, body: await res.text() };
}

test('the preview shows a port of the lab\'s table with the headers an isolated page needs', async (t) => {
  const labPort = await labServer(t);
  const strangerPort = await labServer(t);
  const runner = await runnerFor(t);
  const client = await runner.connect();
  await client.ok({ type: 'mount', files: { 'lab.json': labJson(), 'network.json': JSON.stringify({ ports: { 'web-01:80': labPort } }) } });

  const { url } = await client.ok({ type: 'preview', port: labPort });
  assert.match(url, new RegExp(`^http://127\\.0\\.0\\.1:${runner.port}/preview/[A-Za-z0-9_-]{20,}/${labPort}/$`));
  const page = await get(`${url}hello?x=1`);
  assert.equal(page.status, 200);
  assert.equal(page.body, `GET /hello?x=1 host=127.0.0.1:${labPort}`);
  assert.equal(page.headers.get('cross-origin-resource-policy'), 'cross-origin');
  assert.equal(page.headers.get('cross-origin-embedder-policy'), 'require-corp');
  assert.equal(page.headers.get('x-served-by'), 'web-01');

  const redirect = await get(`${url}old`);
  assert.equal(redirect.status, 302);
  assert.equal(redirect.headers.get('location'), `${new URL(url).pathname}new`);

  // A page in the preview that asks for an absolute path is sent back under its preview.
  const absolute = await get(`${runner.origin}/style.css`, { Referer: `${url}index.html` });
  assert.equal(absolute.status, 307);
  assert.equal(absolute.headers.get('location'), `${new URL(url).pathname}style.css`);

  const refused = await client.request({ type: 'preview', port: strangerPort });
  assert.equal(refused.ok, false);
  assert.match(refused.error, /not in the lab's network table/);
  const direct = await get(url.replace(`/${labPort}/`, `/${strangerPort}/`));
  assert.equal(direct.status, 403);
  assert.doesNotMatch(direct.body, /GET/);
});

test('a preview address dies with its session, and a made-up one never worked', async (t) => {
  const labPort = await labServer(t);
  const runner = await runnerFor(t);
  const client = await runner.connect();
  await client.ok({ type: 'mount', files: { 'lab.json': labJson(), 'network.json': JSON.stringify({ ports: { 'web-01:80': labPort } }) } });
  const { url } = await client.ok({ type: 'preview', port: labPort });
  assert.equal((await get(url)).status, 200);
  assert.equal((await get(`${runner.origin}/preview/made-up-key-0000000000/${labPort}/`)).status, 404);
  await client.close();
  await waitFor(async () => (await get(url)).status === 404, 'the preview to end with its session');
  assert.match((await get(url)).body, /ended/);
});

test('a lab port where nothing listens yet says to start the lab', async (t) => {
  const runner = await runnerFor(t);
  const client = await runner.connect();
  await client.ok({ type: 'mount', files: { 'lab.json': labJson(), 'network.json': JSON.stringify({ ports: { 'web-01:80': 1 } }) } });
  const { url } = await client.ok({ type: 'preview', port: 1 });
  const answer = await get(url);
  assert.equal(answer.status, 502);
  assert.match(answer.body, /Start the lab \(lab up\)/);
  assert.equal(answer.headers.get('cross-origin-resource-policy'), 'cross-origin');
});

test('the lab\'s ports are fixed when the lab starts: a network.json written later reaches no other port', async (t) => {
  const labPort = await labServer(t);
  const strangerPort = await labServer(t);
  const runner = await runnerFor(t);
  const client = await runner.connect();
  const table = (/** @type {number[]} */ ...ports) => JSON.stringify({ ports: Object.fromEntries(ports.map((port, i) => [`web-0${i}:80`, port])) });
  await client.ok({ type: 'mount', files: { 'lab.json': labJson(), 'network.json': table(labPort, runner.port) } });
  const { url } = await client.ok({ type: 'preview', port: labPort });

  await client.ok({ type: 'writeFile', path: 'network.json', content: table(labPort, strangerPort) });
  await client.ok({ type: 'mount', files: { 'lab.json': labJson(), 'network.json': table(labPort, strangerPort) } });
  for (const port of [strangerPort, runner.port]) {
    const asked = await client.request({ type: 'preview', port });
    assert.match(asked.error, new RegExp(`port ${port} is not in the lab's network table`));
    const direct = await get(url.replace(`/${labPort}/`, `/${port}/`));
    assert.equal(direct.status, 403, `port ${port}`);
    assert.doesNotMatch(direct.body, /GET/);
  }
  assert.equal((await get(url)).status, 200);
});

test('without network.json in a mount, the table on disk at the first preview is the one kept', async (t) => {
  const labPort = await labServer(t);
  const strangerPort = await labServer(t);
  const runner = await runnerFor(t);
  const client = await runner.connect();
  await client.ok({ type: 'mount', files: { 'lab.json': labJson() } });
  await client.ok({ type: 'writeFile', path: 'network.json', content: JSON.stringify({ ports: { 'web-01:80': labPort } }) });
  const { url } = await client.ok({ type: 'preview', port: labPort });
  await client.ok({ type: 'writeFile', path: 'network.json', content: JSON.stringify({ ports: { 'web-01:80': strangerPort } }) });
  assert.equal((await get(url.replace(`/${labPort}/`, `/${strangerPort}/`))).status, 403);
  assert.equal((await get(url)).status, 200);
});

test('the preview forwards no credentials and no cookies, and its key does not reach the lab', async (t) => {
  const server = http.createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Set-Cookie': 'session=lab; Path=/' });
    res.end(JSON.stringify(req.headers));
  });
  const labPort = await listen(server, 0, '127.0.0.1');
  t.after(() => new Promise((resolve) => server.close(resolve)));
  const runner = await runnerFor(t);
  const client = await runner.connect();
  await client.ok({ type: 'mount', files: { 'lab.json': labJson(), 'network.json': JSON.stringify({ ports: { 'web-01:80': labPort } }) } });
  const { url } = await client.ok({ type: 'preview', port: labPort });

  const page = await get(`${url}style.css`, {
    Cookie: 'jupyter=secret', Authorization: 'Bearer secret', 'Proxy-Authorization': 'Basic secret',
    Referer: `${url}index.html?x=1`, Accept: 'text/css', 'User-Agent': 'course-test',
  });
  const seen = JSON.parse(page.body);
  for (const name of ['cookie', 'authorization', 'proxy-authorization']) assert.equal(seen[name], undefined, `${name} was forwarded`);
  assert.equal(seen.referer, `http://127.0.0.1:${labPort}/index.html?x=1`);
  assert.equal(seen.accept, 'text/css');
  assert.equal(seen['user-agent'], 'course-test');
  assert.equal(page.headers.get('set-cookie'), null);
  const foreign = JSON.parse((await get(url, { Referer: 'https://elsewhere.example/page' })).body);
  assert.equal(foreign.referer, undefined);
});
