// @ts-check
/**
 * The process around the server (fixtures/lifecycle): it reports to the lab supervisor (LAB_CONTROL) that it is
 * ready and how many requests it served, and on SIGTERM it finishes the requests in progress and exits with 0.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import { test } from 'node:test';
import { copyFixture, freePort, request, startWebTier, waitFor } from './harness.js';

test('reports ready and its request count to the supervisor', async (t) => {
  /** @type {Array<Record<string, unknown>>} */
  const reports = [];
  const control = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => { reports.push(JSON.parse(body)); res.end('{}'); });
  });
  await new Promise((resolve) => control.listen(0, '127.0.0.1', () => resolve(undefined)));
  t.after(() => new Promise((resolve) => { control.closeAllConnections(); control.close(resolve); }));
  const { port } = /** @type {import('node:net').AddressInfo} */ (control.address());

  const web = await startWebTier(t, await copyFixture(t, 'lifecycle'), {
    ports: { 'app-01:3000': await freePort() },
    env: { LAB_CONTROL: `http://127.0.0.1:${port}`, LAB_SERVICE: 'nginx' },
  });
  await waitFor(() => reports.some((r) => r.ready === true), 'the ready report');
  assert.deepEqual(reports.find((r) => r.ready), { server: 'web-01', service: 'nginx', ready: true, pid: web.child.pid });
  for (let i = 0; i < 3; i++) assert.equal((await request(web.port, '/')).body, 'up');
  await waitFor(() => reports.some((r) => r.requests === 3), `a report of 3 requests in ${JSON.stringify(reports)}`);
});

test('SIGTERM: the request in progress is answered, then the process exits with 0', async (t) => {
  let received = false;
  const app = http.createServer((_, res) => {
    received = true;
    setTimeout(() => res.end('slow answer'), 800);
  });
  await new Promise((resolve) => app.listen(0, '127.0.0.1', () => resolve(undefined)));
  t.after(() => new Promise((resolve) => { app.closeAllConnections(); app.close(resolve); }));
  const appPort = /** @type {import('node:net').AddressInfo} */ (app.address()).port;
  const web = await startWebTier(t, await copyFixture(t, 'lifecycle'), { ports: { 'app-01:3000': appPort } });

  const reply = request(web.port, '/slow/x');
  await waitFor(() => received, 'the request to reach the application');
  web.child.kill('SIGTERM');
  const { status, body } = await reply;
  assert.equal(status, 200);
  assert.equal(body, 'slow answer');
  assert.equal(await web.exited, 0);
  assert.match(web.stderr, /gracefully shutting down/);
  await assert.rejects(request(web.port, '/'), /ECONNREFUSED/);
});
