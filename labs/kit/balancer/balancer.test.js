// @ts-check
/**
 * The balancer as a learner runs it: a real process over real backend processes on loopback.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import { once } from 'node:events';
import { test } from 'node:test';
import { freePort, get, readStatsCsv, startBackends, startBalancer, waitFor } from './test-support/harness.js';

/**
 * @param {number} port
 * @param {{ name: string, port: number }[]} backends
 * @param {string} balance
 * @param {string} [serverOptions] options for each server line, separated by `|`
 */
function config(port, backends, balance, serverOptions = '') {
  return `defaults
    mode http
    timeout connect 1s
    timeout client 5s
    timeout server 5s
frontend www
    bind 127.0.0.1:${port}
    default_backend web
backend web
    balance ${balance}
    option forwardfor
${backends.map((b, i) => `    server ${b.name} 127.0.0.1:${b.port} ${serverOptions.split('|')[i] ?? ''}`).join('\n')}
listen stats
    bind 127.0.0.1:${port + 1}
    stats enable
    stats uri /stats
`;
}

/**
 * @param {number} port
 * @param {number} count
 * @param {string} [urlPath]
 */
async function sequence(port, count, urlPath = '/') {
  const names = [];
  for (let i = 0; i < count; i++) names.push((await get(port, urlPath)).body);
  return names.join(' ');
}

test('round robin over three servers gives the exact rotation', async (t) => {
  const backends = await startBackends(t, ['web-01', 'web-02', 'web-03']);
  const port = await freePort();
  await startBalancer(t, config(port, backends, 'roundrobin'), port);
  assert.equal(await sequence(port, 9), 'web-01 web-02 web-03 web-01 web-02 web-03 web-01 web-02 web-03');
});

test('weights 3, 2, 1 give HAProxy\'s interleaved rotation', async (t) => {
  const backends = await startBackends(t, ['a', 'b', 'c']);
  const port = await freePort();
  await startBalancer(t, config(port, backends, 'roundrobin', 'weight 3|weight 2|weight 1'), port);
  // Recorded from HAProxy 2.6 with the same weights: a heavy server's turns are spread, not given in a row.
  assert.equal(await sequence(port, 12), 'a b a c a b a b a c a b');
});

test('leastconn sends a request to the server with the fewest in progress, for its weight', async (t) => {
  const backends = await startBackends(t, ['a', 'b', 'c']);
  const port = await freePort();
  await startBalancer(t, config(port, backends, 'leastconn'), port);
  // Idle servers take turns.
  assert.equal(await sequence(port, 6), 'a b c a b c');
  // Two slow requests keep two servers busy: the quick ones all go to the third.
  const agent = new http.Agent({ keepAlive: false });
  const slow = [get(port, '/slow?ms=1500', { agent }), get(port, '/slow?ms=1500', { agent })];
  await waitFor(async () => (await readStatsCsv(port + 1)).filter((r) => r.pxname === 'web' && r.scur === '1').length === 2, 3000,
    () => 'two slow requests in progress');
  assert.equal(await sequence(port, 4), 'c c c c');
  const slowServers = (await Promise.all(slow)).map((r) => r.body).sort();
  assert.deepEqual(slowServers, ['a', 'b']);
});

test('weighted leastconn spreads requests in progress by weight', async (t) => {
  const backends = await startBackends(t, ['heavy', 'light']);
  const port = await freePort();
  await startBalancer(t, config(port, backends, 'leastconn', 'weight 2|weight 1'), port);
  const held = Array.from({ length: 6 }, () => get(port, '/slow?ms=1200'));
  await waitFor(async () => (await readStatsCsv(port + 1)).find((r) => r.svname === 'BACKEND' && r.pxname === 'web')?.scur === '6', 3000,
    () => 'six slow requests in progress');
  const rows = await readStatsCsv(port + 1);
  assert.equal(rows.find((r) => r.svname === 'heavy')?.scur, '4');
  assert.equal(rows.find((r) => r.svname === 'light')?.scur, '2');
  await Promise.all(held);
});

test('source keeps each client on one server, and spreads clients as HAProxy does', async (t) => {
  const backends = await startBackends(t, ['a', 'b', 'c']);
  const port = await freePort();
  await startBalancer(t, config(port, backends, 'source'), port);
  /** @type {string[]} */
  const first = [];
  for (let client = 1; client <= 6; client++) {
    const localAddress = `127.0.0.${client}`;
    const answers = new Set();
    for (let i = 0; i < 4; i++) answers.add((await get(port, '/', { localAddress })).body);
    assert.equal(answers.size, 1, `${localAddress} was sent to ${[...answers].join(', ')}`);
    first.push([...answers][0]);
  }
  // HAProxy 2.6 maps 127.0.0.1 ... 127.0.0.6 over three equal servers to: c a b c a b (address % 3).
  assert.equal(first.join(' '), 'c a b c a b');
});

test('option forwardfor adds X-Forwarded-For with the client address, and keeps Host', async (t) => {
  const backends = await startBackends(t, ['a']);
  const port = await freePort();
  await startBalancer(t, config(port, backends, 'roundrobin'), port);
  const { body } = await get(port, '/headers', { localAddress: '127.0.0.7' });
  const headers = JSON.parse(body);
  assert.equal(headers['x-forwarded-for'], '127.0.0.7');
  assert.equal(headers.host, `127.0.0.1:${port}`);
  assert.equal(headers['x-forwarded-proto'], undefined, 'like HAProxy, no X-Forwarded-Proto unless configured');
});

test('without a usable server: HAProxy\'s 503 page; backup servers only when no active server is UP', async (t) => {
  const [backup] = await startBackends(t, ['spare']);
  const port = await freePort();
  // Fixed, below the ephemeral range, so that no other test's socket can be handed it and answer (see redispatch.test.js).
  const deadPort = 25991;
  const text = config(port, [{ name: 'dead', port: deadPort }, backup], 'roundrobin', 'check inter 200|check inter 200 backup');
  await startBalancer(t, text, port);
  await waitFor(async () => (await get(port)).body === 'spare', 3000, () => 'the backup server taking over');
  const only = text.replace(/    server spare.*\n/, '');
  const port2 = await freePort();
  await startBalancer(t, only.replaceAll(String(port), String(port2)).replace(`${port + 1}`, `${port2 + 1}`), port2);
  await waitFor(async () => (await get(port2)).status === 503, 3000, () => 'a 503 once the only server is DOWN');
  const response = await get(port2);
  assert.equal(response.body, '<html><body><h1>503 Service Unavailable</h1>\nNo server is available to handle this request.\n</body></html>\n');
});

test('the stats page: HTML for people, CSV with HAProxy\'s columns for programs', async (t) => {
  const backends = await startBackends(t, ['web-01', 'web-02']);
  const port = await freePort();
  await startBalancer(t, config(port, backends, 'roundrobin', 'check inter 300|weight 2'), port);
  await sequence(port, 3);
  const { body: csv } = await get(port + 1, '/stats;csv');
  assert.match(csv, /^# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,eresp,wretr,wredis,status,weight,act,bck,chkfail,chkdown,lastchg,downtime,qlimit,pid,iid,sid,throttle,lbtot,tracked,type,rate,rate_lim,rate_max,check_status,/);
  const rows = await readStatsCsv(port + 1);
  assert.deepEqual(rows.map((r) => `${r.pxname}/${r.svname}`), ['www/FRONTEND', 'web/web-01', 'web/web-02', 'web/BACKEND', 'stats/FRONTEND', 'stats/BACKEND']);
  const web01 = rows[1];
  const web02 = rows[2];
  assert.equal(web02.status, 'no check');
  assert.equal(web02.weight, '2');
  assert.equal(Number(web01.stot) + Number(web02.stot), 3);
  await waitFor(async () => (await readStatsCsv(port + 1))[1].check_status === 'L4OK', 2000, () => 'a passed Layer4 check');
  const { body: html, headers } = await get(port + 1, '/stats');
  assert.match(String(headers['content-type']), /text\/html/);
  assert.match(html, /<td>web-01<\/td><td>UP/);
});

test('a client that leaves while its server works: logged CH--, and the server no longer counts the request', async (t) => {
  const backends = await startBackends(t, ['a']);
  const port = await freePort();
  const balancer = await startBalancer(t, config(port, backends, 'roundrobin'), port);
  const request = http.get({ host: '127.0.0.1', port, path: '/slow?ms=1000', agent: false });
  request.on('error', () => {});
  const inProgress = async () => (await readStatsCsv(port + 1)).find((r) => r.pxname === 'web' && r.svname === 'a')?.scur;
  await waitFor(async () => (await inProgress()) === '1', 3000, () => 'the slow request in progress');
  request.destroy();
  await waitFor(async () => (await inProgress()) === '0', 3000, () => 'the abandoned request no longer counted');
  await waitFor(() => / CH-- .*"GET \/slow\?ms=1000 HTTP\/1\.1"/.test(balancer.output()), 3000, () => `a CH-- log line in:\n${balancer.output()}`);
});

test('SIGTERM lets a request in progress finish, then exits 0', async (t) => {
  const backends = await startBackends(t, ['a']);
  const port = await freePort();
  const balancer = await startBalancer(t, config(port, backends, 'roundrobin'), port);
  const slow = get(port, '/slow?ms=800');
  await waitFor(async () => (await readStatsCsv(port + 1)).find((r) => r.svname === 'BACKEND' && r.pxname === 'web')?.scur === '1', 3000,
    () => 'the slow request in progress');
  balancer.process.kill('SIGTERM');
  const [code] = await once(balancer.process, 'exit');
  assert.equal((await slow).body, 'a');
  assert.equal(code, 0);
});
