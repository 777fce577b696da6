// @ts-check
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { freePort, rawRequest, startDb, startTier, tempDir, waitFor } from '../db/testing.js';
import { readSettings } from './settings.js';

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

test('a malformed flag or environment variable names it and says what is expected', () => {
  /** @param {string[]} args @param {NodeJS.ProcessEnv} [env] */
  const refusal = (args, env = {}) => {
    try {
      readSettings(args, env);
    } catch (error) {
      return /** @type {import('../lib/config-error.js').ConfigError} */ (error).format();
    }
    assert.fail(`expected ${args.join(' ')} to be refused`);
  };
  assert.match(refusal(['--port', 'abc']), /^command line: flag --port: 'abc' is not a port number\n {2}hint: a port is a number from 1 to 65535/);
  assert.match(refusal(['--port', '--db', 'db-01:3306']), /^command line: flag '--port' needs a value, not the next flag '--db'/);
  assert.match(refusal(['--db', '']), /^command line: flag --db: the address is empty\n {2}hint: name the database server and its port, HOST:PORT/);
  assert.match(refusal(['--db=300.1.1.1:3306']), /^command line: flag --db: '300\.1\.1\.1' is not an IPv4 address: each of its four numbers is from 0 to 255, and 300 is not/);
  assert.match(refusal(['--db', 'db-01']), /^command line: flag --db: 'db-01' is not an address of the form host:port/);
  assert.match(refusal(['--db', 'db-01:70000']), /^command line: flag --db: port 70000 in 'db-01:70000' is out of range/);
  assert.match(refusal(['--db', ':3306']), /^command line: flag --db: the host is missing/);
  assert.match(refusal(['--db', 'db 01:3306']), /^command line: flag --db: 'db 01' is not an IP address or a host name/);
  assert.match(refusal(['--colour', 'red']), /^command line: unknown flag '--colour'\n {2}hint: supported here: --port, --db/);
  assert.match(refusal(['--dbb', 'x']), /hint: did you mean '--db'\?/);
  assert.match(refusal(['3000']), /^command line: unexpected argument '3000': every setting is a flag with its value, such as --port 3000/);
  assert.match(refusal(['--db-user', '']), /^command line: flag --db-user: the database user is empty/);
  assert.match(refusal([], { DB_ADDRESS: '10.0.0.256:3306' }), /^command line: environment variable DB_ADDRESS: '10\.0\.0\.256' is not an IPv4 address/);
  assert.match(refusal([], { APP_PORT: '' }), /^command line: environment variable APP_PORT: '' is not a port number/);
  assert.deepEqual(readSettings(['--db=[::1]:3306', '--port=3001'], {}).db, '[::1]:3306');
});

test('the app stops at start on a bad --db, with the message and status 1, and no stack trace', { timeout: 20_000 }, async (t) => {
  const app = startTier(t, 'app', ['--db', '300.1.1.1:3306'], { cwd: tempDir(t) });
  assert.equal((await app.exited).code, 1);
  assert.match(app.output(), /^app: command line: flag --db: '300\.1\.1\.1' is not an IPv4 address/);
  assert.doesNotMatch(app.output(), /^\s+at /m);
});

test('a malformed HTTP request is answered 4xx, and the app keeps serving', { timeout: 20_000 }, async (t) => {
  const appPort = await freePort();
  const app = startTier(t, 'app', [`--port=${appPort}`, `--db=127.0.0.1:${await freePort()}`], { cwd: tempDir(t) });
  await app.waitForOutput('listening');
  assert.match(await rawRequest(appPort, 'GET // HTTP/1.1\r\nHost: app\r\n\r\n'), /^HTTP\/1\.1 400 [\s\S]*is not a path/);
  assert.match(await rawRequest(appPort, '\u0000\u0001 not HTTP at all\r\n\r\n'), /^HTTP\/1\.1 400 Bad Request/);
  assert.match(await rawRequest(appPort, 'GET / HTTP/1.1\r\nHost: app\r\nBad Header\r\n\r\n'), /^HTTP\/1\.1 400 Bad Request/);
  assert.match(await rawRequest(appPort, `GET / HTTP/1.1\r\nHost: app\r\nX-Big: ${'x'.repeat(20_000)}\r\n\r\n`), /^HTTP\/1\.1 431 /);
  assert.match(await rawRequest(appPort, 'POST /entries HTTP/1.1\r\nHost: app\r\nContent-Type: application/json\r\nContent-Length: 4\r\n\r\n{"a"'),
    /^HTTP\/1\.1 400 [\s\S]*not valid JSON/);
  assert.equal((await fetch(`http://127.0.0.1:${appPort}/api/entries?limit=abc`)).status, 400);
  assert.equal((await fetch(`http://127.0.0.1:${appPort}/api/entries/%zz`)).status, 404);
  const health = await fetch(`http://127.0.0.1:${appPort}/health`);
  assert.equal(health.status, 503, 'still serving: the database is not there, and the app says so');
  assert.equal(app.child.exitCode, null);
});
