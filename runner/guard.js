// @ts-check
/**
 * Who may talk to the runner. The runner can start processes on the learner's machine, so every request must prove
 * three things before anything else happens:
 *   1. the Host header names the loopback interface: a page on evil.example that makes its own name resolve to
 *      127.0.0.1 (DNS rebinding) still sends `Host: evil.example`, and is refused;
 *   2. the Origin header is one of the course site's own addresses: browsers set it and pages cannot forge it;
 *   3. it carries the secret token, which only the course page was given.
 * Each check returns the reason it failed, or undefined, so that the server can log refusals in words.
 */
import { timingSafeEqual } from 'node:crypto';

const LOOPBACK_NAMES = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** The WebSocket subprotocol of this runner; the token travels as a second one, `token.<token>`. */
export const PROTOCOL = 'scale-up-lab.1';
const TOKEN_PROTOCOL_PREFIX = 'token.';

/**
 * @param {string | undefined} host the Host header
 * @param {number} port the port the runner listens on
 * @returns {string | undefined} why it is refused
 */
export function hostProblem(host, port) {
  if (!host) return 'no Host header';
  const match = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(host.toLowerCase());
  if (!match || !LOOPBACK_NAMES.has(match[1]) || Number(match[2] ?? 80) !== port) {
    return `bad Host header '${host.slice(0, 100)}' (only 127.0.0.1:${port} and localhost:${port} are served)`;
  }
  return undefined;
}

/**
 * @param {string | undefined} origin the Origin header
 * @param {ReadonlySet<string>} allowed
 * @returns {string | undefined} why it is refused
 */
export function originProblem(origin, allowed) {
  if (!origin) return 'no Origin header (only the course page may connect)';
  if (!allowed.has(origin)) return `origin ${origin.slice(0, 200)} is not allowed (add it with --origin ${origin.slice(0, 200)})`;
  return undefined;
}

/**
 * @param {string | undefined} presented
 * @param {string} token
 * @returns {string | undefined} why it is refused
 */
export function tokenProblem(presented, token) {
  if (!presented) return 'missing token';
  const a = Buffer.from(presented);
  const b = Buffer.from(token);
  if (a.length !== b.length || !timingSafeEqual(a, b)) return 'wrong token';
  return undefined;
}

/**
 * The token of a plain HTTP request: `Authorization: Bearer <token>`.
 * @param {import('node:http').IncomingMessage} req
 */
export function bearerToken(req) {
  const match = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '');
  return match ? match[1] : undefined;
}

/**
 * The token of a WebSocket handshake. A browser cannot set headers on a WebSocket, so the page offers it as a
 * subprotocol (`new WebSocket(url, ['scale-up-lab.1', 'token.<token>'])`); the runner answers with the first only.
 * @param {import('node:http').IncomingMessage} req
 */
export function protocolToken(req) {
  const offered = String(req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
  const entry = offered.find((p) => p.startsWith(TOKEN_PROTOCOL_PREFIX));
  return entry ? entry.slice(TOKEN_PROTOCOL_PREFIX.length) : undefined;
}

/**
 * The headers of a CORS answer to an allowed origin. `Access-Control-Allow-Private-Network` is Chrome's Private
 * Network Access: without it an https page may not reach 127.0.0.1.
 * @param {string} origin
 * @param {boolean} preflight
 */
export function corsHeaders(origin, preflight) {
  /** @type {Record<string, string>} */
  const headers = { 'Access-Control-Allow-Origin': origin, Vary: 'Origin' };
  if (preflight) {
    headers['Access-Control-Allow-Methods'] = 'GET, POST';
    headers['Access-Control-Allow-Headers'] = 'Authorization, Content-Type';
    headers['Access-Control-Allow-Private-Network'] = 'true';
    headers['Access-Control-Max-Age'] = '600';
  }
  return headers;
}

/**
 * Logs refused connections, at most one line per reason every `intervalMs`, so that a page that retries in a loop
 * cannot flood the terminal; the next line says how many were left out.
 * @param {(line: string) => void} write
 * @param {number} [intervalMs]
 * @param {() => number} [now]
 */
export function createRefusalLog(write, intervalMs = 10_000, now = Date.now) {
  /** @type {Map<string, { last: number, skipped: number }>} */
  const seen = new Map();
  /**
   * @param {string} what e.g. `WebSocket from http://localhost:3000`
   * @param {string} reason
   */
  return function refused(what, reason) {
    const key = reason.replace(/'[^']*'|\S+:\/\/\S+/g, '');
    const entry = seen.get(key);
    const time = now();
    if (entry && time - entry.last < intervalMs) {
      entry.skipped++;
      return;
    }
    const more = entry && entry.skipped > 0 ? ` (and ${entry.skipped} more like it)` : '';
    seen.set(key, { last: time, skipped: 0 });
    write(`refused ${what}: ${reason}${more}`);
  };
}
