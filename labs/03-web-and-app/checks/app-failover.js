// @ts-check
import { ALL_SERVERS, WEB_SERVERS, direct, outcome, sharedBetweenApps } from './tiers.js';

/** Each round asks each web server directly, then lb-01: every web server meets the dead app-01 in its first two. */
const ROUNDS = 6;
/**
 * nginx's default fail_timeout is 10 s, counted from app-01's failure during the burst. Then its weight, which the
 * failure lowered, recovers over a few requests before round robin picks it: measured 8.5 to 11.5 s after app-01 was
 * started again. 20 s leaves room on a busy machine, and still fails a fail_timeout of 30 s.
 */
const BACK_WITHIN_MS = 20_000;

/**
 * Step "Lose an application server": with both app servers shared, cut app-01's power; every dynamic request,
 * through each web server and through lb-01, must still succeed, served by app-02. With the starter's
 * `proxy_next_upstream off`, each web server answers 502 to the first requests it sends to app-01 (and to one more
 * every fail_timeout); with `proxy_next_upstream error timeout` it passes them on to app-02. Then start app-01 again
 * and expect both web servers to send it requests once their fail_timeout has passed.
 * @param {import('../../kit/lab/check-context.js').CheckContext} lab
 */
export default async function check(lab) {
  await lab.expectUp(...ALL_SERVERS);
  for (const web of WEB_SERVERS) {
    await sharedBetweenApps(lab, web).catch((/** @type {Error} */ error) => {
      throw new Error(`finish the step "Balance the application tier" first: ${error.message}`);
    });
  }

  await lab.kill('app-01');
  /** @type {{ where: string, response: import('../../kit/lab/lab-http.js').LabResponse }[]} */
  const answers = [];
  for (let round = 0; round < ROUNDS; round++) {
    for (const web of WEB_SERVERS) answers.push({ where: `through ${web}`, response: await lab.request('/', { via: direct(web) }) });
    answers.push({ where: 'through lb-01', response: await lab.request('/') });
  }
  const failed = answers.filter(({ response }) => response.status !== 200 || response.appServer !== 'app-02');
  if (failed.length > 0) throw new Error(explain(failed, answers.length));

  await lab.start('app-01');
  const started = Date.now();
  /** @type {Map<string, number>} web server -> seconds until it sent app-01 a request */
  const back = new Map();
  await lab.waitFor(async () => {
    for (const web of WEB_SERVERS.filter((name) => !back.has(name))) {
      const response = await lab.request('/', { via: direct(web) });
      if (response.appServer === 'app-01') back.set(web, (Date.now() - started) / 1000);
    }
    return back.size === WEB_SERVERS.length;
  }, { timeoutMs: BACK_WITHIN_MS, intervalMs: 500, what: 'app-01 to get requests again' }).catch(() => {
    const idle = WEB_SERVERS.filter((web) => !back.has(web)).join(' and ');
    throw new Error(`every request succeeded while app-01 was dead. But app-01 runs again, and after` +
      ` ${BACK_WITHIN_MS / 1000} s ${idle} still sends it nothing. nginx tries a failed server again after` +
      ' `fail_timeout`: keep it short, `max_fails=1 fail_timeout=10s`.');
  });
  const returns = WEB_SERVERS.map((web) => `${web} after ${back.get(web)?.toFixed(1)} s`).join(', ');
  return `with app-01 dead, all ${answers.length} requests for / succeeded, served by app-02: each web server passed` +
    ` the requests that met app-01 on to app-02. Once app-01 ran again, the web servers sent it requests again: ${returns}.`;
}

/**
 * What the failed requests say, and what to change.
 * @param {{ where: string, response: import('../../kit/lab/lab-http.js').LabResponse }[]} failed
 * @param {number} sent
 */
function explain(failed, sent) {
  const list = failed.slice(0, 4).map(({ where, response }) => `${where} ${outcome(response)}` +
    `${response.appServer ? ` from ${response.appServer}` : ''}`).join(', ');
  const summary = `with app-01 dead, ${failed.length} of ${sent} requests for / failed or did not come from app-02` +
    ` (${list}${failed.length > 4 ? ', ...' : ''}).`;
  if (failed.every(({ response }) => response.status === 502 || response.status === 504)) {
    return `${summary} The web servers tried app-01, could not connect, and answered ${failed[0].response.status}` +
      ' instead of passing the request on to app-02: `proxy_next_upstream off` in `location /` forbids that. Replace' +
      ' it with nginx\'s default, `proxy_next_upstream error timeout;`, in both web servers\' nginx.conf, then run' +
      ' `lab restart web-01` and `lab restart web-02`. A second line beside `off` is not enough: nginx adds up' +
      ' the lines of one block, and `off` wins.';
  }
  return `${summary} \`lab logs web-01 -n 40\` shows what nginx tried; both application servers must be in the upstream` +
    ' that `location /` proxies to, and `proxy_next_upstream error timeout;` lets nginx pass a request on when it' +
    ' cannot connect to one.';
}
