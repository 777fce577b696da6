// @ts-check
import { PATHS, drillTier } from './tier-drill.js';

const [DYNAMIC, STATIC] = PATHS;

/**
 * Step "Survive a balancer's death, and know the one you cannot": db-01 is killed under load for 7 s, then started
 * again. It is the only database server, so the dynamic pages fail meanwhile: the check expects that. What it does
 * not accept is the database taking more than itself down: HAProxy's health checks of the web servers must keep
 * passing (a check that needs the database would soon mark both DOWN), and the static files must keep working.
 * @param {import('../../kit/lab/check-context.js').CheckContext} lab
 */
export default async function check(lab) {
  const [row] = await drillTier(lab, ['db-01']);
  if (row.checksFailed === null) {
    throw new Error("could read neither balancer's statistics page both before and after db-01's death, so this check" +
      " cannot tell whether HAProxy's health checks of the web servers kept passing. Is `listen stats` still in" +
      ' lb-01/haproxy.cfg and lb-02/haproxy.cfg? See `lab ps`, then run the check again.');
  }
  if (row.checksFailed.length > 0) {
    throw new Error(`while db-01 was down, HAProxy's health checks of ${row.checksFailed.join(' and ')} failed,` +
      ' although the web servers ran: the check asks for a page that needs the database. A few seconds more and' +
      ' HAProxy marks every web server DOWN, and the static files go down with the database. Check a page that Nginx' +
      ' answers itself, with `option httpchk GET /healthz` on both balancers.');
  }
  const statics = row.paths[STATIC] ?? { sent: 0, failed: 0, errors: {} };
  if (statics.failed > 0) {
    const reasons = Object.entries(statics.errors).map(([reason, count]) => `${count} × ${reason}`).join(', ');
    const balancer = Object.keys(statics.errors).some((reason) => reason.startsWith('HTTP'));
    throw new Error(`while db-01 was down, ${statics.failed} of ${statics.sent} requests for the static file ${STATIC}` +
      ` failed too (${reasons}). ${balancer ? 'Nginx sends that file from its own disk: see `lab logs web-01` and' +
      ' `lab logs lb-01 haproxy` for why it did not.' : 'Nothing answered at the virtual IP for a moment: did it move' +
      ' between the balancers (`lab logs lb-01 keepalived`)? Run the check again once `lab ps` shows it steady.'}`);
  }
  const dynamic = row.paths[DYNAMIC] ?? { sent: 0, failed: 0, errors: {} };
  return `db-01 is the one server whose death still takes the dynamic pages down: ${dynamic.failed} of` +
    ` ${dynamic.sent} requests for ${DYNAMIC} failed (${Object.keys(dynamic.errors).join(', ')}) until it was back,` +
    ` while ${STATIC} kept working (${statics.sent} requests) and HAProxy kept both web servers in the rotation.` +
    ' Replication, with a rehearsed failover, is the next step (chapter 4).';
}
