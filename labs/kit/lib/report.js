// @ts-check
/**
 * Tells the lab supervisor how many requests this process has served, so that the page can draw each server's
 * share of the traffic. Real servers leave this to log shipping or a metrics agent; here it is one small POST,
 * sent at most every 250 ms and only when the count changed. Without LAB_CONTROL (a tier run alone) it does nothing.
 *
 * Contract: POST {LAB_CONTROL}/api/report with JSON { server, service, requests } where requests is the total so far,
 * and, sent at once, { server, service, ready: true } when the service listens and { server, service, vrrp: {...} }
 * when a virtual-IP daemon changes state.
 */
import http from 'node:http';

const FLUSH_EVERY_MS = 250;

/**
 * @param {string} service the service's name in the lab topology (LAB_SERVICE), e.g. `nginx`
 * @param {NodeJS.ProcessEnv} [env]
 */
export function createReporter(service, env = process.env) {
  const control = env.LAB_CONTROL;
  let requests = 0;
  let reported = 0;
  let sending = false;
  const served = () => { requests++; };
  if (!control) return { served, send() {}, ready() {}, get requests() { return requests; } };

  const url = new URL('/api/report', control);
  const identity = { server: env.LAB_SERVER ?? '', service: env.LAB_SERVICE ?? service };
  // Reports go one at a time, in order: two requests in flight may arrive in either order, and a supervisor that
  // heard "BACKUP" after "MASTER" would draw the wrong owner of the virtual IP.
  /** @type {Promise<void>} */
  let queue = Promise.resolve();
  /** @param {Record<string, unknown>} fields */
  const post = (fields) => new Promise((resolve) => {
    const req = http.request(url, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(undefined));
    });
    req.on('error', () => resolve(undefined));
    req.setTimeout(2000, () => req.destroy());
    req.end(JSON.stringify({ ...identity, ...fields }));
  });
  /** @param {Record<string, unknown>} fields */
  const send = (fields) => {
    queue = queue.then(() => post(fields));
  };
  const timer = setInterval(() => {
    if (sending || requests === reported) return;
    sending = true;
    const snapshot = requests;
    send({ requests: snapshot });
    queue = queue.then(() => { reported = snapshot; sending = false; });
  }, FLUSH_EVERY_MS);
  timer.unref();
  return {
    served,
    /** Sends fields at once, e.g. `{ vrrp: { state: 'MASTER', addresses: ['10.0.0.100'] } }`. */
    send,
    /** Tells the supervisor that the service is listening: it is "up" from now on. */
    ready: () => send({ ready: true, pid: process.pid }),
    get requests() { return requests; },
  };
}
