// @ts-check
/**
 * Step "Watch it on the statistics page": lb-01 serves HAProxy's statistics at /haproxy?stats, they list web-01 and
 * web-02, and their counters move when requests pass.
 * @param {import('../../kit/lab/check-context.js').CheckContext} lab
 */
export default async function check(lab) {
  await lab.expectUp('lb-01');
  const stats = await lab.findStats('lb-01');
  if (!stats) {
    throw new Error('lb-01 shows no statistics page: nothing answers /haproxy?stats on its ports. Add a section' +
      ' `listen stats` with `bind *:8404`, `stats enable` and `stats uri /haproxy?stats`, then run `lab restart lb-01`.');
  }
  const where = `http://${stats.address}/haproxy?stats`;
  const find = (/** @type {Record<string, string>[]} */ rows) => ['web-01', 'web-02'].map((name) => rows.find((row) => row.svname === name));
  const missing = ['web-01', 'web-02'].filter((_, i) => !find(stats.rows)[i]);
  if (missing.length > 0) {
    throw new Error(`the statistics page at ${where} does not list ${missing.join(' and ')}: both should be servers` +
      ' of the backend that the frontend uses.');
  }
  // Just after `lab up` a server may still be DOWN for a moment (see round-robin.js): give HAProxy a few seconds.
  /** @type {(Record<string, string> | undefined)[]} */
  let servers = [];
  await lab.waitFor(async () => {
    servers = find(await lab.stats(stats.address));
    return servers.every((row) => row && !row.status.startsWith('DOWN'));
  }, { timeoutMs: 6000, intervalMs: 300, what: 'web-01 and web-02 to be UP' }).catch(() => {
    const down = servers.filter((row) => row?.status.startsWith('DOWN')).map((row) => row?.svname);
    throw new Error(`the statistics page at ${where} shows ${down.join(' and ')} DOWN: is it running? See \`lab ps\`.`);
  });
  const backend = servers[0]?.pxname ?? '';
  const total = (/** @type {Record<string, string>[]} */ rows) =>
    Number(rows.find((row) => row.pxname === backend && row.svname === 'BACKEND')?.stot ?? 0);
  const countBefore = total(stats.rows);
  await lab.requests(4, '/');
  const countAfter = total(await lab.stats(stats.address));
  if (countAfter < countBefore + 4) {
    throw new Error(`4 requests went through lb-01, but the backend ${backend} on ${where} counted` +
      ` ${countAfter - countBefore}: is this the balancer's own statistics page?`);
  }
  return `${where} lists web-01 (${servers[0]?.status}) and web-02 (${servers[1]?.status}), and counted the 4` +
    ` requests just sent. See it with \`lab curl '${stats.address}/haproxy?stats'\`.`;
}
