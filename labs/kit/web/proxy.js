// @ts-check
/**
 * `proxy_pass`: the request goes on to an upstream server, and its answer comes back with the upstream's status
 * and headers. When a server cannot be reached (an error, or no connection within `proxy_connect_timeout`), does
 * not answer within `proxy_read_timeout`, or answers with a status that `proxy_next_upstream` lists, the request
 * may be tried on the next server of the group: next-upstream.js decides, as nginx does, and says which failures
 * count against a server. When it is not tried again, a failure is answered 502 Bad Gateway, or 504 Gateway
 * Timeout after a timeout, and an upstream's own answer goes to the client as it is.
 *
 * What nginx sends the upstream by default, and so does the miniature: the client's headers, except that Host is
 * `$proxy_host` (the upstream's name from proxy_pass), Connection is `close`, and Keep-Alive, TE, Expect and
 * Upgrade are dropped. No X-Forwarded-For unless `proxy_set_header` asks for it. The request body is read whole
 * first (nginx's `proxy_request_buffering on`), up to nginx's default `client_max_body_size` of 1 MB.
 */
import http from 'node:http';
import { pipeline } from 'node:stream/promises';
import { logError } from './logs.js';
import { countsAsFailure, passesOn, statusCondition } from './next-upstream.js';
import { startResponse } from './respond.js';
import { escapePath } from './uri.js';
import { expand } from './variables.js';

/**
 * @typedef {import('./exchange.js').Exchange} Exchange
 * @typedef {import('./upstream.js').Peer} Peer
 * @typedef {import('./next-upstream.js').Condition} Condition
 * @typedef {'abandoned'
 *   | { failure: import('./next-upstream.js').Failure, sent: boolean }
 *   | { status: number, relay: () => void, discard: () => void }} Attempt
 *   abandoned: the client went away first; failure: no answer came (sent: the request reached the server first);
 *   status: the server's status line and headers arrived, and its answer waits to be relayed or thrown away
 */

const MAX_BODY_BYTES = 1024 * 1024;
const DROPPED_REQUEST_HEADERS = new Set(['host', 'connection', 'keep-alive', 'te', 'expect', 'upgrade', 'content-length', 'transfer-encoding']);
const HIDDEN_RESPONSE_HEADERS = new Set(['date', 'server', 'connection', 'keep-alive', 'transfer-encoding', 'x-pad', 'x-accel-redirect', 'x-accel-expires', 'x-accel-limit-rate', 'x-accel-buffering', 'x-accel-charset']);

/**
 * @param {Exchange} ex
 * @param {import('./config-upstream.js').ProxyPass} pass
 * @returns {Promise<import('./respond.js').Outcome>}
 */
export async function proxyPass(ex, pass) {
  ex.proxyHost = pass.host;
  ex.body = ex.body ?? (await readBody(ex.req));
  if (!ex.body) return { error: 413 };
  const { upstream } = pass;
  const startedAt = Date.now();
  /** @type {Set<Peer>} */
  const tried = new Set();
  for (;;) {
    const peer = upstream.pick(tried);
    if (!peer) {
      // Every server left is resting after its failures (or this request tried it already).
      logError(`no live upstreams while connecting to upstream, ${describe(ex)}, upstream: "http://${upstream.name}${upstreamPath(ex, pass)}"`);
      return { error: 502 };
    }
    tried.add(peer);
    const attempt = await forward(ex, pass, peer, ex.body);
    if (attempt === 'abandoned') return undefined;
    const answered = 'status' in attempt;
    const condition = answered ? statusCondition(attempt.status) : attempt.failure;
    const progress = { method: ex.method, sent: answered || attempt.sent, attempts: tried.size, servers: upstream.tries, startedAt };
    const next = condition !== undefined && passesOn(ex.location.settings, condition, progress);
    if (answered && !next) {
      // Whatever its status, the answer goes to the client as it is, and the server counts as working.
      upstream.markSucceeded(peer);
      attempt.relay();
      return undefined;
    }
    if (answered) attempt.discard();
    if (countsAsFailure(/** @type {Condition} */ (condition))) {
      if (upstream.markFailed(peer)) logError(`upstream server temporarily disabled: ${peer.name} in "${upstream.name}"`, 'warn');
    } else {
      upstream.markSucceeded(peer);
    }
    if (!next) return { error: condition === 'timeout' ? 504 : 502 };
  }
}

/**
 * One attempt on one server. It ends when the server's status line and headers arrive, and proxyPass relays the
 * answer to the client or throws it away; or when the attempt fails first.
 * @param {Exchange} ex
 * @param {import('./config-upstream.js').ProxyPass} pass
 * @param {Peer} peer
 * @param {Buffer} body
 * @returns {Promise<Attempt>}
 */
function forward(ex, pass, peer, body) {
  const { proxyConnectTimeoutMs, proxyReadTimeoutMs } = ex.location.settings;
  const path = upstreamPath(ex, pass);
  return new Promise((resolve) => {
    const request = http.request({
      host: peer.endpoint.host, port: peer.endpoint.port, method: ex.method, path, headers: requestHeaders(ex, body), agent: false, setHost: false,
    });
    let connected = false;
    let settled = false;
    let dropped = false;
    const drop = () => {
      dropped = true;
      request.destroy();
    };
    /** @param {Attempt} attempt */
    const settle = (attempt) => {
      settled = true;
      clearTimeout(connectTimer);
      ex.res.off('close', abandon);
      resolve(attempt);
    };
    /** @param {import('./next-upstream.js').Failure} failure @param {string} what */
    const fail = (failure, what) => {
      if (dropped) return;
      drop();
      const upstream = `upstream: "http://${peer.name}${path}"`;
      if (settled) {
        if (ex.res.destroyed) return;
        logError(`${what} while reading upstream, ${describe(ex)}, ${upstream}`);
        ex.res.destroy();
        return;
      }
      logError(`${what} while ${connected ? 'reading response header from' : 'connecting to'} upstream, ${describe(ex)}, ${upstream}`);
      settle({ failure, sent: connected });
    };
    // The client went away: nginx closes the upstream connection too (and logs 499).
    const abandon = () => {
      settle('abandoned');
      drop();
    };
    ex.res.once('close', abandon);
    const connectTimer = setTimeout(() => fail('timeout', 'upstream timed out (connect)'), proxyConnectTimeoutMs);
    request.on('socket', (socket) => socket.once('connect', () => {
      connected = true;
      clearTimeout(connectTimer);
      request.setTimeout(proxyReadTimeoutMs, () => fail('timeout', 'upstream timed out'));
    }));
    request.on('error', (error) => {
      const code = /** @type {NodeJS.ErrnoException} */ (error).code ?? error.message;
      // Node's HTTP parser refused the answer (HPE_INVALID_HEADER_TOKEN, HPE_HEADER_OVERFLOW, ...): not HTTP.
      if (connected && code.startsWith('HPE_')) fail('invalid_header', `upstream sent invalid header (${code})`);
      else fail('error', connected ? `upstream failed (${code})` : `connect() failed (${code})`);
    });
    request.on('response', (response) => {
      settle({ status: response.statusCode ?? 502, relay: () => relay(ex, response), discard: drop });
    });
    request.end(body);
  });
}

/**
 * @param {Exchange} ex
 * @param {http.IncomingMessage} response
 */
function relay(ex, response) {
  /** @type {Record<string, string[]>} */
  const headers = {};
  /** @type {Map<string, string>} */
  const spelling = new Map();
  for (let i = 0; i < response.rawHeaders.length; i += 2) {
    const name = response.rawHeaders[i];
    const lower = name.toLowerCase();
    if (HIDDEN_RESPONSE_HEADERS.has(lower)) continue;
    if (!spelling.has(lower)) spelling.set(lower, name);
    (headers[/** @type {string} */ (spelling.get(lower))] ??= []).push(response.rawHeaders[i + 1]);
  }
  startResponse(ex, ex.errorStatus ?? response.statusCode ?? 502, headers);
  response.on('data', (chunk) => { ex.bytesSent += chunk.length; });
  pipeline(response, ex.res).catch(() => ex.res.destroy());
}

/**
 * nginx's URI rule. Without a path in proxy_pass (`http://app`), the request's path goes on as the client sent
 * it. With one (`http://app/v1/`, even just `/`), the part of the path that the location matched is replaced
 * by it: `location /api/ { proxy_pass http://app/; }` sends /api/users as /users.
 * @param {Exchange} ex
 * @param {import('./config-upstream.js').ProxyPass} pass
 */
function upstreamPath(ex, pass) {
  const query = ex.args ? `?${ex.args}` : '';
  if (pass.uri === undefined) return ex.redirected ? `${escapePath(ex.uri)}${query}` : ex.requestUri;
  return `${pass.uri}${escapePath(ex.uri.slice(ex.location.path.length))}${query}`;
}

/**
 * @param {Exchange} ex
 * @param {Buffer} body
 */
function requestHeaders(ex, body) {
  /** @type {Map<string, [string, string[]]>} lower-case name -> [name as written, values] */
  const headers = new Map();
  /** @param {string} name @param {string} value */
  const add = (name, value) => {
    const entry = headers.get(name.toLowerCase());
    if (entry) entry[1].push(value);
    else headers.set(name.toLowerCase(), [name, [value]]);
  };
  const raw = ex.req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    if (!DROPPED_REQUEST_HEADERS.has(raw[i].toLowerCase())) add(raw[i], raw[i + 1]);
  }
  add('Host', ex.proxyHost);
  add('Connection', 'close');
  if (body.length > 0 || ex.req.headers['content-length'] !== undefined) add('Content-Length', String(body.length));
  for (const header of ex.location.settings.proxyHeaders) {
    headers.delete(header.name.toLowerCase());
    const value = expand(header.value, ex);
    // An empty value removes the header, as in nginx: proxy_set_header Accept-Encoding "";
    if (value) add(header.name, value);
  }
  return Object.fromEntries([...headers.values()].map(([name, values]) => [name, values.length === 1 ? values[0] : values]));
}

/**
 * The whole request body, or undefined when it is larger than nginx's default client_max_body_size.
 * @param {http.IncomingMessage} req
 */
async function readBody(req) {
  if (Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES) return undefined;
  /** @type {Buffer[]} */
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** @param {Exchange} ex */
function describe(ex) {
  return `client: ${ex.req.socket.remoteAddress}, server: ${ex.serverName}, request: "${ex.method} ${ex.requestUri} HTTP/${ex.req.httpVersion}", host: "${ex.host}"`;
}
