// @ts-check
import { drillTier, seconds } from './tier-drill.js';

/**
 * Step "Survive a web server's death": under load through the virtual IP, web-01 then web-02 is killed and started
 * again. Once HAProxy has marked the dead one DOWN, no request may fail; and it must notice within 8 s.
 * @param {import('../../kit/lab/check-context.js').CheckContext} lab
 */
export default async function check(lab) {
  const rows = await drillTier(lab, ['web-01', 'web-02']);
  const lines = rows.map((row) => `${row.server}: HAProxy marked it DOWN after ${seconds(row.noticedMs)}, and took it` +
    ` back ${seconds(row.backMs)} after it was up again; ${row.failed} of ${row.sent} requests failed, none once it was DOWN.`);
  const refused = rows.reduce((sum, row) => sum + (row.errors['HTTP 503'] ?? 0), 0);
  if (refused > 0) {
    lines.push(`${refused} got HAProxy's 503 before it noticed: it tried the dead server again and again. With` +
      ' `retry-on conn-failure` and `option redispatch`, it sends a request that a dead server refuses to the other one.');
  } else if (rows.some((row) => row.failed > 0)) {
    lines.push('The requests that failed were under way when the server died. HAProxy does not replay those with' +
      ' `retry-on conn-failure`: the server may have carried them out before it died.');
  }
  return lines.join('\n');
}
