// @ts-check
/**
 * The daemon's log, one line per event, like keepalived's console log (`keepalived -l`). keepalived prints the time
 * to the second; the miniature adds milliseconds, because lab timers run in fractions of a second and a failover
 * is read from these times.
 */

/** @param {string} message e.g. `(VI_1) Entering MASTER STATE` */
export function log(message) {
  process.stdout.write(`${timestamp(new Date())} ${message}\n`);
}

/**
 * Local time, `2024-11-21 05:42:09.442`: a form that `new Date('2024-11-21T05:42:09.442')` reads back.
 * @param {Date} date
 */
function timestamp(date) {
  const two = (/** @type {number} */ n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ` +
    `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}.${String(date.getMilliseconds()).padStart(3, '0')}`;
}
