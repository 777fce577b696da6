// @ts-check
/**
 * Sends a request to a server of its backend and the response back, retrying as HAProxy does:
 *
 * - A failure before any response is retried up to `retries` times (default 3), on the same server, after
 *   HAProxy's turn-around pause of min(timeout connect, 1 s) when the connection itself failed.
 * - With `option redispatch`, the last retry goes to another server (or any retry, once the server is DOWN).
 * - Which failures are retried is `retry-on`'s choice: by default only `conn-failure` (the request never left);
 *   `empty-response`, `junk-response`, `response-timeout` and status codes (`503`, ...) replay a request the server
 *   may already have seen. Difference: HAProxy replays any request that fits in its buffer and leaves it to you
 *   to exclude POST (`http-request disable-l7-retry if METH_POST`); the miniature replays only idempotent methods.
 * - Without a server left, the client gets HAProxy's 503 page; 502 for a broken response, 504 for a timeout.
 */
import http from 'node:http';
import { CONNECT_TIMEOUT, connectTime } from './connection-pool.js';
import { endToEndHeaders, withContentLength } from './headers.js';
import { sendErrorPage } from './pages.js';

/**
 * @typedef {import('./exchange.js').Exchange} Exchange
 * @typedef {import('./keywords.js').RetryableFailure} Failure
 */

/** Methods that RFC 9110 calls idempotent: sending them twice does no more than sending them once. */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE', 'PUT', 'DELETE']);
const SERVER_TIMEOUT = Object.assign(new Error('timeout server'), { code: 'SERVER_TIMEOUT' });

/** @type {Record<Failure, { status: 502 | 503 | 504, termination: string }>} */
const OUTCOME = {
  'conn-failure': { status: 503, termination: 'SC--' },
  'empty-response': { status: 502, termination: 'SH--' },
  'junk-response': { status: 502, termination: 'PH--' },
  'response-timeout': { status: 504, termination: 'sH--' },
  '0rtt-rejected': { status: 502, termination: 'SH--' },
};

/**
 * Starts forwarding: reads a request body whole first (so that a retry can send it again), then picks a server.
 * @param {Exchange} x  with its backend chosen
 */
export function forward(x) {
  const backend = /** @type {import('./backend.js').Backend} */ (x.backend);
  const { headers, hasBody } = endToEndHeaders(x.req.rawHeaders);
  x.headers = headers;
  if (backend.config.forwardFor) headers.push('X-Forwarded-For', x.clientAddress);
  x.retriesLeft = backend.config.retries;
  x.res.on('close', () => abandonIfUnfinished(x));
  if (!hasBody) {
    pickAndSend(x);
    return;
  }
  /** @type {Buffer[]} */
  const chunks = [];
  x.req.on('data', (chunk) => chunks.push(chunk));
  x.req.on('end', () => {
    x.body = Buffer.concat(chunks);
    x.frontend.stats.bytesIn += x.body.length;
    backend.stats.bytesIn += x.body.length;
    x.headers = withContentLength(x.headers, x.body.length);
    pickAndSend(x);
  });
}

/** @param {Exchange} x */
function pickAndSend(x) {
  const backend = /** @type {import('./backend.js').Backend} */ (x.backend);
  x.server = backend.pick(x.clientAddress);
  if (!x.server) {
    x.termination = 'SC--';
    reply(x, 503);
    return;
  }
  send(x);
}

/** @param {Exchange} x */
function send(x) {
  const server = /** @type {import('./backend.js').Server} */ (x.server);
  const attemptStarted = Date.now();
  let settled = false;
  server.countActive(1);
  if (x.body) server.stats.bytesIn += x.body.length;
  const upstream = http.request({
    host: server.endpoint.host, port: server.endpoint.port, agent: server.agent,
    method: x.req.method, path: x.req.url, headers: x.headers,
  });
  x.upstream = upstream;

  /** @param {Failure | undefined} failure */
  const settle = (failure) => {
    if (settled) return;
    settled = true;
    server.countActive(-1);
    if (failure) failed(x, failure);
  };
  upstream.setTimeout(server.backend.config.timeouts.server ?? 30_000, () => upstream.destroy(SERVER_TIMEOUT));
  upstream.on('error', (error) => {
    if (x.finished) {
      settle(undefined);
    } else if (x.status > 0) {
      x.termination = 'SD--';
      settle(undefined);
      x.res.destroy();
      x.finish();
    } else {
      settle(classify(error, connectTime(upstream) !== undefined, upstream.reusedSocket, x.req.method ?? ''));
    }
  });
  upstream.on('response', (response) => {
    const status = response.statusCode ?? 0;
    if (server.backend.config.retryOn.statuses.has(status) && canReplay(x)) {
      response.resume();
      settle(undefined);
      retry(x, false);
      return;
    }
    x.connectMs = connectTime(upstream) ?? 0;
    x.responseMs = Date.now() - attemptStarted - x.connectMs;
    x.status = status;
    x.res.writeHead(status, response.statusMessage, endToEndHeaders(response.rawHeaders).headers);
    response.on('data', (chunk) => {
      x.bytes += chunk.length;
      if (!x.res.write(chunk)) {
        response.pause();
        x.res.once('drain', () => response.resume());
      }
    });
    response.on('end', () => {
      x.res.end();
      settle(undefined);
      x.finish();
    });
    response.on('close', () => {
      if (response.complete) return;
      settle(undefined);
      if (x.finished) return; // the client left first: abandonIfUnfinished logged it
      x.termination = 'SD--'; // the server died in the middle of the body: too late to retry, cut the client off
      x.res.destroy();
      x.finish();
    });
  });
  upstream.end(x.body);
}

/**
 * What kind of failure, in `retry-on`'s words. A request that dies on a reused keep-alive connection before any
 * answer most likely met a connection the server had just closed: it is replayed like a failed connection,
 * if it is idempotent, as Node.js's documentation advises for that race.
 * @param {Error} error
 * @param {boolean} connected
 * @param {boolean} reused
 * @param {string} method
 * @returns {Failure}
 */
function classify(error, connected, reused, method) {
  if (error === SERVER_TIMEOUT) return 'response-timeout';
  if (!connected || error === CONNECT_TIMEOUT) return 'conn-failure';
  if (/** @type {NodeJS.ErrnoException} */ (error).code?.startsWith('HPE_')) return 'junk-response';
  return reused && IDEMPOTENT.has(method) ? 'conn-failure' : 'empty-response';
}

/**
 * @param {Exchange} x
 * @param {Failure} failure
 */
function failed(x, failure) {
  const server = /** @type {import('./backend.js').Server} */ (x.server);
  const counter = failure === 'conn-failure' ? 'connectionErrors' : 'responseErrors';
  server.stats[counter]++;
  server.backend.stats[counter]++;
  if (server.backend.config.retryOn.failures.has(failure) && (failure === 'conn-failure' || canReplay(x))) {
    retry(x, failure === 'conn-failure');
    return;
  }
  x.termination = OUTCOME[failure].termination;
  reply(x, OUTCOME[failure].status);
}

/** @param {Exchange} x */
function canReplay(x) {
  return x.retriesLeft > 0 && IDEMPOTENT.has(x.req.method ?? '');
}

/**
 * @param {Exchange} x
 * @param {boolean} connectionFailed
 */
function retry(x, connectionFailed) {
  if (x.retriesLeft === 0 || x.finished) {
    if (!x.finished) reply(x, connectionFailed ? 503 : 502);
    return;
  }
  const server = /** @type {import('./backend.js').Server} */ (x.server);
  const backend = server.backend;
  x.retriesLeft--;
  x.retries++;
  server.stats.retries++;
  backend.stats.retries++;
  if (backend.config.redispatch && (x.retriesLeft === 0 || !server.up)) {
    const other = backend.pick(x.clientAddress, server);
    if (other && other !== server) {
      x.redispatched = true;
      server.stats.redispatches++;
      backend.stats.redispatches++;
    }
    x.server = other;
    if (other) send(x);
    else reply(x, 503);
    return;
  }
  const connect = backend.config.timeouts.connect ?? 5000;
  if (connectionFailed) setTimeout(() => { if (!x.finished) send(x); }, Math.min(connect, 1000));
  else send(x);
}

/**
 * @param {Exchange} x
 * @param {502 | 503 | 504} status
 */
function reply(x, status) {
  x.status = status;
  if (x.termination === '----') x.termination = status === 503 ? 'SC--' : 'SH--';
  if (!x.res.headersSent && !x.res.destroyed) x.bytes = sendErrorPage(x.res, status);
  x.finish();
}

/**
 * The client went away before its response was complete: stop the request to the server, log it as HAProxy does
 * (`CH--` while waiting for the server's headers, `CD--` during the body).
 * @param {Exchange} x
 */
function abandonIfUnfinished(x) {
  if (x.finished || x.res.writableFinished) return;
  x.termination = x.status > 0 ? 'CD--' : 'CH--';
  x.finish();
  x.upstream?.destroy();
}
