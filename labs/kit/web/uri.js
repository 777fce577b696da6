// @ts-check
/**
 * From the request line's target to the path that selects a location and a file, as nginx's
 * `ngx_http_parse_complex_uri` does it: decode `%XX` exactly once, merge `//`, resolve `.` and `..`.
 * A path that climbs above `/` is a bad request (400), whatever encoding hid the dots (`%2e%2e`, `..%2f`);
 * a NUL byte is a bad request too. What comes out never leaves the root; static.js checks that again on the
 * real file system, where symbolic links live.
 */

/**
 * @typedef {object} Target
 * @property {string} uri          decoded and normalized ($uri)
 * @property {string} args         the query string as sent ($args)
 * @property {string} requestUri   the path and query as sent ($request_uri)
 * @property {string | undefined} host  from an absolute-form target (`GET http://example.com/x HTTP/1.1`)
 */

/**
 * @param {string} raw the request target as the client sent it
 * @returns {Target | undefined} undefined for a bad request
 */
export function parseTarget(raw) {
  let path = raw;
  let host;
  const absolute = /^https?:\/\/([^/?#]*)(.*)$/i.exec(raw);
  if (absolute) {
    host = absolute[1];
    path = absolute[2] || '/';
  }
  if (!path.startsWith('/')) return undefined;
  const question = path.indexOf('?');
  const args = question === -1 ? '' : path.slice(question + 1);
  const uri = normalizePath(question === -1 ? path : path.slice(0, question));
  return uri === undefined ? undefined : { uri, args, requestUri: path, host };
}

/**
 * Decodes and normalizes a path that starts with `/`.
 * @param {string} path
 * @returns {string | undefined} undefined when it is malformed or climbs above the root
 */
export function normalizePath(path) {
  const decoded = decodeOnce(path);
  return decoded === undefined ? undefined : resolveDots(decoded);
}

/**
 * Merges `//` and resolves `.` and `..` in a decoded path: `/a//b/../c` is `/a/c`. Internal redirects
 * (`try_files ... /index.html`) use it on their own, since their path is already decoded.
 * @param {string} path
 * @returns {string | undefined} undefined when it climbs above `/` or holds a NUL byte
 */
export function resolveDots(path) {
  if (!path.startsWith('/') || path.includes('\0')) return undefined;
  /** @type {string[]} */
  const kept = [];
  const segments = path.split('/');
  for (const segment of segments) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (kept.length === 0) return undefined;
      kept.pop();
    } else {
      kept.push(segment);
    }
  }
  const last = segments[segments.length - 1];
  const slash = kept.length > 0 && (last === '' || last === '.' || last === '..') ? '/' : '';
  return `/${kept.join('/')}${slash}`;
}

/**
 * Percent-encodes what may not stand in a request path, as nginx does with a normalized path it sends on
 * (`proxy_pass http://app/;`): `/a b` becomes `/a%20b`.
 * @param {string} uri
 */
export function escapePath(uri) {
  return uri.replace(/[^A-Za-z0-9\-._~!$&'()*+,;=:@/]/gu, (c) => encodeURIComponent(c));
}

/**
 * `%XX` to bytes, then the bytes read as UTF-8. A `%` not followed by two hex digits is malformed.
 * @param {string} path
 */
function decodeOnce(path) {
  if (!path.includes('%')) return path;
  /** @type {number[]} */
  const bytes = [];
  for (let i = 0; i < path.length; i++) {
    if (path[i] !== '%') {
      bytes.push(...Buffer.from(path[i], 'utf8'));
      continue;
    }
    const hex = path.slice(i + 1, i + 3);
    if (!/^[0-9a-fA-F]{2}$/.test(hex)) return undefined;
    bytes.push(parseInt(hex, 16));
    i += 2;
  }
  return Buffer.from(bytes).toString('utf8');
}
