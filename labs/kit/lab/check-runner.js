// @ts-check
/**
 * Runs a lab's checks: `checks/<id>.js` modules whose default export takes the check context (check-context.js)
 * and returns a message when the learner's work does what the step asks, or throws an Error that says what is
 * wrong and what to try. Each check has a time limit, and whatever it turned off is turned on again afterwards.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CheckContext } from './check-context.js';

export const CHECK_TIMEOUT_MS = 30_000;

/** @typedef {{ id: string, ok: boolean, message: string }} CheckResult */

/**
 * @param {import('./workspace.js').Workspace} workspace
 * @param {import('../lib/network.js').Network} network
 * @param {string} id
 * @param {number} [timeoutMs]
 * @returns {Promise<CheckResult>}
 */
export async function runCheck(workspace, network, id, timeoutMs = CHECK_TIMEOUT_MS) {
  const file = path.join(workspace.home, 'checks', `${id}.js`);
  if (!existsSync(file)) return { id, ok: false, message: `there is no checks/${id}.js for the check '${id}' of lab.json` };
  const abort = new AbortController();
  const lab = new CheckContext(workspace, network, abort.signal);
  /** @type {NodeJS.Timeout | undefined} */
  let timer;
  try {
    const module = await import(pathToFileURL(file).href);
    if (typeof module.default !== 'function') {
      return { id, ok: false, message: `checks/${id}.js must export a default function: export default async function check(lab) {...}` };
    }
    const outOfTime = new Promise((_, reject) => {
      timer = setTimeout(() => {
        abort.abort();
        reject(new Error(`the check did not finish within ${timeoutMs / 1000} s`));
      }, timeoutMs);
    });
    const message = await Promise.race([module.default(lab), outOfTime]);
    return { id, ok: true, message: typeof message === 'string' && message ? message : 'passed' };
  } catch (error) {
    return { id, ok: false, message: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
    abort.abort();
    await lab.restore().catch(() => {});
  }
}
