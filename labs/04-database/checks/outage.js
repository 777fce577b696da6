// @ts-check
/**
 * Step "Find out why the whole site is down": with db-01 killed, a static file must keep loading through lb-01, and
 * the guestbook must answer 503 from an application server (not HAProxy's 503, which would mean that lb-01 took the
 * web servers out). The watch lasts longer than HAProxy's default detection time (inter 2s x fall 3), so a health
 * check that depends on the database has time to fail. db-01 runs again at the end.
 */
const STATIC_PATH = '/static/about.html';
const WATCH_MS = 8000;

/** @param {import('../../kit/lab/check-context.js').CheckContext} lab */
export default async function check(lab) {
  await lab.expectUp('lb-01', 'web-01', 'web-02', 'db-01');
  /** @type {import('../../kit/lab/lab-http.js').LabResponse | undefined} */
  let last;
  // Just after `lab up` or `lab restart lb-01`, HAProxy may still count a web server DOWN for a moment.
  await lab.waitFor(async () => {
    last = await lab.request(STATIC_PATH);
    return last.status === 200;
  }, { timeoutMs: 5000, intervalMs: 250, what: `${STATIC_PATH} to load` }).catch(() => {
    throw new Error(staticFailure(last));
  });

  await lab.kill('db-01');
  const killed = Date.now();
  const servedBy = new Set();
  let staticLoads = 0;
  /** @type {import('../../kit/lab/lab-http.js').LabResponse | undefined} */
  let dynamic;
  while (Date.now() - killed < WATCH_MS) {
    const file = await lab.request(STATIC_PATH);
    if (file.status !== 200) {
      throw new Error(`${((Date.now() - killed) / 1000).toFixed(1)} s after db-01 was killed: ${staticFailure(file)}`);
    }
    staticLoads++;
    servedBy.add(file.servedBy);
    if (!dynamic || staticLoads % 4 === 0) dynamic = await lab.request('/');
    if (dynamic.status < 500 || !dynamic.appServer) {
      throw new Error(`while db-01 was down, the guestbook (/) answered ${dynamic.status || dynamic.error}` +
        `${dynamic.appServer ? ` from ${dynamic.appServer}` : ' without an application server'}, where the application answers 503.`);
    }
    await lab.sleep(250);
  }
  await lab.start('db-01');
  return `for ${WATCH_MS / 1000} s after db-01 was killed, ${STATIC_PATH} loaded through lb-01 every time, ${staticLoads}` +
    ` times (served by ${[...servedBy].sort().join(' and ')}), and the guestbook answered ${dynamic?.status} from` +
    ` ${dynamic?.appServer}, the application's own answer. db-01 runs again.`;
}

/**
 * What a failed request for the static file says about lb-01's health check.
 * @param {import('../../kit/lab/lab-http.js').LabResponse | undefined} response
 */
function staticFailure(response) {
  const got = response?.status ? `HTTP ${response.status}` : (response?.error ?? 'no answer');
  if (response?.status === 503 && !response.servedBy) {
    return `lb-01 answered ${got} for ${STATIC_PATH}, a file that the web servers send from their own disks, and no web` +
      ' server took part: HAProxy counts both web servers DOWN, because they fail its health check (see' +
      " `lab curl 'lb-01:8404/haproxy?stats;csv'`). The check asks for a page of the application, which needs the" +
      ' database. Point `option httpchk` at a path that nginx answers itself, `/healthz`, then run `lab restart lb-01`.';
  }
  return `${STATIC_PATH} through lb-01 got ${got}${response?.servedBy ? ` from ${response.servedBy}` : ''}, where the web servers` +
    ' send it from their own disks. Is every server up? See `lab ps`, and `lab logs lb-01`.';
}
