// @ts-check
const NOTICE_WITHIN_MS = 8000;

/**
 * Step "Take a dead server out of the rotation": cut web-02's power, expect lb-01 to notice and every request to
 * succeed from then on (and web-02 to show DOWN on the stats page, once there is one); then start web-02 again and
 * expect it to get requests again. The lab is left as it was found: web-02 runs again at the end.
 * @param {import('../../kit/lab/check-context.js').CheckContext} lab
 */
export default async function check(lab) {
  await lab.expectUp('lb-01', 'web-01', 'web-02');
  await lab.waitFor(async () => {
    const served = (await lab.requests(4, '/')).map((response) => response.servedBy);
    return served.includes('web-01') && served.includes('web-02');
  }, { timeoutMs: 6000, intervalMs: 300, what: 'both web servers to get requests' }).catch(() => {
    throw new Error('web-01 and web-02 do not both get requests yet: finish the step "Share the traffic" first.');
  });

  await lab.kill('web-02');
  const killed = Date.now();
  /** @type {import('../../kit/lab/lab-http.js').LabResponse[]} */
  let failures = [];
  try {
    await lab.waitFor(async () => {
      failures = (await lab.requests(6, '/')).filter((response) => response.status !== 200);
      return failures.length === 0;
    }, { timeoutMs: NOTICE_WITHIN_MS, intervalMs: 250, what: 'every request to succeed' });
  } catch {
    const why = failures[0]?.error ?? `HTTP ${failures[0]?.status}`;
    throw new Error(`web-02 has been dead for ${NOTICE_WITHIN_MS / 1000} s and lb-01 still sends it requests:` +
      ` ${failures.length} of 6 failed (${why}). Give both server lines health checks, \`check inter 1s fall 2 rise 2\`,` +
      ' add `option httpchk GET /` to the backend, and run `lab restart lb-01`.');
  }
  const noticedMs = Date.now() - killed;
  const stats = await lab.findStats('lb-01');
  if (stats) {
    await lab.waitFor(async () => serverStatus(await lab.stats(stats.address), 'web-02').startsWith('DOWN'),
      { timeoutMs: 3000, what: `web-02 to show DOWN on the stats page at ${stats.address}` });
  }

  await lab.start('web-02');
  const started = Date.now();
  await lab.waitFor(async () => (await lab.requests(4, '/')).some((response) => response.servedBy === 'web-02'), {
    timeoutMs: NOTICE_WITHIN_MS, intervalMs: 250, what: 'lb-01 to send requests to web-02 again',
  }).catch(() => {
    throw new Error(`web-02 runs again, but after ${NOTICE_WITHIN_MS / 1000} s lb-01 still sends it nothing.` +
      ' With `rise 2` and `inter 1s` HAProxy should take it back after two good checks: check the server line of web-02.');
  });
  const backMs = Date.now() - started;
  return `lb-01 stopped sending requests to the dead web-02 after ${(noticedMs / 1000).toFixed(1)} s` +
    `${stats ? ' (the stats page showed it DOWN)' : ''}, and took it back ${(backMs / 1000).toFixed(1)} s after it started again.`;
}

/**
 * @param {Record<string, string>[]} rows the stats CSV
 * @param {string} server
 */
function serverStatus(rows, server) {
  return rows.find((row) => row.svname === server && row.pxname !== 'stats')?.status ?? '';
}
