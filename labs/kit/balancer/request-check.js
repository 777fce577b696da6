// @ts-check
/**
 * What HAProxy's HTTP/1 parser refuses with 400 Bad request although Node's parser lets it through. HAProxy
 * checks these before any rule runs, so a stats page answers them with 400 too:
 *
 * - HTTP/0.9, a request line without a version, from before headers existed;
 * - two Host headers that differ (the same value twice is merged into one);
 * - an absolute-form target (`GET http://site/ HTTP/1.1`, as clients send to a forward proxy) whose authority is
 *   not the Host header: which of the two names the site? A server behind could believe one and a cache the other.
 *
 * HTTP/2.0 in a request line is no error to HAProxy: it passes it on, and the server decides (nginx says 505).
 */
import { hostHeaders } from '../lib/http-server.js';

const DEFAULT_PORTS = { 'http:': '80', 'https:': '443' };

/**
 * Why HAProxy would refuse the request, or undefined when it would not.
 * @param {import('node:http').IncomingMessage} req
 * @returns {string | undefined}
 */
export function badRequestReason(req) {
  if (req.httpVersionMajor === 0) return 'HTTP/0.9 request line';
  const hosts = hostHeaders(req);
  if (hosts.some((host) => !sameAuthority(host, hosts[0]))) return 'Host headers that differ';
  const authority = absoluteAuthority(req.url ?? '');
  if (authority !== undefined && hosts.length > 0 && !sameAuthority(authority, hosts[0])) return 'absolute-form target whose authority is not the Host header';
  return undefined;
}

/**
 * The authority of an absolute-form target, without the default port of its scheme, or undefined for a path.
 * @param {string} target
 */
function absoluteAuthority(target) {
  const match = /^([a-z][a-z0-9+.-]*:)\/\/([^/?#]*)/i.exec(target);
  if (!match) return undefined;
  const scheme = /** @type {keyof typeof DEFAULT_PORTS} */ (match[1].toLowerCase());
  const port = DEFAULT_PORTS[scheme];
  return port && match[2].endsWith(`:${port}`) ? match[2].slice(0, -port.length - 1) : match[2];
}

/**
 * Host names compare without regard to case (HAProxy: `isteqi`).
 * @param {string} a
 * @param {string} b
 */
function sameAuthority(a, b) {
  return a.toLowerCase() === b.toLowerCase();
}
