// @ts-check
import { expectLb01Master, expectRequestsSucceed, waitForOwner, waitForVrrp } from './cluster.js';

/**
 * Step "When HAProxy dies and the machine does not": stop only HAProxy on lb-01 and expect the address to move to
 * lb-02; then, with lb-02 the master, stop HAProxy on lb-02 and expect it to move back. Both HAProxies run again
 * at the end, and lb-01 holds the address.
 * @param {import('../../kit/lab/check-context.js').CheckContext} lab
 */
export default async function check(lab) {
  await expectLb01Master(lab);

  await lab.stop('lb-01', 'haproxy');
  const stopped = Date.now();
  await waitForOwner(lab, 'lb-02', { failure: () => stuck('lb-01') });
  const movedS = (Date.now() - stopped) / 1000;
  await expectRequestsSucceed(lab, 'lb-02');
  await lab.start('lb-01', 'haproxy');
  await waitForVrrp(lab, 'lb-01');

  // A preempting lb-01 takes the address back by itself once its HAProxy is back; then lb-02 is not the master
  // and its own check cannot be tried.
  const state = await lab.state();
  if (state.vip?.owner === 'lb-01') {
    return `HAProxy stopped on lb-01, and lb-02 took the address ${movedS.toFixed(1)} s later; lb-01 took it back by` +
      ' preemption when its HAProxy returned.';
  }
  await lab.stop('lb-02', 'haproxy');
  await waitForOwner(lab, 'lb-01', { failure: () => stuck('lb-02') });
  await expectRequestsSucceed(lab, 'lb-01');
  await lab.start('lb-02', 'haproxy');
  await waitForVrrp(lab, 'lb-02');
  return `HAProxy stopped on lb-01, and lb-02 took the address ${movedS.toFixed(1)} s later; HAProxy stopped on` +
    ' lb-02, and the address went back to lb-01. Requests through 10.0.0.100 succeeded each time.';

  /** @param {string} server whose HAProxy was stopped */
  function stuck(server) {
    const other = server === 'lb-01' ? 'lb-02' : 'lb-01';
    return `HAProxy on ${server} has been stopped for a while, and ${server} still holds the virtual IP: every request` +
      ` to it is refused. ${server}'s keepalived must watch HAProxy: a vrrp_script chk_haproxy (with` +
      ' `enable_script_security` and `script_user root` in global_defs) named in the instance\'s track_script.' +
      ` With nopreempt, ${other} accepts a master of any priority, so a weight that only lowers the priority moves` +
      ' nothing: use `weight 0`, and a failing check puts the instance in FAULT, which lets the address go.' +
      ` \`lab logs ${server} keepalived\` shows the check's results.`;
  }
}
