// @ts-check
/**
 * Retries: with `retries`, `option redispatch` and `retry-on`, a load of GET requests sees no failure when a server
 * is killed in the middle of it; and a POST is not replayed after it was sent.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import { test } from 'node:test';
import { freePort, get, readStatsCsv, startBackends, startBalancer } from './test-support/harness.js';

const LOAD_MS = 10_000;
const CONCURRENCY = 8;

/**
 * @param {number} port
 * @param {{ name: string, port: number }[]} backends
 * @param {string} retryOn
 */
function config(port, backends, retryOn) {
  return `defaults
    mode http
    timeout connect 500ms
    timeout client 5s
    timeout server 2s
    retries 3
    option redispatch
    retry-on ${retryOn}
frontend www
    bind 127.0.0.1:${port}
    default_backend web
backend web
    option httpchk GET /health
${backends.map((b) => `    server ${b.name} 127.0.0.1:${b.port} check inter 500 fall 2 rise 2`).join('\n')}
listen stats
    bind 127.0.0.1:${port + 1}
    stats enable
    stats uri /stats
`;
}

test(`a ${LOAD_MS / 1000} s load of GET requests sees no failure when a server is SIGKILLed in the middle`, async (t) => {
  const backends = await startBackends(t, ['web-01', 'web-02', 'web-03']);
  const port = await freePort();
  await startBalancer(t, config(port, backends, 'conn-failure empty-response response-timeout'), port);
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  t.after(() => agent.destroy());
  const deadline = Date.now() + LOAD_MS;
  /** @type {Record<string, number>} */
  const served = {};
  /** @type {string[]} */
  const failures = [];
  const worker = async () => {
    while (Date.now() < deadline) {
      try {
        const { status, body } = await get(port, '/', { agent });
        if (status === 200) served[body] = (served[body] ?? 0) + 1;
        else failures.push(`${status} ${body.slice(0, 60)}`);
      } catch (error) {
        failures.push(String(error));
      }
    }
  };
  const workers = Array.from({ length: CONCURRENCY }, worker);
  setTimeout(() => backends[1].process.kill('SIGKILL'), LOAD_MS / 2);
  await Promise.all(workers);

  assert.deepEqual(failures, []);
  const rows = await readStatsCsv(port + 1);
  const web02 = /** @type {Record<string, string>} */ (rows.find((r) => r.svname === 'web-02'));
  assert.equal(web02.status, 'DOWN');
  const backend = /** @type {Record<string, string>} */ (rows.find((r) => r.svname === 'BACKEND'));
  assert.ok(Number(backend.wredis) > 0, 'some requests were redispatched to another server');
  assert.ok(served['web-01'] > 50 && served['web-03'] > 50, `load reached the survivors: ${JSON.stringify(served)}`);
});

test('without retries a request to a dead server fails with 503; a POST is never replayed after it was sent', async (t) => {
  const port = await freePort();
  // Fixed, below the ephemeral range, so that no other test's socket can be handed it and answer (see redispatch.test.js).
  const deadPort = 25992;
  await startBalancer(t, config(port, [{ name: 'gone', port: deadPort }], 'conn-failure').replace('    retries 3\n', '    retries 0\n')
    .replace(' check inter 500 fall 2 rise 2', ''), port);
  const { status, body } = await get(port);
  assert.equal(status, 503);
  assert.match(body, /503 Service Unavailable/);

  // A server that accepts the request, then closes the connection without answering: empty-response.
  const hangUp = http.createServer((req) => req.socket.destroy());
  await new Promise((resolve) => hangUp.listen(0, '127.0.0.1', () => resolve(undefined)));
  t.after(() => hangUp.close());
  const hangUpPort = /** @type {import('node:net').AddressInfo} */ (hangUp.address()).port;
  let seen = 0;
  hangUp.on('request', () => { seen++; });
  const port2 = await freePort();
  await startBalancer(t, config(port2, [{ name: 'rude', port: hangUpPort }], 'empty-response').replace(' check inter 500 fall 2 rise 2', ''), port2);
  assert.equal((await get(port2, '/', { method: 'POST' })).status, 502);
  assert.equal(seen, 1, 'the POST reached the server once and was not replayed');
  seen = 0;
  assert.equal((await get(port2, '/', { method: 'GET' })).status, 502);
  assert.equal(seen, 4, 'the GET was sent once and replayed `retries` (3) times');
});
