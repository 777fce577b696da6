// @ts-check
/**
 * The failure drill's verdicts (drill.js runs it): the requests of each server's drill sorted into its phases (dead
 * and not yet noticed, noticed, coming back), what that means in a sentence or two with what to tune, and the table
 * that `lab drill` prints, 80 columns at most.
 */

/**
 * @typedef {import('./workspace.js').ServerSpec} ServerSpec
 * @typedef {{ path: string, sentAt: number, ok: boolean, error: string, servedBy: string | null, appServer: string | null }} Sample
 * @typedef {'ok' | 'expected' | 'not-noticed' | 'failed-after' | 'not-back'} Outcome
 * @typedef {object} DrillRow
 * @property {string} server
 * @property {string} role
 * @property {boolean} single       the only server of its role: its death is expected to fail requests
 * @property {number} sent          requests sent from the kill until the server was back
 * @property {number} failed        of which failed
 * @property {number | null} noticedMs  after the kill; null: not noticed within `noticeLimitMs`, or nothing could
 * @property {string} noticedBy     who noticed, in words
 * @property {number} failedAfterNotice  the verdict's number: failures once the tier had noticed
 * @property {number} failedOnReturn  while it came back (a balancer taking the virtual IP back, say)
 * @property {number | null} recoveredMs  from the kill until every path succeeded again; null: not before the restart
 * @property {number | null} backMs  from being up again until back in rotation; null: not within `backLimitMs`
 * @property {number} noticeLimitMs  how long the drill waited for the tier to notice
 * @property {number} backLimitMs    how long it waited for the server to be back
 * @property {Record<string, { sent: number, failed: number, errors: Record<string, number> }>} paths  by path
 * @property {Record<string, number>} errors  failures by reason
 * @property {string[] | null} checksFailed  servers whose health checks failed meanwhile, on any balancer that was
 *   not killed; null: no balancer's statistics could be read before and after, so nothing is known
 * @property {Outcome} outcome
 * @property {string} message       the outcome, and what to tune, in a sentence or two
 *
 * @typedef {object} Phases
 * @property {ServerSpec} spec
 * @property {boolean} single
 * @property {Sample[]} samples     the whole drill's requests
 * @property {number} killedAt
 * @property {number | null} noticedAt
 * @property {number} noticeLimitMs
 * @property {number} startedAt
 * @property {number} upAt          when its processes were up again
 * @property {number | null} backAt
 * @property {number} backLimitMs
 * @property {number} until         the end of this server's drill
 */

/** Outcomes that pass. @param {Outcome} outcome */
export function passes(outcome) {
  return outcome === 'ok' || outcome === 'expected';
}

/**
 * Sorts a server's requests into the phases of its drill, and gives the verdict. A failure counts against the tier
 * when the request was sent after the tier noticed the death (or after the drill stopped waiting for it to notice).
 * @param {Phases} phases
 * @returns {DrillRow}
 */
export function judge({ spec, single, samples, killedAt, noticedAt, noticeLimitMs, startedAt, upAt, backAt, backLimitMs, until }) {
  const window = samples.filter((sample) => sample.sentAt >= killedAt && sample.sentAt <= until);
  const failures = window.filter((sample) => !sample.ok);
  /** @type {DrillRow['paths']} */
  const paths = {};
  /** @type {Record<string, number>} */
  const errors = {};
  for (const sample of window) {
    const path = (paths[sample.path] ??= { sent: 0, failed: 0, errors: {} });
    path.sent++;
    if (!sample.ok) {
      path.failed++;
      path.errors[sample.error] = (path.errors[sample.error] ?? 0) + 1;
      errors[sample.error] = (errors[sample.error] ?? 0) + 1;
    }
  }
  const watchedFrom = noticedAt ?? killedAt + noticeLimitMs;
  // A balancer that comes back may take the virtual IP back and cut the connections open through the other one:
  // that is preemption, a choice (chapter 5), not a death gone unnoticed. Every other server must return quietly.
  const countUntil = spec.role === 'balancer' ? startedAt : until;
  const failedAfterNotice = failures.filter((sample) => sample.sentAt >= watchedFrom && sample.sentAt <= countUntil).length;
  /** @type {Outcome} */
  let outcome = 'ok';
  if (single) outcome = failures.length > 0 ? 'expected' : 'ok';
  else if (noticedAt === null) outcome = 'not-noticed';
  else if (failedAfterNotice > 0) outcome = 'failed-after';
  else if (backAt === null) outcome = 'not-back';
  return {
    server: spec.name, role: spec.role, single, sent: window.length, failed: failures.length,
    noticedMs: noticedAt === null ? null : noticedAt - killedAt, noticedBy: '', failedAfterNotice,
    failedOnReturn: failures.filter((sample) => sample.sentAt >= startedAt).length,
    recoveredMs: recovery(window.filter((sample) => sample.sentAt < startedAt), killedAt),
    backMs: backAt === null ? null : backAt - upAt, noticeLimitMs, backLimitMs,
    paths, errors, checksFailed: [], outcome, message: '',
  };
}

/**
 * From the kill until every path had succeeded after the last failure: 0 when nothing failed, null when some path
 * did not succeed again before the restart.
 * @param {Sample[]} samples those sent between the kill and the restart
 * @param {number} killedAt
 */
function recovery(samples, killedAt) {
  const lastFailure = Math.max(-Infinity, ...samples.filter((s) => !s.ok).map((s) => s.sentAt));
  if (lastFailure === -Infinity) return 0;
  let recovered = lastFailure;
  for (const path of new Set(samples.map((s) => s.path))) {
    const success = samples.find((s) => s.path === path && s.ok && s.sentAt > lastFailure);
    if (!success) return null;
    recovered = Math.max(recovered, success.sentAt);
  }
  return recovered - killedAt;
}

/**
 * The verdict in a sentence or two, with what to tune when the tier did not cope.
 * @param {DrillRow} row
 */
export function explain(row) {
  if (row.checksFailed === null && row.role !== 'balancer') {
    return `${verdict(row)} (No balancer's statistics could be read before and after, so whether HAProxy's health` +
      ' checks failed meanwhile is not known.)';
  }
  const checks = !row.checksFailed?.length || row.role === 'balancer' ? ''
    : ` Meanwhile HAProxy's health checks of ${row.checksFailed.join(' and ')} failed: they test more than the web` +
      ` server, and a check that fails because ${row.server} is down takes healthy web servers out of the rotation.` +
      ' Check a page that Nginx answers itself, such as /healthz.';
  return verdict(row) + checks;
}

/** @param {DrillRow} row */
function verdict(row) {
  const { server, role, failed, failedAfterNotice } = row;
  const reasons = Object.entries(row.errors).map(([reason, count]) => `${count} × ${reason}`).join(', ');
  switch (row.outcome) {
    case 'expected': {
      const kept = Object.entries(row.paths).filter(([, path]) => path.failed === 0).map(([path]) => path);
      return `${server} is the only ${role} server: ${failed} requests failed until it was back (${reasons})` +
        `${kept.length > 0 ? `, while ${kept.join(' and ')} kept working` : ''}.`;
    }
    case 'not-noticed':
      if (role === 'balancer') {
        return `no other balancer took the virtual IP within ${seconds(row.noticeLimitMs)} of ${server}'s death, and` +
          ` ${failed} requests failed (${reasons}). A backup takes the address after 3 × advert_int + (256 - priority)` +
          ' / 256 s without advertisements: 3.6 s with advert_int 1. Give keepalived.conf the same short advert_int' +
          ' on every balancer.';
      }
      if (role === 'web') {
        return `${server} was dead for ${seconds(row.noticeLimitMs)} and ${row.noticedBy || 'HAProxy had not marked it DOWN'}:` +
          ` ${failed} requests failed (${reasons}). HAProxy marks a server DOWN after \`fall\` failed checks, one every` +
          ' `inter`: `check inter 1s fall 2` notices within about 2 s.';
      }
      return `nothing noticed ${server}'s death, and ${failed} requests failed (${reasons}).`;
    case 'failed-after':
      if (role === 'app') {
        return `${failedAfterNotice} of the ${failed} failed requests came more than ${seconds(row.noticedMs ?? 0)} after` +
          ` ${server} died (${reasons}): a web server still sent it requests. Give every web server an upstream with` +
          ' all the app servers: Nginx then passes a request that one refuses to the next, and leaves it out for' +
          ' `fail_timeout`.';
      }
      return `${failedAfterNotice} requests failed after ${row.noticedBy} (${reasons}). Once a dead server is out of the` +
        ' rotation no request should fail: is every server in front of it configured alike? See `lab logs`.';
    case 'not-back':
      if (role === 'app') {
        return `${server} runs again, but a web server has not sent it a request within ${seconds(row.backLimitMs)} of its return.` +
          ' Nginx tries a failed server again only after `fail_timeout` (10 s by default): `fail_timeout=2s` takes it' +
          ' back sooner.';
      }
      return `${server} runs again, but it is not back in rotation within ${seconds(row.backLimitMs)}` +
        `${role === 'web' ? ': HAProxy takes a server back after `rise` good checks, one every `inter`' : ''}.`;
    default:
      if (failed === 0) return `no request failed: ${row.noticedBy}.`;
      return `${failed - row.failedOnReturn} requests failed before ${row.noticedBy}, none after` +
        `${row.failedOnReturn > 0 ? `; ${row.failedOnReturn} more as ${server} came back${row.role === 'balancer'
          ? ' and took the virtual IP back (preemption: `nopreempt` avoids that second interruption)' : ''}` : ''}.`;
  }
}

/**
 * The drill as a table for a terminal, then one line per server saying what it means.
 * @param {DrillRow[]} rows
 */
export function drillTable(rows) {
  const header = ['SERVER', 'FAILED', 'NOTICED', 'RECOVERED', 'FAILED AFTER', 'BACK IN', 'VERDICT'];
  const under = ['', 'of sent', 'after', 'after', 'noticed', 'rotation', ''];
  const widths = [7, 10, 8, 10, 13, 9, 0];
  const line = (/** @type {string[]} */ cells) => cells.map((cell, i) => (i < widths.length - 1 ? cell.padEnd(widths[i]) : cell)).join(' ').trimEnd();
  const lines = [line(header), line(under)];
  for (const row of rows) {
    lines.push(line([
      row.server,
      `${row.failed}/${row.sent}`,
      row.single ? '-' : row.noticedMs === null ? 'never' : seconds(row.noticedMs),
      row.failed === 0 ? '-' : row.recoveredMs === null ? 'when back' : seconds(row.recoveredMs),
      row.single ? '-' : String(row.failedAfterNotice),
      row.backMs === null ? 'no' : seconds(row.backMs),
      row.outcome === 'expected' ? 'expected' : passes(row.outcome) ? 'ok' : 'FAIL',
    ]));
  }
  lines.push('');
  for (const row of rows) lines.push(...wrap(`${row.server}: ${row.message}`, 80));
  return lines;
}

/**
 * @param {string} text
 * @param {number} width
 */
function wrap(text, width) {
  const lines = [];
  let current = '';
  for (const word of text.split(' ')) {
    if (current && current.length + 1 + word.length > width) {
      lines.push(current);
      current = `  ${word}`;
    } else {
      current = current ? `${current} ${word}` : word;
    }
  }
  return current ? [...lines, current] : lines;
}

/** @param {number} ms */
export function seconds(ms) {
  return `${(ms / 1000).toFixed(1)} s`;
}
