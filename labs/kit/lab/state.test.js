// @ts-check
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { percentile } from './load-runner.js';
import { sharesByRole } from './commands/load.js';
import { parseTarget } from './lab-http.js';
import { LabState, serverState } from './state.js';

/** A LabState for a topology of balancers and web servers, without starting anything. */
function labState() {
  const workspace = /** @type {any} */ ({
    manifest: { id: 'test' },
    topology: {
      entry: '10.0.0.100:80',
      servers: [
        { name: 'lb-01', role: 'balancer', services: [{ name: 'keepalived', program: 'vrrp' }] },
        { name: 'lb-02', role: 'balancer', services: [{ name: 'keepalived', program: 'vrrp' }] },
        { name: 'web-01', role: 'web', services: [{ name: 'nginx', program: 'web' }] },
      ],
    },
  });
  return new LabState(workspace);
}

/** @param {LabState} state @param {string} server */
const serviceOf = (state, server) => /** @type {import('./services.js').Service} */ (state.server(server)?.services[0]);

test('a server\'s request count only grows, across the restarts of its processes', () => {
  const state = labState();
  const web = serviceOf(state, 'web-01');
  web.lastPid = 100;
  state.countRequests(web, 5);
  state.countRequests(web, 8);
  web.lastPid = 200;
  state.countRequests(web, 3);
  state.countRequests(web, 3);
  assert.equal(state.requests.get('web-01'), 11);
  state.close();
});

test('the virtual IP goes to the latest MASTER among running daemons', () => {
  const state = labState();
  const [lb1, lb2] = [serviceOf(state, 'lb-01'), serviceOf(state, 'lb-02')];
  lb1.state = 'up';
  lb2.state = 'up';
  assert.deepEqual(state.vip(), { address: '10.0.0.100', owner: null, claimants: [] });
  state.recordVrrp(lb1, { instance: 'VI_1', state: 'MASTER', addresses: ['10.0.0.100'] });
  state.recordVrrp(lb2, { instance: 'VI_1', state: 'BACKUP', addresses: [] });
  assert.equal(state.vip()?.owner, 'lb-01');
  state.vrrp.set('lb-02/VI_1', { service: lb2, report: { state: 'MASTER', addresses: ['10.0.0.100'] }, time: Date.now() + 1 });
  assert.equal(state.vip()?.owner, 'lb-02', 'split brain: the latest claim wins');
  assert.deepEqual(state.vip()?.claimants, ['lb-01', 'lb-02'], 'both claim it');
  lb2.state = 'killed';
  assert.equal(state.vip()?.owner, 'lb-01', 'a dead daemon owns nothing');
  state.close();
});

test('a server is up, down, starting or degraded from its services', () => {
  /** @param {string[]} states */
  const of = (states) => serverState(/** @type {any} */ (states.map((state) => ({ state }))));
  assert.equal(of(['up', 'up']), 'up');
  assert.equal(of(['stopped', 'killed']), 'down');
  assert.equal(of(['up', 'starting']), 'starting');
  assert.equal(of(['up', 'exited']), 'degraded');
});

test('subscribers get at most 10 states a second, the last one always the latest', async () => {
  const state = labState();
  const web = serviceOf(state, 'web-01');
  /** @type {number[]} */
  const seen = [];
  const unsubscribe = state.subscribe((snapshot) => seen.push(snapshot.servers[2].requests));
  const started = Date.now();
  for (let total = 1; total <= 50; total++) {
    state.countRequests(web, total);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await new Promise((resolve) => setTimeout(resolve, 150));
  const seconds = (Date.now() - started) / 1000;
  assert.ok(seen.length - 1 <= Math.ceil(seconds * 10) + 1, `${seen.length} states in ${seconds} s`);
  assert.ok(seen.length >= 3);
  assert.equal(seen.at(-1), 50);
  unsubscribe();
  state.close();
});

test('flush sends the change that waits for its turn at once, and only once', async () => {
  const state = labState();
  const web = serviceOf(state, 'web-01');
  /** @type {number[]} */
  const seen = [];
  const unsubscribe = state.subscribe((snapshot) => seen.push(snapshot.servers[2].requests));
  state.countRequests(web, 1); // a change waits for a timer, however short
  state.countRequests(web, 2);
  assert.deepEqual(seen, [0]);
  state.flush();
  assert.deepEqual(seen, [0, 2]);
  await new Promise((resolve) => setTimeout(resolve, 150)); // the flushed change's timer must not send it again
  state.flush(); // nothing waits
  assert.deepEqual(seen, [0, 2]);
  unsubscribe();
  state.close();
});

test('lab curl and lab load read their target the way a person writes it', () => {
  assert.deepEqual(parseTarget(undefined, 'lb-01:80'), { address: 'lb-01:80', path: '/' });
  assert.deepEqual(parseTarget('/about?x=1', 'lb-01:80'), { address: 'lb-01:80', path: '/about?x=1' });
  assert.deepEqual(parseTarget('web-02', 'lb-01:80'), { address: 'web-02:80', path: '/' });
  assert.deepEqual(parseTarget('http://lb-01:8404/haproxy?stats;csv', 'x:1'), { address: 'lb-01:8404', path: '/haproxy?stats;csv' });
});

test('load statistics: nearest-rank percentiles, and shares within each tier', () => {
  const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
  assert.deepEqual([percentile(sorted, 50), percentile(sorted, 95), percentile(sorted, 99)], [50, 95, 99]);
  assert.equal(percentile([], 50), 0);
  const shares = sharesByRole([
    { name: 'lb-01', role: 'balancer', requests: 10 },
    { name: 'web-01', role: 'web', requests: 7 },
    { name: 'web-02', role: 'web', requests: 3 },
    { name: 'db-01', role: 'database', requests: 0 },
  ]);
  assert.deepEqual(shares.map((s) => [s.name, s.share]), [['lb-01', 1], ['web-01', 0.7], ['web-02', 0.3]]);
});
