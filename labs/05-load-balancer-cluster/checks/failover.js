// @ts-check
import { ADVERT_INT, expectLb01Master, expectRequestsSucceed, handBackToLb01, masterDownInterval, vrrpOf, waitForOwner } from './cluster.js';

/**
 * Step "Make lb-02 the backup": with lb-01 holding the virtual IP, cut lb-01's power; lb-02 must take the address
 * within about its Master_Down_Interval, and requests through the address must succeed again. Then lb-01 comes back
 * and gets the address back, so that the lab is left as it was found.
 * @param {import('../../kit/lab/check-context.js').CheckContext} lab
 */
export default async function check(lab) {
  await expectLb01Master(lab);
  const priority = vrrpOf(await lab.state(), 'lb-02')?.priority ?? 100;
  const expected = masterDownInterval(priority);

  await lab.kill('lb-01');
  const killed = Date.now();
  await waitForOwner(lab, 'lb-02', {
    failure: () => `lb-01 lost its power ${((Date.now() - killed) / 1000).toFixed(0)} s ago, and lb-02 has not taken the` +
      ' virtual IP. lb-02 must run the same vrrp_instance as lb-01 (virtual_router_id 51, advert_int 1, auth_pass),' +
      ' with unicast_src_ip 10.0.0.12 and 10.0.0.11 as its peer. `lab logs lb-02 keepalived` shows what it hears.',
  });
  const tookS = (Date.now() - killed) / 1000;
  await expectRequestsSucceed(lab, 'lb-02');

  await lab.start('lb-01');
  await handBackToLb01(lab);
  return `lb-02 took the virtual IP ${tookS.toFixed(1)} s after lb-01 lost its power (its Master_Down_Interval:` +
    ` 3 x ${ADVERT_INT} + (256 - ${priority}) / 256 = ${expected.toFixed(2)} s, counted from lb-01's last advertisement),` +
    ' and requests through 10.0.0.100 succeeded. lb-01 is back and holds the address again.';
}
