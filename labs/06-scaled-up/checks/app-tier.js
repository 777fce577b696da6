// @ts-check
import { drillTier, seconds } from './tier-drill.js';

/**
 * Step "Survive an app server's death": under load, app-01 then app-02 is killed and started again. Nginx has no
 * health checks: it learns from the refused connection and passes the request on, so no request may fail once the
 * app server has been dead a second; and every web server must send it requests again once it is back.
 * @param {import('../../kit/lab/check-context.js').CheckContext} lab
 */
export default async function check(lab) {
  const rows = await drillTier(lab, ['app-01', 'app-02']);
  const lines = rows.map((row) => `${row.server}: ${row.failed} of ${row.sent} requests failed while it was dead; both` +
    ` web servers sent it requests again ${seconds(row.backMs)} after it was up.`);
  if (rows.some((row) => (row.backMs ?? 0) > 4000)) {
    lines.push('Nginx waits `fail_timeout` before it tries a failed server again: a shorter one brings it back sooner.');
  }
  return lines.join('\n');
}
