// @ts-check
/**
 * A tracked `killall -0 haproxy` script: when the balancer on the master dies, the VIP moves to the backup,
 * either because the master's priority falls below the backup's (weight -20) or because the master enters FAULT
 * (weight 0); when the balancer returns, the master takes the VIP back.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Lab } from './testing/harness.js';
import { keepalivedConf } from './testing/keepalived-conf.js';
import { twoOwnerEvidence } from './testing/ownership.js';

const ADVERT_INT = 0.2;
/** keepalived reads a script's interval in whole seconds; the tests use the smallest, with fall 1 and rise 1. */
const SCRIPT_INTERVAL_MS = 1000;
/** Master_Down_Interval of lb-02 (priority 100): 3 x 0.2 + 156 x 0.2 / 256 seconds. */
const MASTER_DOWN_MS = 722;
/** Scheduling margin, as in failover.test.js: timers firing late, binding, polling; well under what is measured. */
const MARGIN_MS = 500;

/**
 * @param {import('node:test').TestContext} t
 * @param {number} base
 * @param {number} weight
 */
async function startPair(t, base, weight) {
  const lab = await Lab.open(base);
  t.after(() => lab.close());
  const balancer = await lab.startBalancer('lb-01');
  await lab.startBalancer('lb-02');
  const lb01 = lab.startDaemon('lb-01', keepalivedConf({ server: 'lb-01', state: 'MASTER', priority: 101, advertInt: ADVERT_INT, track: { weight } }));
  const lb02 = lab.startDaemon('lb-02', keepalivedConf({ server: 'lb-02', priority: 100, advertInt: ADVERT_INT }));
  await lab.waitForOwner('lb-01', 5000);
  return { lab, balancer, lb01, lb02, poller: lab.poll() };
}

test('a failing script with weight -20 lowers the master below the backup, which takes the VIP', { timeout: 30_000 }, async (t) => {
  const { lab, balancer, lb01, lb02, poller } = await startPair(t, 23200, -20);
  const killedAt = Date.now();
  balancer.kill('SIGKILL');
  await lb01.waitFor(/VRRP_Script\(chk_haproxy\) failed \(exited with status 1\)/);
  await lb01.waitFor(/Changing effective priority from 101 to 81/);
  // The backup ignores the weaker master's adverts, waits out Master_Down_Interval and takes over.
  await lb02.waitFor(/received lower priority \(81\) advert from 10\.0\.0\.11 - discarding/);
  const takeover = await lab.waitForOwner('lb-02', 5000);
  const tookMs = takeover.end - killedAt;
  t.diagnostic(`backup answered ${tookMs} ms after the balancer died (script interval ${SCRIPT_INTERVAL_MS} ms + Master_Down_Interval ${MASTER_DOWN_MS} ms)`);
  assert.ok(tookMs <= SCRIPT_INTERVAL_MS + MASTER_DOWN_MS + MARGIN_MS, `took ${tookMs} ms\n${lab.logs()}`);
  await lb01.waitFor(/Master received advert from 10\.0\.0\.12 with higher priority 100, ours 81/);

  const mark = lb01.lines.length;
  await lab.startBalancer('lb-01');
  await lb01.waitFor(/VRRP_Script\(chk_haproxy\) succeeded/, { after: mark });
  await lb01.waitFor(/Changing effective priority from 81 to 101/, { after: mark });
  await lab.waitForOwner('lb-01', 5000);
  await poller.stop();
  assert.deepEqual(twoOwnerEvidence(lab.daemons, lab.samples), []);
  assert.ok(lab.reports.some((r) => r.server === 'lb-01' && r.vrrp?.priority === 81), 'the lowered priority was reported');
});

test('a failing script with weight 0 puts the master in FAULT, and its priority 0 advert hands over at once', { timeout: 30_000 }, async (t) => {
  const { lab, balancer, lb01, lb02, poller } = await startPair(t, 23300, 0);
  balancer.kill('SIGKILL');
  const fault = await lb01.waitFor(/Entering FAULT STATE/);
  await lb02.waitFor(/Backup received priority 0 advertisement/);
  const master = await lb02.waitFor(/Entering MASTER STATE/);
  // Skew_Time (122 ms) instead of Master_Down_Interval: without the priority 0 advert the backup could not notice
  // before Master_Down_Interval minus one advertisement interval (the last advert may have come that much earlier).
  assert.ok(master.time - fault.time < MASTER_DOWN_MS - ADVERT_INT * 1000, `lb-02 became master ${master.time - fault.time} ms after the fault\n${lab.logs()}`);
  await lab.waitForOwner('lb-02', 5000);
  assert.ok(lab.reports.some((r) => r.server === 'lb-01' && r.vrrp?.state === 'FAULT' && r.vrrp.addresses.length === 0));

  const mark = lb01.lines.length;
  await lab.startBalancer('lb-01');
  await lb01.waitFor(/Entering BACKUP STATE$/, { after: mark });
  await lab.waitForOwner('lb-01', 5000);
  await poller.stop();
  assert.deepEqual(twoOwnerEvidence(lab.daemons, lab.samples), []);
});
