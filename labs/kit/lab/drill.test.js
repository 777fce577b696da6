// @ts-check
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { drillTable, judge } from './drill-report.js';
import { checksFailedBetween, drillOrder, runDrill } from './drill.js';

/** @typedef {import('./drill-report.js').Sample} Sample */

/**
 * @param {string} name
 * @param {import('./workspace.js').ServerSpec['role']} role
 * @returns {import('./workspace.js').ServerSpec}
 */
const spec = (name, role) => ({ name, role, services: [{ name: 'x', program: 'x' }] });

/**
 * Requests every 100 ms from `from` to `to` (ms), failing between `failFrom` and `failTo`.
 * @param {{ from: number, to: number, failFrom?: number, failTo?: number, path?: string }} plan
 * @returns {Sample[]}
 */
function samples({ from, to, failFrom = Infinity, failTo = Infinity, path = '/' }) {
  const list = [];
  for (let t = from; t < to; t += 100) {
    const ok = !(t >= failFrom && t < failTo);
    list.push({ path, sentAt: t, ok, error: ok ? '' : 'HTTP 503', servedBy: 'web-02', appServer: null });
  }
  return list;
}

const phases = { killedAt: 1000, noticeLimitMs: 8000, startedAt: 5000, upAt: 5500, backAt: 6000, backLimitMs: 8000, until: 6000 };

describe('judging one server\'s drill', () => {
  test('failures before the tier noticed are reported, and pass; failures after it fail the tier', () => {
    const early = judge({ ...phases, spec: spec('web-01', 'web'), single: false, noticedAt: 2000,
      samples: samples({ from: 0, to: 7000, failFrom: 1000, failTo: 2000 }) });
    assert.equal(early.outcome, 'ok');
    assert.equal(early.failed, 10);
    assert.equal(early.failedAfterNotice, 0);
    assert.equal(early.noticedMs, 1000);
    assert.equal(early.recoveredMs, 1000);
    assert.equal(early.backMs, 500);

    const late = judge({ ...phases, spec: spec('web-01', 'web'), single: false, noticedAt: 2000,
      samples: samples({ from: 0, to: 7000, failFrom: 1000, failTo: 2500 }) });
    assert.equal(late.outcome, 'failed-after');
    assert.equal(late.failedAfterNotice, 5);
  });

  test('a death nothing noticed fails, and so does a server that does not come back', () => {
    const all = samples({ from: 0, to: 7000, failFrom: 1000, failTo: 5000 });
    assert.equal(judge({ ...phases, spec: spec('web-01', 'web'), single: false, noticedAt: null, samples: all }).outcome, 'not-noticed');
    assert.equal(judge({ ...phases, spec: spec('web-01', 'web'), single: false, noticedAt: 1500, backAt: null,
      samples: samples({ from: 0, to: 7000 }) }).outcome, 'not-back');
  });

  test('a balancer taking the virtual IP back (preemption) is reported, not counted', () => {
    const row = judge({ ...phases, spec: spec('lb-01', 'balancer'), single: false, noticedAt: 3000,
      samples: samples({ from: 0, to: 7000, failFrom: 5600, failTo: 5800 }) });
    assert.equal(row.outcome, 'ok');
    assert.equal(row.failedOnReturn, 2);
    assert.equal(row.failedAfterNotice, 0);
  });

  test('the only server of its role fails the requests that need it: expected, with what kept working', () => {
    const all = [
      ...samples({ from: 0, to: 7000, failFrom: 1000, failTo: 5600, path: '/' }),
      ...samples({ from: 50, to: 7000, path: '/static/site.css' }),
    ].sort((a, b) => a.sentAt - b.sentAt);
    const row = judge({ ...phases, spec: spec('db-01', 'database'), single: true, noticedAt: null, samples: all });
    assert.equal(row.outcome, 'expected');
    assert.equal(row.recoveredMs, null, 'the dynamic page did not work again before the restart');
    assert.deepEqual(row.paths['/static/site.css'], { sent: 50, failed: 0, errors: {} });
  });

  test('the table fits in 80 columns', () => {
    const row = judge({ ...phases, spec: spec('web-01', 'web'), single: false, noticedAt: null,
      samples: samples({ from: 0, to: 7000, failFrom: 1000, failTo: 5000 }) });
    row.message = 'x '.repeat(100);
    const lines = drillTable([row]);
    assert.match(lines[2], /^web-01 +40\/51 +never +when back +0 +0\.5 s +FAIL$/);
    assert.ok(lines.every((line) => line.length <= 80), lines.join('\n'));
  });
});

describe('choosing the servers', () => {
  const servers = [spec('lb-01', 'balancer'), spec('web-01', 'web'), spec('web-02', 'web')];
  test('in the topology\'s order, and only those named', () => {
    assert.deepEqual(drillOrder(servers, ['web-02', 'lb-01']).map((s) => s.name), ['lb-01', 'web-02']);
    assert.throws(() => drillOrder(servers, ['web-09']), /no server web-09: its servers are lb-01, web-01, web-02/);
  });
});

describe('health checks that failed while a server was dead', () => {
  const counts = (/** @type {Record<string, Record<string, number>>} */ byBalancer) => new Map(Object.entries(byBalancer));
  test('on any balancer read before and after, never the killed server\'s own', () => {
    const before = counts({ 'lb-01': { 'web-01': 2, 'web-02': 0 }, 'lb-02': { 'web-01': 0, 'web-02': 5 } });
    const after = counts({ 'lb-01': { 'web-01': 2, 'web-02': 0 }, 'lb-02': { 'web-01': 1, 'web-02': 9 } });
    assert.deepEqual(checksFailedBetween(before, after, 'db-01'), ['web-01', 'web-02']);
    assert.deepEqual(checksFailedBetween(before, after, 'web-02'), ['web-01']);
    assert.deepEqual(checksFailedBetween(before, before, 'db-01'), []);
  });
  test('a balancer restarted meanwhile counts from zero again; one never read both times leaves it unknown', () => {
    const before = counts({ 'lb-01': { 'web-01': 7, 'web-02': 7 } });
    assert.deepEqual(checksFailedBetween(before, counts({ 'lb-01': { 'web-01': 2, 'web-02': 0 } }), 'db-01'), ['web-01']);
    assert.equal(checksFailedBetween(before, counts({ 'lb-02': { 'web-01': 3 } }), 'db-01'), null);
    assert.equal(checksFailedBetween(counts({}), counts({}), 'db-01'), null);
  });
});

/**
 * A lab in memory: a balancer in front of two web servers, whose health checks mark a dead one DOWN `detectMs`
 * after its death. `strayMs`: how long it keeps sending requests to the dead one after marking it DOWN.
 * @param {{ detectMs: number, strayMs?: number }} behaviour
 */
function fakeLab({ detectMs, strayMs = 0 }) {
  const servers = [spec('lb-01', 'balancer'), spec('web-01', 'web'), spec('web-02', 'web')];
  /** @type {Map<string, number>} */
  const dead = new Map();
  let turn = 0;
  const isDown = (/** @type {string} */ name) => dead.has(name) && Date.now() - (dead.get(name) ?? 0) >= detectMs;
  const lab = {
    topology: { control: 0, entry: 'lb-01:80', servers },
    signal: new AbortController().signal,
    async state() {
      return { vip: null, servers: servers.map((s) => ({ name: s.name, role: s.role, state: dead.has(s.name) ? 'down' : 'up' })) };
    },
    async expectUp() {},
    async kill(/** @type {string} */ name) { dead.set(name, Date.now()); },
    async start(/** @type {string} */ name) { dead.delete(name); },
    async findStats() { return { address: 'lb-01:8404', rows: [] }; },
    async stats() {
      return ['web-01', 'web-02'].map((name) => ({ pxname: 'web', svname: name, status: isDown(name) ? 'DOWN' : 'UP', chkfail: '0' }));
    },
    async request(/** @type {string} */ path) {
      const stray = (/** @type {string} */ name) => dead.has(name) && Date.now() - (dead.get(name) ?? 0) < detectMs + strayMs;
      const usable = ['web-01', 'web-02'].filter((name) => !isDown(name) || stray(name));
      const web = usable[turn++ % usable.length];
      const ok = !dead.has(web);
      return { status: ok ? 200 : 503, statusText: '', headers: {}, body: '', ms: 1, servedBy: ok ? web : null, appServer: null, path };
    },
    /** @param {() => Promise<unknown>} probe @param {{ timeoutMs?: number, intervalMs?: number }} [options] */
    async waitFor(probe, { timeoutMs = 10_000, intervalMs = 200 } = {}) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const value = await probe().catch(() => null);
        if (value) return value;
        if (Date.now() >= deadline) throw new Error('timeout');
        await new Promise((resolve) => setTimeout(resolve, intervalMs));
      }
    },
    sleep: (/** @type {number} */ ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
  return /** @type {import('./check-context.js').CheckContext} */ (/** @type {unknown} */ (lab));
}

describe('the drill on a lab in memory', () => {
  test('web servers noticed within a second: both rows pass, with the failures before noticing counted', async () => {
    /** @type {string[]} */
    const events = [];
    const { rows } = await runDrill(fakeLab({ detectMs: 600 }), {
      only: ['web-01', 'web-02'], onEvent: (server, text) => events.push(`${server} ${text}`),
    });
    assert.deepEqual(rows.map((row) => row.outcome), ['ok', 'ok']);
    for (const row of rows) {
      assert.ok(row.noticedMs !== null && row.noticedMs >= 600 && row.noticedMs < 2000, String(row.noticedMs));
      assert.ok(row.failed > 0 && row.failedAfterNotice === 0, JSON.stringify(row));
      assert.match(row.message, /requests failed before HAProxy on lb-01 marked it DOWN, none after/);
    }
    assert.ok(events.includes('web-01 killed') && events.some((e) => /^web-02 back in rotation/.test(e)), events.join('\n'));
  });

  test('a balancer that keeps sending requests to a server it marked DOWN fails the drill, which stops there', async () => {
    const { rows } = await runDrill(fakeLab({ detectMs: 300, strayMs: 1000 }), { only: ['web-01', 'web-02'], stopAtFirstFailure: true });
    assert.equal(rows.length, 1);
    assert.equal(rows[0].outcome, 'failed-after');
    assert.ok(rows[0].failedAfterNotice > 0);
    assert.match(rows[0].message, /requests failed after HAProxy on lb-01 marked it DOWN \(\d+ × HTTP 503\)/);
  });
});
