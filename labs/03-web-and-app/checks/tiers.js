// @ts-check
/**
 * What the checks of this lab share: the servers of each tier, and how to read a request's answer and the
 * application tier's request counts. Not a check itself: lab.json names no check "tiers".
 */

export const WEB_SERVERS = ['web-01', 'web-02'];
export const APP_SERVERS = ['app-01', 'app-02'];
export const ALL_SERVERS = ['lb-01', ...WEB_SERVERS, ...APP_SERVERS, 'db-01'];

/** Dynamic requests that each web server must share between the application servers. */
const REQUESTS = 4;
/** Longer than nginx's default fail_timeout (10 s): an app server started again just now may still be left out. */
const SHARE_WITHIN_MS = 12_000;
/** The tiers report their counts every 250 ms (kit/lib/report.js): this much silence means every report is in. */
const QUIET_MS = 800;

/**
 * @typedef {import('../../kit/lab/check-context.js').CheckContext} CheckContext
 * @typedef {import('../../kit/lab/lab-http.js').LabResponse} LabResponse
 */

/**
 * A web server's lab address, for requests that skip lb-01 and go to that web server directly.
 * @param {string} web
 */
export function direct(web) {
  return `${web}:80`;
}

/**
 * What went wrong with an answer, in a few words: `HTTP 502`, `connection refused`.
 * @param {LabResponse} response
 */
export function outcome(response) {
  return response.status === 0 ? (response.error ?? 'no answer') : `HTTP ${response.status}`;
}

/**
 * The application servers' total request count, once it has stopped changing: the counts arrive a moment after
 * the requests, so a count read too early would blame the next requests for the previous ones.
 * @param {CheckContext} lab
 */
export async function settledAppCount(lab) {
  const count = async () => {
    const state = await lab.state();
    return state.servers.filter((server) => APP_SERVERS.includes(server.name)).reduce((sum, server) => sum + server.requests, 0);
  };
  let last = await count();
  await lab.waitFor(async () => {
    await lab.sleep(QUIET_MS);
    const now = await count();
    const settled = now === last;
    last = now;
    return settled;
  }, { timeoutMs: 8000, intervalMs: 0, what: 'the application servers\' request counts to settle' });
  return last;
}

/**
 * Which application servers answered a series of dynamic requests to one web server: `app-01, app-02, app-01`.
 * @param {LabResponse[]} responses
 */
export function appServersOf(responses) {
  return responses.map((response) => response.appServer ?? `no app server (${outcome(response)})`);
}

/**
 * Waits until `REQUESTS` dynamic requests to `web` all succeed and reach both application servers; throws, saying
 * what to change, when that does not happen within `timeoutMs`.
 * @param {CheckContext} lab
 * @param {string} web
 * @param {number} [timeoutMs]
 * @returns {Promise<string[]>} which application server answered each request
 */
export async function sharedBetweenApps(lab, web, timeoutMs = SHARE_WITHIN_MS) {
  let problem = '';
  /** @type {string[]} */
  let served = [];
  await lab.waitFor(async () => {
    const responses = await lab.requests(REQUESTS, '/', { via: direct(web) });
    served = appServersOf(responses);
    problem = judge(responses, web);
    return problem === '';
  }, { timeoutMs, intervalMs: 500, what: `${web} to share the requests` }).catch(() => {
    throw new Error(problem);
  });
  return served;
}

/**
 * @param {LabResponse[]} responses
 * @param {string} web
 * @returns {string} what is wrong, or '' when nothing is
 */
function judge(responses, web) {
  const failed = responses.filter((response) => response.status !== 200);
  if (failed.length > 0) {
    return `${failed.length} of ${REQUESTS} requests for / through ${web} failed (${outcome(failed[0])}). Are the addresses` +
      ` of the upstream 10.0.0.31:3000 and 10.0.0.32:3000? \`lab logs ${web}\` shows what nginx tried.`;
  }
  const served = appServersOf(responses);
  const missing = APP_SERVERS.filter((app) => !served.includes(app));
  if (missing.length === 0) return '';
  const only = [...new Set(served)].join(' and ');
  if (missing.includes('app-02')) {
    return `${web} sent all ${REQUESTS} dynamic requests to ${only}; app-02 got none. Add an \`upstream app\` block with` +
      ' both application servers (10.0.0.31:3000 and 10.0.0.32:3000) to the http block of' +
      ` ${web}/nginx.conf, write \`proxy_pass http://app;\` in \`location /\`, then run \`lab restart ${web}\`.`;
  }
  return `${web} sent all ${REQUESTS} dynamic requests to ${only}; app-01 got none. Is 10.0.0.31:3000 in the upstream?` +
    ' If app-01 has just started again, nginx may leave it out for `fail_timeout` (10 s): check again in a moment.';
}
