// @ts-check
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { freePort, startDb, startTier, tempDir, waitFor } from '../db/testing.js';

/**
 * A small lab: db-01 (10.0.0.41) and app-01 (10.0.0.31) in a network table, the app connecting to db-01:3306.
 * @param {import('../db/testing.js').TestContext} t
 */
async function startLab(t) {
  const dir = tempDir(t);
  const [dbPort, appPort] = [await freePort(), await freePort()];
  const network = path.join(dir, 'network.json');
  writeFileSync(network, JSON.stringify({
    hosts: { 'web-01': '10.0.0.21', 'app-01': '10.0.0.31', 'db-01': '10.0.0.41' },
    ports: { 'db-01:3306': dbPort, 'app-01:3000': appPort },
  }));
  const dbDir = path.join(dir, 'db-01');
  mkdirSync(dbDir);
  const dbEnv = { LAB_NETWORK: network, LAB_SERVER: 'db-01' };
  const lab = {
    db: await startDb(t, dbDir, dbPort, { env: dbEnv }),
    restartDb: async () => { lab.db = await startDb(t, dbDir, dbPort, { env: dbEnv }); },
    app: startTier(t, 'app', ['--port', '3000', '--db', 'db-01:3306', '--db-user', 'app', '--database=shop'],
      { cwd: dir, env: { LAB_NETWORK: network, LAB_SERVER: 'app-01', DB_PASSWORD: 'secret' } }),
    url: `http://127.0.0.1:${appPort}`,
  };
  await lab.app.waitForOutput('listening');
  return lab;
}

/**
 * A response's JSON, as any: the tests check its shape.
 * @param {Response | Promise<Response>} response
 * @returns {Promise<any>}
 */
async function json(response) {
  return (await response).json();
}

/** @param {string} url @param {Record<string, unknown>} body */
function postJson(url, body) {
  return fetch(`${url}/entries`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

/** @param {string} url @param {Record<string, string>} fields */
function postForm(url, fields) {
  return fetch(`${url}/entries`, { method: 'POST', body: new URLSearchParams(fields), redirect: 'manual' });
}

test('writes and reads through the database, and names the web, app and database servers', { timeout: 20_000 }, async (t) => {
  const { url } = await startLab(t);
  const created = await postJson(url, { name: 'Ann', message: 'Hello from JSON' });
  assert.equal(created.status, 201);
  const { entry } = await json(created);
  assert.equal(created.headers.get('location'), `/api/entries/${entry.id}`);
  const form = await postForm(url, { name: 'Bob', message: 'Hello from the form' });
  assert.equal(form.status, 303);
  assert.equal(form.headers.get('location'), '/');

  const api = await fetch(`${url}/api/entries`, { headers: { 'X-Web-Server': 'web-02' } });
  assert.equal(api.headers.get('x-app-server'), 'app-01');
  const listed = await json(api);
  assert.deepEqual(listed.entries.map((/** @type {any} */ e) => e.message), ['Hello from the form', 'Hello from JSON']);
  assert.deepEqual(listed.servers, { web: 'web-02', app: 'app-01', database: 'db-01' });
  assert.equal((await json(fetch(`${url}/api/entries/${entry.id}`))).entry.name, 'Ann');

  const page = await fetch(url, { headers: { 'X-Web-Server': 'web-01', 'X-Forwarded-For': '203.0.113.9' } });
  assert.equal(page.status, 200);
  assert.equal(page.headers.get('x-app-server'), 'app-01');
  const html = await page.text();
  assert.match(html, /web server <b class="web">web-01<\/b>,\s+app server <b class="app">app-01<\/b>,\s+database server <b class="database">db-01<\/b>/);
  assert.match(html, /Hello from the form[\s\S]*Hello from JSON/);
  const proxied = await (await fetch(url, { headers: { 'X-Forwarded-For': '10.0.0.11' } })).text();
  assert.match(proxied, /<b class="web">a proxy that did not name itself \(X-Forwarded-For: 10\.0\.0\.11\)<\/b>/);

  const health = await fetch(`${url}/health`);
  assert.equal(health.status, 200);
  assert.equal((await json(health)).servers.database, 'db-01');
});

test('an entry is shown as text, never as HTML: no cross-site scripting', { timeout: 20_000 }, async (t) => {
  const { url } = await startLab(t);
  const attack = { name: '<script>alert("name")</script>', message: '"><img src=x onerror=alert(1)> & \'quotes\'' };
  assert.equal((await postForm(url, attack)).status, 303);
  const html = await (await fetch(url, { headers: { 'X-Web-Server': '<b>web</b>' } })).text();
  assert.ok(!html.includes('<script>alert'), 'the script tag is escaped');
  assert.ok(!html.includes('<img src=x'), 'the img tag is escaped');
  assert.ok(!html.includes('<b>web</b>'), 'the header is escaped');
  assert.ok(html.includes('&lt;script&gt;alert(&quot;name&quot;)&lt;/script&gt;'));
  assert.ok(html.includes('&quot;&gt;&lt;img src=x onerror=alert(1)&gt; &amp; &#39;quotes&#39;'));

  const refused = await postForm(url, { name: '', message: '</textarea><script>alert(2)</script>' });
  assert.equal(refused.status, 400);
  const refill = await refused.text();
  assert.ok(!refill.includes('<script>alert(2)'), 'the refilled form escapes what was typed');
  assert.ok(refill.includes('&lt;/textarea&gt;&lt;script&gt;alert(2)&lt;/script&gt;</textarea>'));
});

test('bad input is refused with 400 and a message', { timeout: 20_000 }, async (t) => {
  const { url } = await startLab(t);
  /** @param {Response} response */
  const messageOf = async (response) => {
    assert.equal(response.status, 400);
    return (await json(response)).message;
  };
  assert.equal(await messageOf(await postJson(url, { name: '  ', message: 'hi' })), 'The name is empty: please write one.');
  assert.equal(await messageOf(await postJson(url, { name: 'Ann' })), 'The message is empty: please write one.');
  assert.equal(await messageOf(await postJson(url, { name: 'x'.repeat(81), message: 'hi' })), 'The name has 81 characters; at most 80 fit.');
  assert.equal(await messageOf(await postJson(url, { name: 'Ann', message: 'é'.repeat(501) })), 'The message has 501 characters; at most 500 fit.');
  assert.equal(await messageOf(await postJson(url, { name: 42, message: 'hi' })), 'The name must be text.');
  const broken = await fetch(`${url}/entries`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name": "Ann",' });
  assert.match(await messageOf(broken), /^The body is not valid JSON: /);
  const form = await postForm(url, { name: 'Ann', message: 'x'.repeat(501) });
  assert.equal(form.status, 400);
  assert.match(await form.text(), /The message has 501 characters; at most 500 fit\./);
  const text = await fetch(`${url}/entries`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hi' });
  assert.equal(text.status, 415);
  assert.equal((await json(fetch(`${url}/api/entries`))).entries.length, 0, 'nothing was written');
});

test('without its database the app answers 503 saying so, and recovers when the database returns', { timeout: 30_000 }, async (t) => {
  const lab = await startLab(t);
  const { url } = lab;
  assert.equal((await postJson(url, { name: 'Ann', message: 'written before the outage' })).status, 201);
  lab.db.child.kill('SIGKILL');
  await lab.db.exited;

  const page = await fetch(url);
  assert.equal(page.status, 503);
  assert.equal(page.headers.get('x-app-server'), 'app-01');
  const html = await page.text();
  assert.match(html, /the database at db-01:3306 cannot be reached: connection refused/);
  assert.match(html, /single point of failure/);
  const health = await fetch(`${url}/health`);
  assert.equal(health.status, 503);
  assert.match((await json(health)).reason, /^the database at db-01:3306 cannot be reached/);
  assert.equal((await postJson(url, { name: 'Bob', message: 'lost?' })).status, 503);
  assert.equal((await fetch(`${url}/api/entries`)).status, 503);

  await lab.restartDb();
  await waitFor(async () => (await fetch(`${url}/health`)).status === 200, 10_000, () => '/health to answer 200 again');
  const entries = (await json(fetch(`${url}/api/entries`))).entries;
  assert.deepEqual(entries.map((/** @type {any} */ e) => e.message), ['written before the outage']);
  assert.match(lab.app.output(), /app: the database at db-01:3306 cannot be reached[\s\S]*app: the database at db-01:3306 answers again/);
});

test('a refusal by the database is a 500 that quotes it, and fails /health with 503', { timeout: 20_000 }, async (t) => {
  const dir = tempDir(t);
  const dbPort = await freePort();
  const appPort = await freePort();
  await startDb(t, dir, dbPort);
  const app = startTier(t, 'app', [`--port=${appPort}`, `--db=127.0.0.1:${dbPort}`], { cwd: dir, env: { DB_PASSWORD: 'secret' } });
  await app.waitForOutput('listening');
  const page = await fetch(`http://127.0.0.1:${appPort}/api/entries`);
  assert.equal(page.status, 500);
  assert.equal((await json(page)).reason, "ERROR 1130 (HY000): Host '127.0.0.1' is not allowed to connect to this MariaDB server");
  const health = await fetch(`http://127.0.0.1:${appPort}/health`);
  assert.equal(health.status, 503);
  assert.match((await json(health)).reason, /^ERROR 1130/);
});
