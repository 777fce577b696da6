// @ts-check
/**
 * Sending an answer. Every response leaves through `startResponse`, which adds what nginx adds to every
 * response: the Server header and the headers of `add_header`.
 */
import http from 'node:http';
import { contentTypeOf } from './mime.js';
import { escapePath } from './uri.js';
import { expand } from './variables.js';

/**
 * @typedef {import('./exchange.js').Exchange} Exchange
 * @typedef {{ error: number } | { redirect: string } | undefined} Outcome
 *   what a handler did: answered (undefined); failed with a status, which `error_page` may turn into a page;
 *   or moved the request to another path of the same server (an internal redirect)
 */

/** `add_header` adds to these statuses only, unless it is written with `always` (nginx's rule). */
const ADD_HEADER_STATUSES = new Set([200, 201, 204, 206, 301, 302, 303, 304, 307, 308]);
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const LAST_MODIFIED_STATUSES = new Set([200, 206, 304]);

/**
 * @param {Exchange} ex
 * @param {number} status
 * @param {Record<string, string | number | string[]>} [headers]
 */
export function startResponse(ex, status, headers = {}) {
  const { res } = ex;
  res.statusCode = status;
  // nginx sends its version too (`nginx/1.22.1`); the miniature has none to give.
  res.setHeader('Server', 'nginx');
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  // nginx keeps Last-Modified for 200, 206 and 304 only: a 404 served from a file by error_page, or an upstream's
  // 500, is not that file or that resource as it was last modified.
  if (!LAST_MODIFIED_STATUSES.has(status)) res.removeHeader('Last-Modified');
  for (const header of ex.location.settings.addHeaders) {
    if (!header.always && !ADD_HEADER_STATUSES.has(status)) continue;
    const value = expand(header.value, ex);
    if (!value) continue;
    const before = res.getHeader(header.name);
    res.setHeader(header.name, before === undefined ? value : [...[before].flat().map(String), value]);
  }
}

/**
 * A whole response with a small body. HEAD gets the same headers and no body.
 * @param {Exchange} ex
 * @param {number} status
 * @param {Record<string, string | number | string[]>} headers
 * @param {string} body
 */
export function send(ex, status, headers, body) {
  const buffer = Buffer.from(body);
  startResponse(ex, status, { ...headers, 'Content-Length': buffer.length });
  ex.bytesSent = ex.method === 'HEAD' ? 0 : buffer.length;
  ex.res.end(ex.method === 'HEAD' ? undefined : buffer);
}

/**
 * nginx's own small HTML page for an error or a redirect.
 * @param {Exchange} ex
 * @param {number} status
 * @param {Record<string, string>} [headers]
 */
export function sendStatusPage(ex, status, headers = {}) {
  const title = `${status} ${http.STATUS_CODES[status] ?? ''}`.trim();
  const body = status < 200 || status === 204 || status === 304 ? ''
    : `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
  // Like nginx, close the connection after a request it could not make sense of.
  /** @type {Record<string, string>} */
  const close = status === 400 || status === 413 || status === 505 ? { Connection: 'close' } : {};
  send(ex, status, { 'Content-Type': 'text/html', ...close, ...headers }, body);
}

/**
 * The 301 nginx sends for a folder asked for without its slash: `/docs?x=1` to `/docs/?x=1`.
 * @param {Exchange} ex
 */
export function sendSlashRedirect(ex) {
  sendStatusPage(ex, 301, { Location: `${escapePath(ex.uri)}/${ex.args ? `?${ex.args}` : ''}` });
}

/**
 * `return CODE [TEXT]`, `return 301 URL`, `return 444`.
 * @param {Exchange} ex
 * @param {import('./config-server.js').Return} ret
 * @returns {Outcome}
 */
export function answerReturn(ex, ret) {
  if (ret.code === 444) {
    // nginx's own code for "close the connection without an answer"; the access log still shows 444.
    ex.res.statusCode = 444;
    ex.res.destroy();
    return undefined;
  }
  const value = ret.value === undefined ? undefined : expand(ret.value, ex);
  if (REDIRECTS.has(ret.code)) {
    // A relative URL stays relative, as with nginx's `absolute_redirect off`: in a lab, the port nginx would
    // write into an absolute URL (80) is not the port the browser reached.
    sendStatusPage(ex, ret.code, { Location: value ?? '/' });
  } else if (value !== undefined) {
    send(ex, ret.code, { 'Content-Type': contentTypeOf(ex.uri, ex.config.types, ex.location.settings.defaultType) }, value);
  } else if (ret.code >= 400) {
    return { error: ret.code };
  } else if (ret.code === 204 || ret.code === 304) {
    startResponse(ex, ret.code);
    ex.res.end();
  } else {
    send(ex, ret.code, { 'Content-Type': ex.location.settings.defaultType }, '');
  }
  return undefined;
}
