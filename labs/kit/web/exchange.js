// @ts-check
/**
 * One request on its way through the web tier, and what is learned about it on the way: its path once decoded,
 * the server block and the location that answer it, the internal redirects it took. nginx keeps the same facts
 * in its `ngx_http_request_t`.
 */
import { protocolRefusal } from '../lib/http-server.js';

/**
 * @typedef {import('./variables.js').VariableSource & {
 *   res: import('node:http').ServerResponse,
 *   method: string,
 *   config: import('./config.js').Config,
 *   server: import('./config-server.js').VirtualServer,
 *   listen: import('./config-server.js').Listen,
 *   location: import('./config-server.js').Location,
 *   redirected: boolean,
 *   redirects: number,
 *   errorStatus: number | undefined,
 *   bytesSent: number,
 *   body: Buffer | undefined,
 * }} Exchange
 *   method: GET when an error page is served for another method; redirected: the path was changed inside the
 *   server (index, try_files, error_page); errorStatus: the status an error page is served with
 */

/**
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 * @param {import('./route.js').Binding} binding
 * @param {import('./config.js').Config} config
 * @param {import('./uri.js').Target | undefined} target  undefined for a target that is not a valid path
 * @returns {Exchange}
 */
export function createExchange(req, res, { server, listen }, config, target) {
  return {
    req,
    res,
    method: req.method ?? 'GET',
    config,
    server,
    listen,
    location: server.fallback,
    uri: target?.uri ?? '/',
    args: target?.args ?? '',
    requestUri: target?.requestUri ?? req.url ?? '',
    host: hostName(target?.host ?? req.headers.host) || server.names[0] || '',
    serverName: server.names[0] ?? '',
    serverPort: listen.port,
    proxyHost: '',
    redirected: false,
    redirects: 0,
    errorStatus: undefined,
    bytesSent: 0,
    body: undefined,
  };
}

/**
 * The host name of a Host header: lower case, without the port. An empty string when there is none or it is
 * malformed (nginx answers a malformed Host with 400; server.js does too, with isValidHost).
 * @param {string | undefined} value
 */
export function hostName(value) {
  if (!value || !isValidHost(value)) return '';
  const host = value.toLowerCase().replace(/:\d*$/, '');
  return host.endsWith('.') ? host.slice(0, -1) : host;
}

/**
 * @param {string | undefined} value
 */
export function isValidHost(value) {
  return value === undefined || (/^(\[[0-9a-f:.]+\]|[a-z0-9_.-]*)(:\d*)?$/i.test(value) && !value.includes('..'));
}

/**
 * The status nginx answers before it looks for a location, or undefined: protocolRefusal's 505 or 400 (an HTTP
 * version other than 1.x, two Host headers), 400 for a target that is not a valid path, and 400 for a malformed
 * Host header.
 * @param {import('node:http').IncomingMessage} req
 * @param {import('./uri.js').Target | undefined} target
 * @returns {number | undefined}
 */
export function refusedStatus(req, target) {
  return protocolRefusal(req) ?? (target === undefined || !isValidHost(target.host ?? req.headers.host) ? 400 : undefined);
}
