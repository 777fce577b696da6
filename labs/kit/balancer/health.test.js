// @ts-check
/**
 * Health checks against real processes: a server killed under load is marked DOWN in time; one that starts late
 * comes UP after `rise` passed checks.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { freePort, get, readStatsCsv, startBackends, startBalancer, waitFor } from './test-support/harness.js';

const INTER_MS = 500;
const FALL = 3;
const RISE = 2;

/**
 * @param {number} port
 * @param {{ name: string, port: number }[]} backends
 */
function config(port, backends) {
  return `defaults
    mode http
    timeout connect 500ms
    timeout client 5s
    timeout server 5s
frontend www
    bind 127.0.0.1:${port}
    default_backend web
backend web
    option httpchk GET /health
${backends.map((b) => `    server ${b.name} 127.0.0.1:${b.port} check inter ${INTER_MS} fall ${FALL} rise ${RISE}`).join('\n')}
listen stats
    bind 127.0.0.1:${port + 1}
    stats enable
    stats uri /stats
`;
}

test('a server killed under load is marked DOWN within inter x fall plus one interval', async (t) => {
  const backends = await startBackends(t, ['web-01', 'web-02']);
  const port = await freePort();
  const balancer = await startBalancer(t, config(port, backends), port);
  const statusOf = async (/** @type {string} */ name) => (await readStatsCsv(port + 1)).find((r) => r.svname === name);
  await waitFor(async () => (await statusOf('web-01'))?.status === 'UP', 3000, () => 'web-01 fully UP');

  let loading = true;
  const load = (async () => {
    while (loading) await get(port).catch(() => {});
  })();
  await new Promise((resolve) => setTimeout(resolve, 200));
  const killedAt = Date.now();
  backends[0].process.kill('SIGKILL');
  await waitFor(async () => (await statusOf('web-01'))?.status === 'DOWN', 5000, () => 'web-01 marked DOWN');
  const detectedMs = Date.now() - killedAt;
  loading = false;
  await load;

  const row = /** @type {Record<string, string>} */ (await statusOf('web-01'));
  assert.ok(detectedMs <= INTER_MS * FALL + INTER_MS + 300, `DOWN after ${detectedMs} ms, allowed ${INTER_MS * FALL + INTER_MS} ms (+300 ms for polling the stats)`);
  assert.equal(row.check_status, 'L4CON');
  assert.equal(row.chkdown, '1');
  assert.equal((await statusOf('BACKEND'))?.act, '1');
  assert.match(balancer.output(), /Server web\/web-01 is DOWN, reason: Layer4 connection problem, info: "Connection refused", check duration: \d+ms\. 1 active and 0 backup servers left\./);

  // While it is DOWN, every request goes to web-02.
  for (let i = 0; i < 4; i++) assert.equal((await get(port)).body, 'web-02');
});

test('a server DOWN from the start comes UP after rise checks, and the log says so', async (t) => {
  const port = await freePort();
  const [spare] = await startBackends(t, ['web-02']);
  const latePort = await freePort();
  const balancer = await startBalancer(t, config(port, [{ name: 'web-01', port: latePort }, spare]), port);
  await waitFor(() => balancer.output().includes('Server web/web-01 is DOWN'), 3000, () => 'web-01 DOWN at the first failed check');
  await startLateBackend(t, latePort);
  await waitFor(() => balancer.output().includes('Server web/web-01 is UP'), 3000, () => `web-01 UP after ${RISE} passed checks:\n${balancer.output()}`);
  assert.match(balancer.output(), /Server web\/web-01 is UP, reason: Layer7 check passed, code: 200, check duration: \d+ms\. 2 active and 0 backup servers online\./);
});

/**
 * An in-process web server on a given port, for a server that appears after the balancer started.
 * @param {{ after(fn: () => unknown): void }} t
 * @param {number} port
 */
async function startLateBackend(t, port) {
  const { createServer } = await import('node:http');
  const server = createServer((_req, res) => res.end('web-01'));
  await new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(undefined)));
  t.after(() => server.close());
  return server;
}
