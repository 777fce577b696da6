// @ts-check
/**
 * Sends a request to a server of its backend and the response back, retrying as HAProxy does:
 *
 * - A failure before any response is retried up to `retries` times (default 3).
 * - Without `option redispatch` every retry goes to the same server, after HAProxy's turn-around pause of
 *   min(timeout connect, 1 s) when the connection itself failed; with it, a retry may go to another server at once,
 *   depending on the algorithm (redispatch.js).
 * - Which failures are retried is `retry-on`'s choice: by default only `conn-failure` (the request never left);
 *   `empty-response`, `junk-response`, `response-timeout` and status codes (`503`, ...) replay a request the server
 *   may already have seen. Difference: HAProxy replays any request that fits in its buffer and leaves it to you
 *   to exclude POST (`http-request disable-l7-retry if METH_POST`); the miniature replays only idempotent methods.
 * - A request body is held whole only up to one buffer (16 KB); a longer one is streamed, and sent again only when
 *   the connection failed (request-body.js).
 * - Without a server left, the client gets HAProxy's 503 page; 502 for a broken response, 504 for a timeout.
 */
import { endToEndHeaders, requestHead } from './headers.js';
import { sendErrorPage } from './pages.js';
import { planRetry } from './redispatch.js';
import { RequestBody } from './request-body.js';
import { ServerRequest } from './server-request.js';

/**
 * @typedef {import('./exchange.js').Exchange} Exchange
 * @typedef {import('./keywords.js').RetryableFailure} Failure
 */

/** Methods that RFC 9110 calls idempotent: sending them twice does no more than sending them once. */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE', 'PUT', 'DELETE']);

/** @type {Record<Failure, { status: 502 | 503 | 504, termination: string }>} */
const OUTCOME = {
  'conn-failure': { status: 503, termination: 'SC--' },
  'empty-response': { status: 502, termination: 'SH--' },
  'junk-response': { status: 502, termination: 'PH--' },
  'response-timeout': { status: 504, termination: 'sH--' },
  '0rtt-rejected': { status: 502, termination: 'SH--' },
};

/**
 * Starts forwarding: reads a request body, up to a buffer of it, then picks a server.
 * @param {Exchange} x  with its backend chosen
 */
export function forward(x) {
  const backend = /** @type {import('./backend.js').Backend} */ (x.backend);
  const { req } = x;
  const { headers, hasBody } = endToEndHeaders(req.rawHeaders);
  if (backend.config.forwardFor) headers.push('X-Forwarded-For', x.clientAddress);
  x.retriesLeft = backend.config.retries;
  x.res.on('close', () => abandonIfUnfinished(x));
  if (!hasBody) {
    x.head = requestHead(req.method ?? 'GET', req.url ?? '/', headers);
    pickAndSend(x);
    return;
  }
  const body = new RequestBody(req, req.headers['content-length'] !== undefined);
  x.body = body;
  body.readStart(() => {
    x.head = requestHead(req.method ?? 'GET', req.url ?? '/', body.framed(headers));
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

/**
 * One attempt on x.server; what follows depends on how it goes.
 * @param {Exchange} x
 */
function send(x) {
  const server = /** @type {import('./backend.js').Server} */ (x.server);
  const started = Date.now();
  const method = x.req.method ?? 'GET';
  const attempt = new ServerRequest(server, { method, head: x.head, body: x.body }, {
    response: (head) => {
      if (server.backend.config.retryOn.statuses.has(head.status) && canReplay(x)) {
        attempt.abandon();
        retry(x, false, attempt.reused);
        return;
      }
      x.connectMs = attempt.connectMs;
      x.responseMs = Date.now() - started - x.connectMs;
      x.status = head.status;
      x.res.writeHead(head.status, head.reason, head.headers);
    },
    body: (chunk) => {
      x.bytes += chunk.length;
      if (!x.res.write(chunk)) {
        attempt.pause();
        x.res.once('drain', () => attempt.resume());
      }
    },
    end: () => {
      x.res.end();
      x.finish();
    },
    failed: (failure) => {
      // A request that dies on a reused keep-alive connection before any answer most likely met a connection the
      // server had just closed: it is replayed like a failed connection, if it is idempotent and can be sent again,
      // as Node.js's documentation advises for that race.
      const raced = failure === 'empty-response' && attempt.reused && IDEMPOTENT.has(method) && !x.body?.flowing;
      failed(x, raced ? 'conn-failure' : failure, attempt.reused);
    },
    cut: (termination) => {
      if (x.finished) return;
      x.termination = termination; // the server failed in the middle of the body: too late to retry, cut the client off
      x.res.destroy();
      x.finish();
    },
  });
  x.attempt = attempt;
}

/**
 * @param {Exchange} x
 * @param {Failure} failure
 * @param {boolean} reused  the attempt went over a keep-alive connection opened earlier
 */
function failed(x, failure, reused) {
  const server = /** @type {import('./backend.js').Server} */ (x.server);
  const counter = failure === 'conn-failure' ? 'connectionErrors' : 'responseErrors';
  server.stats[counter]++;
  server.backend.stats[counter]++;
  const canSendAgain = failure === 'conn-failure' ? !x.body?.flowing : canReplay(x);
  if (server.backend.config.retryOn.failures.has(failure) && canSendAgain) {
    retry(x, failure === 'conn-failure', reused);
    return;
  }
  x.termination = OUTCOME[failure].termination;
  reply(x, OUTCOME[failure].status);
}

/**
 * Whether a request the server may already have seen can be sent again: an idempotent one, whose body (if any) the
 * balancer holds whole.
 * @param {Exchange} x
 */
function canReplay(x) {
  return x.retriesLeft > 0 && IDEMPOTENT.has(x.req.method ?? '') && (x.body === undefined || x.body.complete);
}

/**
 * @param {Exchange} x
 * @param {boolean} connectionFailed
 * @param {boolean} reused
 */
function retry(x, connectionFailed, reused) {
  if (x.retriesLeft === 0 || x.finished) {
    if (!x.finished) reply(x, connectionFailed ? 503 : 502);
    return;
  }
  const server = /** @type {import('./backend.js').Server} */ (x.server);
  const backend = server.backend;
  x.retriesLeft--;
  x.retries++;
  const { redispatch, pause } = planRetry(server, x.retriesLeft);
  const next = redispatch ? backend.pick(x.clientAddress, server) : server;
  // HAProxy counts a retry on the same server as a retry, and one that lands elsewhere as a redispatch.
  if (next && next !== server) {
    x.redispatched = true;
    server.stats.redispatches++;
    backend.stats.redispatches++;
  } else {
    server.stats.retries++;
    backend.stats.retries++;
  }
  if (!next) {
    reply(x, 503);
    return;
  }
  x.server = next;
  const connect = backend.config.timeouts.connect ?? 5000;
  if (connectionFailed && pause && !reused) setTimeout(() => { if (!x.finished) send(x); }, Math.min(connect, 1000));
  else send(x);
}

/**
 * @param {Exchange} x
 * @param {502 | 503 | 504} status
 */
function reply(x, status) {
  x.body?.discard();
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
  x.attempt?.abandon();
}
