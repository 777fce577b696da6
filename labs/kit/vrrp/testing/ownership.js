// @ts-check
/**
 * The "never two owners" check of the vrrp tests, from two witnesses:
 *
 * - the daemons' logs: a daemon that holds the virtual IP's port says where its new connections go: to its own
 *   balancer from "listening on 10.0.0.100:80, forwarding to lb-01:80" (printed once the port is bound) or
 *   "10.0.0.100:80 forwards to lb-01:80 again"; to the new master's from "handing 10.0.0.100:80 over to ...: it
 *   forwards to lb-02:80" (virtual-ip.js); to nobody from "removing VIPs." or "letting go of 10.0.0.100:80"
 *   (printed before the port is closed), or once the test killed it. These intervals lie inside the true ones, so
 *   two of them with different balancers can overlap only if the address really went to two places at once;
 * - the answers: each answer names the balancer that served it, and the address must have gone to that balancer
 *   at some moment between the request's start and its end. An old owner that kept forwarding on an open
 *   connection after the address moved fails this.
 */

/** @typedef {{ holder: string, server: string, start: number, end: number }} Interval  `holder` sends the VIP to `server` */

const TARGET = /10\.0\.0\.100:80\b.*\bforward(?:ing|s) to (lb-0\d):80/;
const NOWHERE = /removing VIPs\.|letting go of 10\.0\.0\.100:80/;

/**
 * @param {import('./harness.js').Daemon[]} daemons
 * @returns {Interval[]}
 */
export function ownershipIntervals(daemons) {
  /** @type {Interval[]} */
  const intervals = [];
  for (const { server: holder, lines, killedAt } of daemons) {
    /** @type {{ server: string, start: number } | undefined} */
    let open;
    const close = (/** @type {number} */ end) => {
      if (open) intervals.push({ holder, ...open, end });
      open = undefined;
    };
    for (const line of lines) {
      const target = TARGET.exec(line.text);
      if (target && target[1] !== open?.server) {
        close(line.time);
        open = { server: target[1], start: line.time };
      } else if (NOWHERE.test(line.text)) {
        close(line.time);
      }
    }
    close(killedAt ?? Infinity);
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
  const show = (/** @type {Interval} */ i) => `${i.holder} -> ${i.server} ${time(i.start)}..${time(i.end)}`;
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
