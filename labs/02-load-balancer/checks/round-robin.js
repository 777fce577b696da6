// @ts-check
/**
 * Step "Share the traffic": eight requests to the lab's entry alternate between web-01 and web-02.
 * Just after `lab up` HAProxy may still count a web server as DOWN (its first health check can come before the
 * server listens), so the check tries again for a few seconds before it gives its verdict.
 * @param {import('../../kit/lab/check-context.js').CheckContext} lab
 */
export default async function check(lab) {
  await lab.expectUp('lb-01', 'web-01', 'web-02');
  let verdict = { ok: false, message: '' };
  try {
    await lab.waitFor(async () => {
      verdict = judge(await lab.requests(8, '/'), lab.topology.entry);
      return verdict.ok;
    }, { timeoutMs: 6000, intervalMs: 300, what: 'requests to alternate' });
  } catch {
    throw new Error(verdict.message);
  }
  return verdict.message;
}

/**
 * @param {import('../../kit/lab/lab-http.js').LabResponse[]} responses
 * @param {string} entry
 */
function judge(responses, entry) {
  const failed = responses.filter((response) => response.status !== 200);
  if (failed.length > 0) {
    const why = failed[0].error ?? `HTTP ${failed[0].status}`;
    return { ok: false, message: `${failed.length} of 8 requests to ${entry} failed (${why}). Is every server up?` +
      ' Run `lab ps`; if lb-01 is not, `lab logs lb-01` says which line of haproxy.cfg it refused.' };
  }
  const servers = responses.map((response) => response.servedBy ?? '(no X-Served-By header)');
  if (!servers.includes('web-02')) {
    return { ok: false, message: `all 8 requests went to ${unique(servers)}: web-02 got none. Add it to the backend` +
      ' with a second line such as `server web-02 10.0.0.22:80`, then run `lab restart lb-01`.' };
  }
  if (!servers.includes('web-01')) {
    return { ok: false, message: `all 8 requests went to ${unique(servers)}: web-01 got none. Keep both servers in the backend.` };
  }
  if (servers.some((server, i) => i > 0 && server === servers[i - 1])) {
    return { ok: false, message: `the requests went to ${servers.join(', ')}: both servers answer, but not in turn.` +
      ' Write `balance roundrobin` in the backend, then run `lab restart lb-01`.' };
  }
  return { ok: true, message: `8 requests went to ${servers.join(', ')}: they alternate.` };
}

/** @param {string[]} names */
function unique(names) {
  return [...new Set(names)].join(' and ');
}
