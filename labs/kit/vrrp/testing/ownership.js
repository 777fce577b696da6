// @ts-check
/**
 * The "never two owners" check of the vrrp tests, from two witnesses:
 *
 * - the daemons' logs: a daemon holds the virtual IP from "listening on 10.0.0.100:80" (printed once the port is
 *   bound) to "removing VIPs." (printed before the port is closed), or until the test killed it. These intervals
 *   lie inside the true ones, so two of them can overlap only if two daemons really believed they held the address;
 * - the answers: each answer names the balancer behind the daemon that forwarded it, and that daemon must have held
 *   the address at some moment between the request's start and its end. An old owner that kept forwarding on an
 *   open connection after letting go fails this.
 */

/** @typedef {{ server: string, start: number, end: number }} Interval */

/**
 * @param {import('./harness.js').Daemon[]} daemons
 * @returns {Interval[]}
 */
export function ownershipIntervals(daemons) {
  /** @type {Interval[]} */
  const intervals = [];
  for (const { server, lines, killedAt } of daemons) {
    /** @type {number | undefined} */
    let start;
    for (const line of lines) {
      if (start === undefined && line.text.includes('listening on 10.0.0.100:80')) start = line.time;
      if (start !== undefined && line.text.includes('removing VIPs.')) {
        intervals.push({ server, start, end: line.time });
        start = undefined;
      }
    }
    if (start !== undefined) intervals.push({ server, start, end: killedAt ?? Infinity });
  }
  return intervals;
}

/**
 * Everything that shows two owners at once; an empty list when there never were.
 * @param {import('./harness.js').Daemon[]} daemons
 * @param {import('./harness.js').Sample[]} samples
 */
export function twoOwnerEvidence(daemons, samples) {
  const intervals = ownershipIntervals(daemons);
  const time = (/** @type {number} */ ms) => (Number.isFinite(ms) ? new Date(ms).toISOString() : 'the end');
  const show = (/** @type {Interval} */ i) => `${i.server} ${time(i.start)}..${time(i.end)}`;
  const evidence = [];
  for (const a of intervals) {
    for (const b of intervals) {
      if (a.server < b.server && a.start < b.end && b.start < a.end) evidence.push(`logs overlap: ${show(a)} and ${show(b)}`);
    }
  }
  for (const sample of samples) {
    if (!sample.owner) continue;
    const held = intervals.some((i) => i.server === sample.owner && i.start <= sample.end && sample.start <= i.end);
    if (!held) evidence.push(`${sample.owner} answered between ${time(sample.start)} and ${time(sample.end)} without holding the address`);
  }
  return evidence;
}
