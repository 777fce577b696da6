// @ts-check
/**
 * `proxy_next_upstream`: when a request that failed on one upstream server is passed to the next one, and which
 * failures count against a server for `max_fails`. With `proxy_next_upstream_tries` and
 * `proxy_next_upstream_timeout`, which bound how far it goes. This follows ngx_http_upstream_next() and
 * ngx_http_upstream_test_next() of nginx 1.22.
 *
 *   proxy_next_upstream error timeout;            nginx's default
 *   proxy_next_upstream error timeout http_503;   also when a server answers 503 Service Unavailable
 *   proxy_next_upstream off;                      never: the first server's failure is the visitor's
 *
 * A request is passed on only when all of these hold:
 *   - what happened is listed: `error` (refused, reset, closed before an answer), `timeout`, `invalid_header`
 *     (an answer that is not HTTP), or `http_NNN` (the server answered that status);
 *   - it has not reached a server yet, or its method is safe to repeat, or `non_idempotent` is listed. POST,
 *     LOCK and PATCH are nginx's non-idempotent methods: a POST that a server received may have done its work
 *     (a guestbook entry saved) before the server failed, and sending it again would do the work twice. A refused
 *     connection is safe to pass on for any method: the request never arrived;
 *   - a server is left that this request has not tried, within `proxy_next_upstream_tries` attempts and
 *     `proxy_next_upstream_timeout` since the first one (0, the default, is no limit for either).
 * When it is not passed on, a failure is answered 502 Bad Gateway (504 Gateway Timeout after a timeout), and an
 * upstream's answer such as its 503 goes to the client as it is.
 *
 * Counting against max_fails: `error`, `timeout` and `invalid_header` always count, listed or not: nginx learns
 * that a server is broken from them even with `off`. A 500, 502, 503, 504 or 429 counts only when it makes
 * nginx pass the request on; a 403 or 404 never does (the server works; it has no such page).
 */
import { ConfigError, supportedHint } from '../lib/config-error.js';
import { where } from './directives.js';

/**
 * @typedef {import('./directives.js').Entry} Entry
 * @typedef {'error' | 'timeout' | 'invalid_header'} Failure  what went wrong when no answer came
 * @typedef {Failure | 'http_500' | 'http_502' | 'http_503' | 'http_504' | 'http_403' | 'http_404' | 'http_429'} Condition
 * @typedef {object} Policy  the settings of a location that decide
 * @property {Set<string>} nextUpstream        the values of proxy_next_upstream
 * @property {number} nextUpstreamTries        0: no limit
 * @property {number} nextUpstreamTimeoutMs    0: no limit
 * @typedef {object} Progress  where a request is on its way through the group
 * @property {string} method
 * @property {boolean} sent        the request reached the server that failed
 * @property {number} attempts     servers tried so far, the one that failed included
 * @property {number} servers      how many servers the group has
 * @property {number} startedAt    when the first attempt started (ms)
 */

const CONDITIONS = ['error', 'timeout', 'invalid_header', 'http_500', 'http_502', 'http_503', 'http_504', 'http_403', 'http_404', 'http_429'];
export const VALUES = [...CONDITIONS, 'non_idempotent', 'off'];
export const DEFAULT_NEXT_UPSTREAM = ['error', 'timeout'];
/** nginx's non-idempotent methods: it does not send them twice unless told to. */
const NON_IDEMPOTENT = new Set(['POST', 'LOCK', 'PATCH']);

/**
 * `proxy_next_upstream VALUE...;`. nginx adds up the values of several such lines in one block, and `off` among
 * them wins over all the others.
 * @param {Entry} entry
 * @param {Set<string> | undefined} before  what an earlier line in the same block set
 * @returns {Set<string>}
 */
export function readNextUpstream(entry, before) {
  const values = new Set(before);
  for (const written of entry.args) {
    const value = written.toLowerCase();
    if (value === 'updating') {
      throw new ConfigError(where(entry), 'the "updating" value is outside the subset', 'it is about proxy_cache, which the miniature does not have; remove it');
    }
    if (!VALUES.includes(value)) throw new ConfigError(where(entry), `invalid value "${written}"`, supportedHint(written, VALUES));
    values.add(value);
  }
  return values;
}

/**
 * `proxy_next_upstream_tries N;`: 0 is no limit.
 * @param {Entry} entry
 */
export function readTries(entry) {
  const [value] = entry.args;
  if (!/^\d+$/.test(value)) {
    throw new ConfigError(where(entry), `invalid number "${value}"`, 'write how many servers one request may try, such as 2; 0 is no limit');
  }
  return Number(value);
}

/**
 * The condition an upstream's status meets, when proxy_next_upstream can name it: `http_503` for a 503.
 * @param {number} status
 * @returns {Condition | undefined}
 */
export function statusCondition(status) {
  const name = `http_${status}`;
  return CONDITIONS.includes(name) ? /** @type {Condition} */ (name) : undefined;
}

/**
 * Whether the request goes on to the next server after `condition` on this one.
 * @param {Policy} policy
 * @param {Condition} condition
 * @param {Progress} progress
 * @param {number} [now]
 */
export function passesOn(policy, condition, progress, now = Date.now()) {
  if (policy.nextUpstream.has('off') || !policy.nextUpstream.has(condition)) return false;
  if (progress.sent && NON_IDEMPOTENT.has(progress.method) && !policy.nextUpstream.has('non_idempotent')) return false;
  const limit = policy.nextUpstreamTries > 0 ? Math.min(policy.nextUpstreamTries, progress.servers) : progress.servers;
  if (progress.attempts >= limit) return false;
  return !(policy.nextUpstreamTimeoutMs > 0 && now - progress.startedAt >= policy.nextUpstreamTimeoutMs);
}

/**
 * Whether a server that met `condition` counts it as a failure for max_fails, given that the request was passed
 * on for it (or failed with no answer at all).
 * @param {Condition} condition
 */
export function countsAsFailure(condition) {
  return condition !== 'http_403' && condition !== 'http_404';
}
