// @ts-check
/**
 * The stats page (`stats enable`, `stats uri /stats`, `stats refresh 5s`): an HTML table for people and, with `;csv`
 * after the URI (`/stats;csv`), HAProxy's CSV for programs, with HAProxy's header line and columns in HAProxy's
 * order, as far as `hrsp_other` (HAProxy 2.6 goes on to about a hundred more). A proxy has a FRONTEND row if it
 * listens, a row per server and a BACKEND row if it has servers' side, as in HAProxy:
 *
 *   # pxname,svname,qcur,qmax,scur,smax,slim,stot,...,status,weight,...,check_status,...
 *   web,web-01,0,0,0,1,,4,...,UP,1,...,L7OK,...
 *
 * Columns the miniature has nothing for (queues, limits, denied requests) are 0 or empty like in HAProxy's rows.
 */
import { renderStatsHtml } from './stats-html.js';

export const CSV_COLUMNS = ['pxname', 'svname', 'qcur', 'qmax', 'scur', 'smax', 'slim', 'stot', 'bin', 'bout', 'dreq', 'dresp',
  'ereq', 'econ', 'eresp', 'wretr', 'wredis', 'status', 'weight', 'act', 'bck', 'chkfail', 'chkdown', 'lastchg', 'downtime',
  'qlimit', 'pid', 'iid', 'sid', 'throttle', 'lbtot', 'tracked', 'type', 'rate', 'rate_lim', 'rate_max', 'check_status',
  'check_code', 'check_duration', 'hrsp_1xx', 'hrsp_2xx', 'hrsp_3xx', 'hrsp_4xx', 'hrsp_5xx', 'hrsp_other'];

/**
 * @typedef {Record<string, string | number>} StatsRow
 * @typedef {import('./backend.js').Server} Server
 * @typedef {import('./backend.js').Backend} Backend
 * @typedef {import('./frontend.js').Balancer} Balancer
 */

/**
 * @param {import('./exchange.js').Exchange} x
 * @param {{ uri: string, refreshMs: number }} stats
 */
export function serveStats(x, stats) {
  const rows = statsRows(x.frontend.balancer);
  const csv = x.req.url?.slice(stats.uri.length).includes(';csv');
  const body = csv ? toCsv(rows) : renderStatsHtml(rows, stats.refreshMs);
  x.status = 200;
  x.serverLabel = '<STATS>';
  x.termination = 'LR--';
  x.bytes = Buffer.byteLength(body);
  x.res.writeHead(200, ['content-type', csv ? 'text/plain' : 'text/html', 'cache-control', 'no-cache', 'content-length', String(x.bytes)]);
  x.res.end(body);
  x.finish();
}

/** @param {StatsRow[]} rows */
export function toCsv(rows) {
  const lines = [`# ${CSV_COLUMNS.join(',')},`];
  for (const row of rows) lines.push(`${CSV_COLUMNS.map((c) => row[c] ?? '').join(',')},`);
  return `${lines.join('\n')}\n`;
}

/**
 * Every row of the page, in the order of the configuration.
 * @param {Balancer} balancer
 * @returns {StatsRow[]}
 */
export function statsRows(balancer) {
  /** @type {StatsRow[]} */
  const rows = [];
  const now = Date.now();
  balancer.config.proxies.forEach((proxy, index) => {
    const iid = index + 1;
    const frontend = balancer.frontends.find((f) => f.config === proxy);
    const backend = proxy.kind === 'frontend' ? undefined : balancer.backends.get(proxy.name);
    if (frontend) {
      const s = frontend.stats;
      rows.push({ pxname: proxy.name, svname: 'FRONTEND', scur: frontend.connections, smax: s.max, stot: s.total, bin: s.bytesIn,
        bout: s.bytesOut, dreq: 0, dresp: 0, ereq: 0, status: frontend.open ? 'OPEN' : 'STOP', pid: 1, iid, sid: 0, type: 0,
        ...rates(s), ...responses(s.responses) });
    }
    if (backend) {
      for (const server of backend.servers) rows.push(serverRow(server, iid, now));
      rows.push(backendRow(backend, iid, now));
    }
  });
  return rows;
}

/**
 * @param {Server} server
 * @param {number} iid
 * @param {number} now
 * @returns {StatsRow}
 */
function serverRow(server, iid, now) {
  const s = server.stats;
  const downtime = server.downtime + (server.up || !server.checked ? 0 : now - server.downSince);
  return { pxname: server.backend.name, svname: server.name, qcur: 0, qmax: 0, scur: server.active, smax: s.max, stot: s.total,
    bin: s.bytesIn, bout: s.bytesOut, dresp: 0, econ: s.connectionErrors, eresp: s.responseErrors, wretr: s.retries,
    wredis: s.redispatches, status: serverStatus(server), weight: server.weight, act: server.backup ? 0 : 1, bck: server.backup ? 1 : 0,
    chkfail: server.checked ? server.checkFailures : '', chkdown: server.checked ? server.downs : '',
    lastchg: Math.floor((now - server.lastChange) / 1000), downtime: server.checked ? Math.floor(downtime / 1000) : '',
    pid: 1, iid, sid: server.id, lbtot: s.total, type: 2, ...rates(s), rate_lim: '',
    check_status: server.checkStatus, check_code: server.checkCode ?? '', check_duration: server.checkStatus ? server.checkDuration : '',
    ...responses(s.responses) };
}

/**
 * @param {Backend} backend
 * @param {number} iid
 * @param {number} now
 * @returns {StatsRow}
 */
function backendRow(backend, iid, now) {
  const s = backend.stats;
  const active = backend.servers.filter((v) => !v.backup && v.usable);
  const backups = backend.servers.filter((v) => v.backup && v.usable);
  return { pxname: backend.name, svname: 'BACKEND', qcur: 0, qmax: 0, scur: backend.active, smax: s.max, stot: s.total,
    bin: s.bytesIn, bout: s.bytesOut, dreq: 0, dresp: 0, econ: s.connectionErrors, eresp: s.responseErrors, wretr: s.retries,
    wredis: s.redispatches, status: backend.available ? 'UP' : 'DOWN',
    weight: (active.length ? active : backups).reduce((sum, v) => sum + v.weight, 0), act: active.length, bck: backups.length,
    chkdown: backend.servers.reduce((sum, v) => sum + v.downs, 0), lastchg: Math.floor((now - backend.lastChange) / 1000), downtime: 0,
    pid: 1, iid, sid: 0, lbtot: s.total, type: 1, ...rates(s), ...responses(s.responses) };
}

/**
 * HAProxy's words: `UP`, `DOWN`, `no check`, `MAINT`, and `UP 1/3` (failing, not yet DOWN) or `DOWN 1/2` (recovering).
 * @param {Server} server
 */
export function serverStatus(server) {
  if (server.disabled) return 'MAINT';
  if (!server.checked) return 'no check';
  if (server.up) return server.health === server.rise + server.fall - 1 ? 'UP' : `UP ${server.health - server.rise + 1}/${server.fall}`;
  return server.health === 0 ? 'DOWN' : `DOWN ${server.health}/${server.rise}`;
}

/** @param {ReturnType<typeof import('./backend.js').newCounters>} s */
function rates(s) {
  return s.rate.read();
}

/** @param {number[]} counts */
function responses(counts) {
  return { hrsp_1xx: counts[0], hrsp_2xx: counts[1], hrsp_3xx: counts[2], hrsp_4xx: counts[3], hrsp_5xx: counts[4], hrsp_other: counts[5] };
}
