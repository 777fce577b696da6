// @ts-check
/**
 * HTTP requests through the lab network, for `lab curl`, `lab load` and the checks: a lab address such as
 * `lb-01:80` or `10.0.0.100:80` is looked up in the network table and the request goes to its loopback port,
 * with the lab address in the Host header, as a browser would send it.
 */
import http from 'node:http';

const BODY_LIMIT = 1024 * 1024;
export const REQUEST_TIMEOUT_MS = 5000;

/**
 * @typedef {object} LabResponse
 * @property {number} status         0 when no answer came; `error` says why
 * @property {string} statusText
 * @property {http.IncomingHttpHeaders} headers
 * @property {string} body
 * @property {number} ms             from sending to the end of the body
 * @property {string | null} servedBy  the X-Served-By header: the web server that answered
 * @property {string | null} appServer the X-App-Server header: the application server, when one took part
 * @property {string} [error]        why there is no answer: `connection refused`, `no answer within 5 s`, ...
 *
 * @typedef {object} LabRequest
 * @property {string} address        a lab address, `lb-01:80`
 * @property {string} [path]
 * @property {string} [method]
 * @property {Record<string, string>} [headers]
 * @property {string} [body]
 * @property {number} [timeoutMs]
 * @property {http.Agent | false} [agent]  false (the default): one connection per request
 */

/**
 * Splits what a person typed after `lab curl`: `/about`, `web-01/`, `10.0.0.100:80/x`, `http://lb-01:8404/stats`.
 * @param {string | undefined} target
 * @param {string} entry the topology's entry address, used when the target names no address
 */
export function parseTarget(target, entry) {
  const text = (target ?? '').replace(/^http:\/\//, '');
  if (text === '' || text.startsWith('/')) return { address: entry, path: text || '/' };
  const slash = text.indexOf('/');
  const hostPort = slash === -1 ? text : text.slice(0, slash);
  const path = slash === -1 ? '/' : text.slice(slash);
  return { address: /:\d+$/.test(hostPort) ? hostPort : `${hostPort}:80`, path };
}

/**
 * Sends one request; never throws for network errors, which are part of what a lab shows.
 * @param {import('../lib/network.js').Network} network
 * @param {LabRequest} request
 * @returns {Promise<LabResponse>}
 */
export function labRequest(network, { address, path = '/', method = 'GET', headers = {}, body, timeoutMs = REQUEST_TIMEOUT_MS, agent = false }) {
  const started = performance.now();
  const { host, port } = network.resolve(address);
  const hostHeader = address.replace(/:80$/, '');
  return new Promise((resolve) => {
    /** @param {string} error */
    const fail = (error) => resolve({
      status: 0, statusText: '', headers: {}, body: '', ms: performance.now() - started,
      servedBy: null, appServer: null, error,
    });
    const req = http.request({ host, port, path, method, agent, headers: { host: hostHeader, ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => { if (text.length < BODY_LIMIT) text += chunk; });
      res.on('error', (error) => fail(describeError(error)));
      res.on('end', () => resolve({
        status: res.statusCode ?? 0,
        statusText: res.statusMessage ?? '',
        headers: res.headers,
        body: text,
        ms: performance.now() - started,
        servedBy: headerValue(res.headers['x-served-by']),
        appServer: headerValue(res.headers['x-app-server']),
      }));
    });
    req.setTimeout(timeoutMs, () => req.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT', timeoutMs })));
    req.on('error', (error) => fail(describeError(error)));
    req.end(body);
  });
}

/**
 * A network error in a few plain words.
 * @param {Error} error
 */
export function describeError(error) {
  const { code, timeoutMs } = /** @type {NodeJS.ErrnoException & { timeoutMs?: number }} */ (error);
  switch (code) {
    case 'ECONNREFUSED': return 'connection refused';
    case 'ECONNRESET': return 'connection reset';
    case 'EPIPE': return 'connection closed while sending';
    case 'TIMEOUT': return `no answer within ${(timeoutMs ?? REQUEST_TIMEOUT_MS) / 1000} s`;
    case 'HPE_INVALID_CONSTANT': case 'HPE_INVALID_VERSION': return 'the answer was not HTTP';
    default: return error.message;
  }
}

/** @param {string | string[] | undefined} value */
function headerValue(value) {
  return Array.isArray(value) ? value.join(', ') : value ?? null;
}
