// @ts-check
/**
 * One log line per request, in the layout of HAProxy's `option httplog`:
 *
 *   127.0.0.1:47848 [21/Nov/2026:05:40:20.797] www web/web-01 0/0/0/6/6 200 103 - - ---- 1/1/0/0/0 0/0 "GET / HTTP/1.1"
 *   client           accept date               frontend backend/server  TR/Tw/Tc/Tr/Ta  status bytes  termination
 *   then actconn/feconn/beconn/srv_conn/retries, queues, and the request line.
 *
 * Simplified: TR (time to read the request headers) is always 0 because Node.js hands over a request only once its
 * headers are in; Tw (time in queue) is 0, there is no queue; captured cookies are always `- -`; bytes counts the
 * response body only.
 */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** @param {import('./exchange.js').Exchange} x */
export function formatHttpLog(x) {
  const { frontend, backend, server, req } = x;
  const total = Date.now() - x.started;
  const queued = server ? '0' : '-1';
  const times = `0/${queued}/${x.connectMs}/${x.responseMs}/${total}`;
  const retries = `${x.redispatched ? '+' : ''}${x.retries}`;
  const counts = `${frontend.balancer.connections}/${frontend.connections}/${backend?.active ?? 0}/${server?.active ?? 0}/${retries}`;
  const target = `${backend?.name ?? frontend.name}/${server?.name ?? x.serverLabel}`;
  return `${x.clientAddress}:${x.clientPort} [${formatDate(x.started)}] ${frontend.name} ${target} ${times} ${x.status} ${x.bytes}` +
    ` - - ${x.termination} ${counts} 0/0 "${req.method} ${req.url} HTTP/${req.httpVersion}"`;
}

let cachedSecond = -1;
let cachedPrefix = '';

/**
 * `21/Nov/2026:05:40:20.797`, local time like HAProxy's; the part up to the second is computed once a second.
 * @param {number} ms
 */
function formatDate(ms) {
  const second = Math.floor(ms / 1000);
  if (second !== cachedSecond) {
    const d = new Date(second * 1000);
    cachedSecond = second;
    cachedPrefix = `${pad(d.getDate())}/${MONTHS[d.getMonth()]}/${d.getFullYear()}:${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  }
  return `${cachedPrefix}.${String(ms % 1000).padStart(3, '0')}`;
}

/** @param {number} n */
function pad(n) {
  return n < 10 ? `0${n}` : String(n);
}
