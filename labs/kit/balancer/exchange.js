// @ts-check
/**
 * One request on its way through the balancer, from the client to a server and back: what forward.js needs to retry
 * it, and what the log line (httplog.js) and the stats page (stats.js) report about it.
 */
import { formatHttpLog } from './httplog.js';

/**
 * @typedef {import('./backend.js').Backend} Backend
 * @typedef {import('./backend.js').Server} Server
 * @typedef {import('./frontend.js').Frontend} Frontend
 */

export class Exchange {
  /**
   * @param {import('node:http').IncomingMessage} req
   * @param {import('node:http').ServerResponse} res
   * @param {Frontend} frontend
   */
  constructor(req, res, frontend) {
    this.req = req;
    this.res = res;
    this.frontend = frontend;
    this.started = Date.now();
    this.clientAddress = req.socket.remoteAddress ?? '';
    this.clientPort = req.socket.remotePort ?? 0;
    /** @type {Backend | undefined} */
    this.backend = undefined;
    /** @type {Server | undefined} */
    this.server = undefined;
    /** what the log shows instead of a server name when there is none: `<NOSRV>`, `<STATS>` */
    this.serverLabel = '<NOSRV>';
    /** the request line and headers sent to the server, built once and reused by every retry */
    this.head = '';
    /** @type {import('./request-body.js').RequestBody | undefined} */
    this.body = undefined;
    this.retriesLeft = 0;
    this.retries = 0;
    this.redispatched = false;
    /** milliseconds the last attempt took to connect (0 on a reused connection), -1 if it never connected */
    this.connectMs = -1;
    /** milliseconds from the connection to the response headers, -1 if none came */
    this.responseMs = -1;
    this.status = 0;
    this.bytes = 0;
    /** HAProxy's termination state: `----` normal, `SC--` no connection, `SH--`/`sH--` server error/timeout, ... */
    this.termination = '----';
    /** @type {import('./server-request.js').ServerRequest | undefined} the attempt on a server in progress */
    this.attempt = undefined;
    this.finished = false;
  }

  /** Logs the request and counts it; runs once, when the response is complete or the exchange is abandoned. */
  finish() {
    if (this.finished) return;
    this.finished = true;
    const { frontend, backend, server } = this;
    const responseClass = this.status >= 100 && this.status < 600 ? Math.floor(this.status / 100) - 1 : 5;
    const bytesIn = this.body?.bytes ?? 0;
    for (const counted of [frontend, backend, server]) {
      if (!counted) continue;
      const { stats } = counted;
      stats.responses[responseClass]++;
      stats.bytesIn += bytesIn;
      stats.bytesOut += this.bytes;
    }
    frontend.inFlight--;
    frontend.balancer.log(formatHttpLog(this));
    if (server) frontend.balancer.reporter.served();
  }
}
