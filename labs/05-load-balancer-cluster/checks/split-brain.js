// @ts-check
import { FAILOVER_LIMIT_MS, expectLb01Master, expectRequestsSucceed } from './cluster.js';

/**
 * Step "Split brain": cut the network between lb-01 and lb-02 while both run; lb-02 hears nothing, so both claim
 * MASTER. The address still answers (in the lab, lb-01 keeps its port). After healing, one MASTER remains: lb-01,
 * the higher priority.
 * @param {import('../../kit/lab/check-context.js').CheckContext} lab
 */
export default async function check(lab) {
  await expectLb01Master(lab);

  await lab.partition('lb-01', 'lb-02');
  const cut = Date.now();
  await lab.waitFor(async () => (await lab.state()).vip?.claimants?.length === 2,
    { timeoutMs: FAILOVER_LIMIT_MS, intervalMs: 100, what: 'both routers to claim MASTER' }).catch(() => {
    throw new Error('the network between lb-01 and lb-02 is cut, but lb-02 did not claim MASTER: see `lab logs lb-02 keepalived`.');
  });
  const splitS = (Date.now() - cut) / 1000;
  await expectRequestsSucceed(lab, 'lb-01');

  await lab.heal('lb-01', 'lb-02');
  const healed = Date.now();
  await lab.waitFor(async () => {
    const vip = (await lab.state()).vip;
    return vip?.owner === 'lb-01' && vip.claimants?.length === 1;
  }, { timeoutMs: 8000, intervalMs: 100, what: 'one MASTER again' }).catch(() => {
    throw new Error('the network is whole again, but lb-01 and lb-02 did not agree on one MASTER within 8 s:' +
      ' `lab logs lb-02 keepalived` should show "Master received advert ... with higher priority".');
  });
  return `With the network cut, lb-02 claimed MASTER ${splitS.toFixed(1)} s later, beside lb-01: a split brain.` +
    ` Healed, lb-02 heard lb-01's higher priority and stepped down ${((Date.now() - healed) / 1000).toFixed(1)} s later.`;
}
