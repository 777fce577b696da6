// @ts-check
/**
 * A failback fails nothing. Under steady load on the virtual IP, the preferred router lb-01 loses its power (its
 * keepalived and its balancer are killed; failover: requests fail for about Master_Down_Interval, as on a real
 * network, where the dead master's packets are lost) and comes back; when it takes the address back (preemption), not one request may fail. On a real network
 * the address moves with a gratuitous ARP and no packet meets a closed door; virtual-ip.js explains how the lab
 * does the same with loopback ports.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Lab, sleep } from './testing/harness.js';
import { keepalivedConf } from './testing/keepalived-conf.js';
import { twoOwnerEvidence } from './testing/ownership.js';

const ADVERT_INT = 0.2;
/** Requests in flight at once: a small `lab load`, each request on a new connection. */
const CONCURRENCY = 4;

/**
 * Sends requests to the VIP from CONCURRENCY loops until stop() is called.
 * @param {Lab} lab
 */
function steadyLoad(lab) {
  let running = true;
  const loops = Array.from({ length: CONCURRENCY }, async () => {
    while (running) {
      await lab.request();
      await sleep(2);
    }
  });
  return { stop: async () => { running = false; await Promise.all(loops); } };
}

/**
 * @param {import('./testing/harness.js').Sample[]} samples
 * @param {number} from
 * @param {number} to
 * @returns the requests that started at `from` or later and ended before `to`, and those of them that failed
 */
function failedBetween(samples, from, to) {
  const inWindow = samples.filter((s) => s.start >= from && s.end < to);
  return { total: inWindow.length, failed: inWindow.filter((s) => s.error) };
}

test('under steady load, a failover fails requests only until the backup takes over, and the failback fails none',
  { timeout: 60_000 }, async (t) => {
    const lab = await Lab.open(23600);
    t.after(() => lab.close());
    const [lb01Balancer] = await Promise.all([lab.startBalancer('lb-01'), lab.startBalancer('lb-02')]);
    const lb01Conf = keepalivedConf({ server: 'lb-01', state: 'MASTER', priority: 101, advertInt: ADVERT_INT });
    const lb01 = lab.startDaemon('lb-01', lb01Conf);
    const lb02 = lab.startDaemon('lb-02', keepalivedConf({ server: 'lb-02', priority: 100, advertInt: ADVERT_INT }));
    await lab.waitForOwner('lb-01', 5000);
    await lb02.waitFor(/Entering BACKUP STATE/);
    const load = steadyLoad(lab);
    await sleep(500);

    lb01.kill('SIGKILL');
    lb01Balancer.kill('SIGKILL');
    const killed = Number(lb01.killedAt);
    await lab.waitForOwner('lb-02', 5000);
    await sleep(500);

    const restarted = Date.now();
    await lab.startBalancer('lb-01');
    const returned = lab.startDaemon('lb-01', lb01Conf);
    await returned.waitFor(/Entering MASTER STATE/, { timeoutMs: 5000 });
    await lb02.waitFor(/Entering BACKUP STATE$/, { timeoutMs: 5000 });
    await lab.waitForOwner('lb-01', 5000);
    await sleep(1000);

    // lb-02 still holds the port and forwards it to lb-01. When lb-02 dies, lb-01 takes the port itself: the few
    // milliseconds between the two are the one moment left when nobody listens (virtual-ip.js).
    const backupKilled = Date.now();
    lb02.kill('SIGKILL');
    const took = await returned.waitFor(/listening on 10\.0\.0\.100:80, forwarding to lb-01:80/, { timeoutMs: 2000 });
    await sleep(500);
    await load.stop();

    const failover = failedBetween(lab.samples, killed, restarted);
    const failback = failedBetween(lab.samples, restarted, backupKilled);
    const afterBackup = failedBetween(lab.samples, backupKilled, Infinity);
    const errors = [...new Set(failback.failed.map((s) => s.error))].join(', ');
    t.diagnostic(`failover: ${failover.failed.length} of ${failover.total} requests failed; failback: ${failback.failed.length} of ${failback.total} failed${errors ? ` (${errors})` : ''}`);
    t.diagnostic(`the backup that held the port died: lb-01 took it ${took.time - backupKilled} ms later; ${afterBackup.failed.length} of ${afterBackup.total} requests failed` +
      `${afterBackup.failed.length ? ` (${[...new Set(afterBackup.failed.map((s) => s.error))].join(', ')})` : ''}`);
    assert.ok(took.time - backupKilled < 1000, `lb-01 took the port ${took.time - backupKilled} ms after lb-02 died`);
    assert.ok(failback.total > 100, `the load ran through the failback (${failback.total} requests)`);
    assert.equal(failback.failed.length, 0, `requests failed during the failback: ${errors}\n${lab.logs()}`);
    assert.ok(failover.failed.length > 0, 'killing the master fails the requests sent to it until the backup takes over, as on a real network');
    assert.deepEqual(twoOwnerEvidence(lab.daemons, lab.samples), []);
  });
