// @ts-check
/**
 * proxy_pass and upstream groups (fixtures/proxy), against small servers started here: the URI rule, the
 * headers nginx sends, weighted round robin, a failing server left out after max_fails, backup servers,
 * 502 when every server is down and 504 when one does not answer in time.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { test } from 'node:test';
import { copyFixture, fileCleanup, freePort, request, startWebTier, waitFor } from './harness.js';

/**
 * @typedef {{ name: string, url: string, headers: http.IncomingHttpHeaders, body: string }} Seen
 */

const cleanup = fileCleanup();
/** @type {Seen[]} every request the two application servers received, in order */
const seen = [];
const app01 = await startApp('app-01');
const app02 = await startApp('app-02');
const resetter = await startTcp((socket) => socket.destroy());
const silent = await startTcp(() => {});
const web = await startWebTier(cleanup, await copyFixture(cleanup, 'proxy'), {
  ports: {
    '10.0.0.31:3000': app01, '10.0.0.32:3000': app02, '10.0.0.39:3000': resetter.port,
    '10.0.0.38:3000': await freePort(), '10.0.0.37:3000': await freePort(), '10.0.0.36:3000': silent.port,
  },
});

/**
 * Waits for a line in the web tier's error log: it comes through a pipe, which the test may read after the answer.
 * @param {RegExp} line
 */
const inErrorLog = (line) => waitFor(() => line.test(web.stderr), `${line} in the error log`, 3_000);
/** @param {string} prefix */
const seenUnder = (prefix) => seen.filter((s) => s.url.startsWith(prefix));

test('without a path in proxy_pass the request goes on as sent, with the configured headers', async () => {
  const reply = await request(web.port, '/app/a%20b?x=1', { headers: { Host: 'www.site.test', 'X-Forwarded-For': '203.0.113.7' } });
  assert.equal(reply.status, 200);
  const got = seenUnder('/app/a')[0];
  assert.equal(got.url, '/app/a%20b?x=1');
  assert.equal(got.headers.host, 'www.site.test');
  assert.equal(got.headers['x-forwarded-for'], '203.0.113.7, 127.0.0.1');
  assert.equal(got.headers['x-real-ip'], '127.0.0.1');
  assert.equal(got.headers['x-forwarded-proto'], 'http');
  assert.equal(got.headers.connection, 'close');
});

test('with a path in proxy_pass the matched prefix is replaced; default Host is $proxy_host', async () => {
  await request(web.port, '/strip/users/7?full=1', { headers: { 'X-Forwarded-For': '203.0.113.7', Connection: 'keep-alive', TE: 'trailers' } });
  const got = seenUnder('/v1/')[0];
  assert.equal(got.url, '/v1/users/7?full=1');
  assert.equal(got.headers.host, 'app-01:3000');
  assert.equal(got.headers.connection, 'close');
  assert.equal(got.headers.te, undefined, 'nginx drops TE');
  assert.equal(got.headers['x-forwarded-for'], '203.0.113.7', 'without proxy_set_header the client header passes unchanged');
  await request(web.port, '/strip/a%2Fb%20c');
  assert.equal(seenUnder('/v1/a')[0].url, '/v1/a/b%20c', 'the normalized path is sent, escaped again');
  await request(web.port, '/exact?q=1');
  assert.equal(seenUnder('/other')[0].url, '/other?q=1');
});

test("the upstream's status, headers and body come back; the body of a POST goes up", async () => {
  const reply = await request(web.port, '/app/created', { method: 'POST', body: 'name=ada', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
  assert.equal(reply.status, 201);
  assert.deepEqual(reply.headers['set-cookie'], ['a=1', 'b=2']);
  assert.match(String(reply.headers['x-app']), /^app-0[12]$/);
  assert.equal(reply.headers.server, 'nginx', "nginx replaces the upstream's Server header");
  assert.equal(reply.headers['x-served-by'], 'web-01');
  assert.equal(reply.body, `created by ${reply.headers['x-app']}: name=ada`);
  assert.equal(seenUnder('/app/created')[0].headers['content-length'], '8');
});

test('round robin alternates; weight=3 gives nginx smooth sequence a a b a', async () => {
  for (let i = 0; i < 4; i++) await request(web.port, `/app/rr/${i}`);
  const names = seenUnder('/app/rr/').map((s) => s.name);
  assert.deepEqual(names, [names[0], names[1], names[0], names[1]]);
  assert.notEqual(names[0], names[1]);
  for (let i = 0; i < 8; i++) await request(web.port, `/weighted/${i}`);
  assert.deepEqual(seenUnder('/weighted/').map((s) => s.name), ['app-01', 'app-01', 'app-02', 'app-01', 'app-01', 'app-01', 'app-02', 'app-01']);
});

test('a failing server is retried on the next, and left out after max_fails', async () => {
  const before = resetter.connections;
  for (let i = 0; i < 10; i++) {
    const reply = await request(web.port, `/flaky/${i}`);
    assert.equal(reply.status, 200, 'the client never sees the failure: nginx tries the next server');
  }
  assert.equal(seenUnder('/flaky/').length, 10);
  assert.equal(resetter.connections - before, 2, 'max_fails=2: two failures, then fail_timeout (60 s) without attempts');
  await inErrorLog(/upstream server temporarily disabled: 10\.0\.0\.39:3000 in "flaky"/);
});

test('a backup server answers only when the others are down', async () => {
  const reply = await request(web.port, '/standby/x');
  assert.equal(reply.status, 200);
  assert.equal(seenUnder('/standby/')[0].name, 'app-02');
});

test('502 when every server of the upstream is down', async () => {
  const reply = await request(web.port, '/dead/x');
  assert.equal(reply.status, 502);
  assert.match(reply.body, /<h1>502 Bad Gateway<\/h1>/);
  await inErrorLog(/connect\(\) failed \(ECONNREFUSED\) while connecting to upstream.*upstream: "http:\/\/10\.0\.0\.3[78]:3000\/dead\/x"/);
});

test('504 when the upstream does not answer within proxy_read_timeout', async () => {
  const started = Date.now();
  const reply = await request(web.port, '/slow/x');
  assert.equal(reply.status, 504);
  assert.ok(Date.now() - started >= 900, 'not before the 1 s timeout');
  await inErrorLog(/upstream timed out while reading response header from upstream/);
});

test('a request for /strip, where location /strip/ proxies, is redirected to /strip/', async () => {
  const reply = await request(web.port, '/strip?x=1');
  assert.equal(reply.status, 301);
  assert.equal(reply.headers.location, '/strip/?x=1');
});

/**
 * An application server that records what it receives and answers with its name.
 * @param {string} name
 */
async function startApp(name) {
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      seen.push({ name, url: req.url ?? '', headers: req.headers, body });
      res.setHeader('X-App', name);
      res.setHeader('Server', 'app-server');
      if (req.url === '/app/created') {
        res.setHeader('Set-Cookie', ['a=1', 'b=2']);
        res.writeHead(201).end(`created by ${name}: ${body}`);
      } else {
        res.end(`${name} ${req.url}`);
      }
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  cleanup.after(() => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }));
  return /** @type {net.AddressInfo} */ (server.address()).port;
}

/**
 * A TCP server that does something to every connection, and counts them.
 * @param {(socket: net.Socket) => void} onConnection
 */
async function startTcp(onConnection) {
  /** @type {Set<net.Socket>} */
  const sockets = new Set();
  const state = { port: 0, connections: 0 };
  const server = net.createServer((socket) => {
    state.connections++;
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
    onConnection(socket);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  cleanup.after(() => new Promise((resolve) => { sockets.forEach((s) => s.destroy()); server.close(resolve); }));
  state.port = /** @type {net.AddressInfo} */ (server.address()).port;
  return state;
}
