// @ts-check
/**
 * The stats page for people: one table per proxy, a row per server, coloured by state, reloaded every
 * `stats refresh` seconds. HAProxy's page shows many more columns; these are the ones the course talks about.
 */

/** @type {[string, string][]} column heading and CSV field */
const COLUMNS = [['Server', 'svname'], ['Status', 'status'], ['Weight', 'weight'], ['Active', 'scur'], ['Max', 'smax'],
  ['Total', 'stot'], ['Bytes out', 'bout'], ['Conn. errors', 'econ'], ['Resp. errors', 'eresp'], ['Retries', 'wretr'],
  ['Redispatches', 'wredis'], ['Last check', 'check_status'], ['Check fails', 'chkfail'], ['Downs', 'chkdown'],
  ['Last change (s)', 'lastchg'], ['2xx', 'hrsp_2xx'], ['5xx', 'hrsp_5xx']];

/**
 * @param {import('./stats.js').StatsRow[]} rows
 * @param {number} refreshMs 0 for no automatic reload
 */
export function renderStatsHtml(rows, refreshMs) {
  const proxies = [...new Set(rows.map((r) => String(r.pxname)))];
  const tables = proxies.map((name) => {
    const body = rows.filter((r) => r.pxname === name).map((r) => {
      const state = String(r.status).split(' ')[0].toLowerCase().replace(/[^a-z]/g, '');
      return `<tr class="${state}">${COLUMNS.map(([, field]) => `<td>${escapeHtml(String(r[field] ?? ''))}</td>`).join('')}</tr>`;
    });
    return `<h2>${escapeHtml(name)}</h2>\n<table>\n<tr>${COLUMNS.map(([heading]) => `<th>${heading}</th>`).join('')}</tr>\n${body.join('\n')}\n</table>`;
  });
  const refresh = refreshMs > 0 ? `<meta http-equiv="refresh" content="${Math.ceil(refreshMs / 1000)}">\n` : '';
  return `<!doctype html>
<html><head><meta charset="utf-8">
${refresh}<title>Statistics Report for the miniature HAProxy</title>
<style>
body { font-family: sans-serif; } table { border-collapse: collapse; } td, th { border: 1px solid #999; padding: 2px 6px; }
tr.up td { background: #c0ffc0; } tr.down td { background: #ffc0c0; } tr.maint td { background: #c0c0ff; }
tr.open td { background: #e0e0e0; }
</style></head><body>
<h1>Statistics Report for the miniature HAProxy</h1>
<p>The same figures as CSV: add <code>;csv</code> to this page's address.</p>
${tables.join('\n')}
</body></html>
`;
}

/** @param {string} text */
function escapeHtml(text) {
  return text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
}
