// @ts-check
/**
 * The balancer inside a lab: an example configuration runs unchanged, its addresses mapped through the lab network
 * table, and it reports readiness and request counts to the lab supervisor.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { freePort, get, readStatsCsv, startBackends, startBalancer, waitFor, writeConfig } from './test-support/harness.js';

const EXAMPLE = readFileSync(fileURLToPath(new URL('examples/two-web-servers.cfg', import.meta.url)), 'utf8');

test('examples/two-web-servers.cfg runs in a lab: network table, health checks, stats, reports to the supervisor', async (t) => {
  const [web1, web2] = await startBackends(t, ['web-01', 'web-02']);
  /** @type {Record<string, unknown>[]} */
  const reports = [];
  const supervisor = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      reports.push(JSON.parse(body));
      res.end('{}');
    });
  });
  await new Promise((resolve) => supervisor.listen(0, '127.0.0.1', () => resolve(undefined)));
  t.after(() => supervisor.close());
  const [port, statsPort] = [await freePort(), await freePort()];
  const table = {
    hosts: { 'lb-01': '10.0.0.11', 'web-01': '10.0.0.21', 'web-02': '10.0.0.22' },
    ports: { 'lb-01:80': port, 'lb-01:8404': statsPort, 'web-01:80': web1.port, 'web-02:80': web2.port },
  };
  const env = {
    LAB_NETWORK: writeConfig(t, JSON.stringify(table), 'network.json'), LAB_SERVER: 'lb-01', LAB_SERVICE: 'haproxy',
    LAB_CONTROL: `http://127.0.0.1:${/** @type {import('node:net').AddressInfo} */ (supervisor.address()).port}`,
  };
  await startBalancer(t, EXAMPLE, port, env);
  await waitFor(() => reports.some((r) => r.ready === true && r.server === 'lb-01' && r.service === 'haproxy'), 3000, () => 'the ready report');

  const answers = [];
  for (let i = 0; i < 4; i++) answers.push((await get(port)).body);
  assert.deepEqual(answers, ['web-01', 'web-02', 'web-01', 'web-02']);
  const { headers } = await get(port, '/headers');
  assert.equal(headers['x-served-by'], 'web-01');
  await waitFor(() => reports.some((r) => r.requests === 5), 3000, () => `a report of 5 requests, got ${JSON.stringify(reports)}`);

  await waitFor(async () => (await readStatsCsv(statsPort)).filter((r) => r.check_status === 'L7OK' && r.status === 'UP').length === 2, 6000,
    () => 'both web servers checked UP with GET /health');
  assert.ok(!reports.some((r) => Number(r.requests) > 5), 'the stats page is not counted as a proxied request');
});
