// @ts-check
import { expectLb01Master, handBackToLb01, masterDownInterval, vrrpOf, waitForOwner, waitForVrrp } from './cluster.js';

/** How long lb-02 must keep the address after lb-01 is back: a preempting lb-01 takes it after its own interval. */
const WATCH_MARGIN_MS = 1500;

/**
 * Step "Preemption, and nopreempt": cut lb-01's power, let lb-02 take the address, bring lb-01 back, and expect the
 * address to stay on lb-02 for longer than lb-01 would need to take it back. Then hand it back to lb-01.
 * @param {import('../../kit/lab/check-context.js').CheckContext} lab
 */
export default async function check(lab) {
  await expectLb01Master(lab);
  const priority = vrrpOf(await lab.state(), 'lb-01')?.priority ?? 101;

  await lab.kill('lb-01');
  await waitForOwner(lab, 'lb-02', {
    failure: () => 'lb-01 lost its power, and lb-02 did not take the virtual IP: finish the step "Make lb-02 the backup" first.',
  });
  await lab.start('lb-01');
  await waitForVrrp(lab, 'lb-01');
  const back = Date.now();
  const watchMs = masterDownInterval(priority) * 1000 + WATCH_MARGIN_MS;
  while (Date.now() - back < watchMs) {
    const owner = (await lab.state()).vip?.owner;
    if (owner === 'lb-01') {
      throw new Error(`lb-01 took the address back ${((Date.now() - back) / 1000).toFixed(1)} s after it returned:` +
        ' that is preemption, a second interruption. Add `nopreempt` to the vrrp_instance of both files, with' +
        ' `state BACKUP` in both (keepalived ignores nopreempt with state MASTER), then `lab restart lb-01` and' +
        ' `lab restart lb-02`.');
    }
    await lab.sleep(200);
  }
  await handBackToLb01(lab);
  return `lb-01 came back and stayed BACKUP for ${(watchMs / 1000).toFixed(1)} s while lb-02 kept the address:` +
    ' one interruption, not two. (The check then gave the address back to lb-01 by restarting lb-02\'s keepalived.)';
}
