// @ts-check
/**
 * `lab partition` and `lab heal` with two real keepalived miniatures (kit/vrrp) under the supervisor: a cut makes
 * the backup claim MASTER too (split brain) within its Master_Down_Interval, the state JSON shows both claimants
 * and the cut, and healing leaves one MASTER, the higher priority. Bad input is refused with a clear message.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { keepalivedConf } from '../vrrp/testing/keepalived-conf.js';
import { createWorkspace, eventually, lab, removeWorkspace } from './fixtures/workspace.js';

const CONTROL = 24700;
const ADVERT_INT = 0.2;
/** lb-02's Master_Down_Interval (priority 100, VRRP version 3), plus room for two busy shared cores. */
const SPLIT_WITHIN_MS = (3 * ADVERT_INT + ((256 - 100) * ADVERT_INT) / 256) * 1000 + 1500;

/** @param {string} name @returns {import('./fixtures/workspace.js').TestServer} */
const router = (name) => ({
  spec: { name, role: 'balancer', services: [{ name: 'keepalived', program: 'vrrp', args: ['-f', 'keepalived.conf'] }] },
});

/** @param {string} home */
async function state(home) {
  const { stdout, code, stderr } = await lab(home, ['status', '--json']);
  assert.equal(code, 0, stderr);
  return JSON.parse(stdout);
}

describe('lab partition and lab heal', () => {
  /** @type {string} */
  let home;
  before(async () => {
    home = createWorkspace({ control: CONTROL, servers: [router('lb-01'), router('lb-02')] });
    const manifest = JSON.parse(readFileSync(path.join(home, 'lab.json'), 'utf8'));
    manifest.topology.entry = '10.0.0.100:80';
    writeFileSync(path.join(home, 'lab.json'), JSON.stringify(manifest));
    writeFileSync(path.join(home, 'network.json'), JSON.stringify({
      hosts: { 'lb-01': '10.0.0.11', 'lb-02': '10.0.0.12' },
      ports: { '10.0.0.100:80': CONTROL + 1, 'lb-01:80': CONTROL + 2, 'lb-02:80': CONTROL + 3,
        'lb-01:112': CONTROL + 11, 'lb-02:112': CONTROL + 12 },
    }));
    for (const name of ['lb-01', 'lb-02']) mkdirSync(path.join(home, name), { recursive: true });
    writeFileSync(path.join(home, 'lb-01', 'keepalived.conf'), keepalivedConf({ server: 'lb-01', priority: 150, advertInt: ADVERT_INT }));
    writeFileSync(path.join(home, 'lb-02', 'keepalived.conf'), keepalivedConf({ server: 'lb-02', priority: 100, advertInt: ADVERT_INT }));
    const up = await lab(home, ['up']);
    assert.equal(up.code, 0, up.stdout + up.stderr);
    await eventually(async () => (await state(home)).vip?.owner === 'lb-01', 'lb-01 to hold the virtual IP');
  });
  after(() => removeWorkspace(home));

  test('a cut makes both claim MASTER, and healing leaves the higher priority', { timeout: 60_000 }, async () => {
    const whole = await state(home);
    assert.deepEqual(whole.partitions, []);
    assert.deepEqual(whole.vip, { address: '10.0.0.100', owner: 'lb-01', claimants: ['lb-01'] });

    const cut = await lab(home, ['partition', 'lb-02', 'lb-01']);
    assert.equal(cut.code, 0, cut.stderr);
    assert.match(cut.stdout, /Cut the lab network between lb-02 and lb-01/);
    assert.match(cut.stdout, /lab logs lb-02 keepalived/);
    const cutAt = Date.now();
    const split = await eventually(async () => {
      const now = await state(home);
      return now.vip.claimants.length === 2 && now;
    }, 'both routers to claim MASTER', SPLIT_WITHIN_MS + 2000);
    const tookMs = Date.now() - cutAt;
    assert.ok(tookMs <= SPLIT_WITHIN_MS, `the split brain came ${tookMs} ms after the cut`);
    assert.deepEqual(split.partitions, [['lb-01', 'lb-02']], 'each cut a sorted pair');
    // In a split brain either node may answer for the address, as on a real network, where the router follows
    // whichever sent the last gratuitous ARP: the owner is one of the two claimants (usually the first master, which
    // keeps the port while the second waits for it; on a loaded machine the order can differ).
    assert.deepEqual(split.vip.claimants, ['lb-01', 'lb-02'], 'both claim the address');
    assert.equal(split.vip.address, '10.0.0.100');
    assert.ok(split.vip.claimants.includes(split.vip.owner), `the owner, ${split.vip.owner}, is one of the claimants`);
    assert.match((await lab(home, ['ps'])).stdout, /split brain: lb-01 and lb-02 both claim MASTER/);
    const logs = await lab(home, ['logs', 'lb-02']);
    assert.match(logs.stdout, /network to lb-01 is cut/);
    assert.match(logs.stdout, /Receive advertisement timeout[\s\S]*Entering MASTER STATE/);

    const healed = await lab(home, ['heal']);
    assert.equal(healed.code, 0, healed.stderr);
    assert.match(healed.stdout, /Healed lb-01 - lb-02/);
    const one = await eventually(async () => {
      const now = await state(home);
      // lb-01 takes the port back if lb-02 held it during the split.
      return now.vip.claimants.length === 1 && now.vip.owner === 'lb-01' && now;
    }, 'one MASTER again, holding the address', 5000);
    assert.deepEqual(one.vip, { address: '10.0.0.100', owner: 'lb-01', claimants: ['lb-01'] });
    assert.deepEqual(one.partitions, []);
    assert.match((await lab(home, ['logs', 'lb-02'])).stdout, /higher priority 150, ours 100[\s\S]*Entering BACKUP STATE/);
  });

  test('a cut outlives a restart of the service, and `lab down` heals it', { timeout: 60_000 }, async () => {
    assert.equal((await lab(home, ['partition', 'lb-01', 'lb-02'])).code, 0);
    assert.equal((await lab(home, ['restart', 'lb-02'])).code, 0);
    await eventually(async () => (await state(home)).vip.claimants.length === 2, 'the restarted lb-02 to claim MASTER', SPLIT_WITHIN_MS + 2000);
    const file = path.join(home, '.lab', 'partitions.json');
    assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), { cuts: [['lb-01', 'lb-02']] });

    assert.equal((await lab(home, ['down'])).code, 0);
    assert.equal(existsSync(file), false, 'lab down removes the cuts');
    assert.deepEqual((await state(home)).partitions, []);
    const up = await lab(home, ['up']);
    assert.equal(up.code, 0, up.stdout + up.stderr);
    await eventually(async () => {
      const vip = (await state(home)).vip;
      return vip.owner === 'lb-01' && vip.claimants.length === 1;
    }, 'one MASTER after lab up', 10_000);
  });

  test('bad input is refused, saying what is wrong', async () => {
    const unknown = await lab(home, ['partition', 'lb-01', 'lb-09']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /no server 'lb-09' in this lab: the servers are lb-01, lb-02/);
    const twice = await lab(home, ['partition', 'lb-01', 'lb-01']);
    assert.equal(twice.code, 2);
    assert.match(twice.stderr, /lb-01 is named twice/);
    const one = await lab(home, ['partition', 'lb-01']);
    assert.equal(one.code, 2);
    assert.match(one.stderr, /usage: lab partition SERVER SERVER/);
    const halfHeal = await lab(home, ['heal', 'lb-01']);
    assert.equal(halfHeal.code, 2);
    assert.match(halfHeal.stderr, /name the two servers of one cut, or none/);
    const nothing = await lab(home, ['heal', 'lb-01', 'lb-02']);
    assert.equal(nothing.code, 0);
    assert.match(nothing.stdout, /was not cut: nothing to heal/);

    const post = (/** @type {string} */ what, /** @type {unknown} */ body) => fetch(`http://127.0.0.1:${CONTROL}/api/${what}`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
    });
    const missing = await post('partition', { a: 'lb-01' });
    assert.equal(missing.status, 400);
    assert.match(/** @type {{ error: string }} */ (await missing.json()).error, /partition: name two servers/);
    const healOne = await post('heal', { a: 'lb-01' });
    assert.equal(healOne.status, 400);
    const form = await fetch(`http://127.0.0.1:${CONTROL}/api/partition`, { method: 'POST', body: 'a=lb-01&b=lb-02' });
    assert.equal(form.status, 415, 'a POST without a JSON body is refused, as for every endpoint');
    assert.deepEqual((await state(home)).partitions, []);
  });
});
