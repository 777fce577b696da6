// @ts-check
import { drillTier, seconds } from './tier-drill.js';

/**
 * Step "Survive a balancer's death, and know the one you do not": under load through the virtual IP, lb-01 (which
 * holds the address) then lb-02 is killed and started again. The other balancer must take the address within 6 s,
 * and no request may fail once it has.
 * @param {import('../../kit/lab/check-context.js').CheckContext} lab
 */
export default async function check(lab) {
  const rows = await drillTier(lab, ['lb-01', 'lb-02']);
  return rows.map((row) => {
    const lost = row.failed - row.failedOnReturn;
    const moved = row.noticedBy.includes('took') ? `${row.noticedBy} after ${seconds(row.noticedMs)}` : row.noticedBy;
    const back = row.failedOnReturn > 0 ? ` ${row.failedOnReturn} more failed when it came back and took the address back:` +
      ' that is preemption, a second interruption that `nopreempt` avoids.' : '';
    if (row.failed === 0) return `${row.server}: ${row.noticedBy}, and not one of ${row.sent} requests failed.`;
    return `${row.server}: ${moved}; ${lost} of ${row.sent} requests failed until then, none after.${back}`;
  }).join('\n');
}
