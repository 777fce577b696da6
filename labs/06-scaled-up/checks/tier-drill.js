// @ts-check
/**
 * What the checks of this lab share (not a check itself: lab.json names no check `tier-drill`): the failure drill of
 * kit/lab/drill.js, run on some of the servers, stopping at the first one whose death the lab did not cope with.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** A dynamic page (the guestbook, built by an app server from the database) and a static file (sent by Nginx). */
export const PATHS = ['/', '/static/site.css'];

/**
 * Kills each of `servers` in turn under load, and starts it again. Throws the drill's verdict for the first server
 * whose death failed requests once its tier had noticed (or that nothing noticed, or that did not come back).
 * @param {import('../../kit/lab/check-context.js').CheckContext} lab
 * @param {string[]} servers
 * @returns {Promise<import('../../kit/lab/drill-report.js').DrillRow[]>}
 */
export async function drillTier(lab, servers) {
  // The drill is part of the kit; in a workspace the kit is at kit/, beside checks/.
  const kit = (/** @type {string} */ file) => pathToFileURL(path.join(lab.workspace.kit, 'lab', file)).href;
  /** @type {import('../../kit/lab/drill.js')} */
  const { runDrill } = await import(kit('drill.js'));
  /** @type {import('../../kit/lab/drill-report.js')} */
  const { passes } = await import(kit('drill-report.js'));
  const { rows } = await runDrill(lab, { only: servers, paths: PATHS, stopAtFirstFailure: true });
  const failing = rows.find((row) => !passes(row.outcome));
  if (failing) throw new Error(`${failing.server}: ${failing.message}`);
  return rows;
}

/** @param {number | null} ms */
export function seconds(ms) {
  return ms === null ? '?' : `${(ms / 1000).toFixed(1)} s`;
}
