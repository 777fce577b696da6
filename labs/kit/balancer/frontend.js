// @ts-check
/**
 * A frontend (or the frontend half of a `listen` section): it listens on its `bind` addresses, answers the stats
 * page, picks a backend with `use_backend` rules and `default_backend`, and hands the request to forward.js.
 * The HTTP servers come from lib/http-server.js, which answers malformed requests with 400, 408 or 431.
 */
import { ConfigError } from '../lib/config-error.js';
import { createHttpServer, LIMITS, listen } from '../lib/http-server.js';
import { conditionHolds } from './acl.js';
import { newCounters } from './backend.js';
import { Exchange } from './exchange.js';
import { forward } from './forward.js';
import { sendErrorPage } from './pages.js';
import { badRequestReason } from './request-check.js';
import { serveStats } from './stats.js';

/**
 * @typedef {object} Balancer  what every frontend shares
 * @property {(line: string) => void} log
 * @property {{ served(): void }} reporter
 * @property {number} connections  client connections open, all frontends together (HAProxy's actconn)
 * @property {Map<string, import('./backend.js').Backend>} backends
 * @property {Frontend[]} frontends
 * @property {import('./config.js').Config} config
 */

export class Frontend {
  /**
   * @param {import('./keywords.js').ProxyConfig} config
   * @param {Balancer} balancer
   */
  constructor(config, balancer) {
    this.name = config.name;
    this.config = config;
    this.balancer = balancer;
    this.connections = 0;
    this.inFlight = 0;
    this.stats = newCounters();
    this.open = true;
    /** @type {import('node:http').Server[]} */
    this.servers = [];
    const { httpRequest, httpKeepAlive, client } = config.timeouts;
    // HAProxy: `timeout http-request` bounds the reading of request headers and `timeout http-keep-alive` the wait
    // for the next request; each falls back on `timeout client`, the client's allowed inactivity.
    const headersTimeoutMs = httpRequest ?? client ?? LIMITS.headersTimeoutMs;
    this.limits = {
      headersTimeoutMs,
      requestTimeoutMs: Math.max(LIMITS.requestTimeoutMs, headersTimeoutMs),
      keepAliveTimeoutMs: httpKeepAlive ?? httpRequest ?? client ?? LIMITS.keepAliveTimeoutMs,
    };
  }

  /** Opens every bind address; resolves once all listen. */
  async listen() {
    for (const bind of this.config.binds) {
      const server = createHttpServer((req, res) => this.handle(req, res), this.limits);
      server.on('connection', (socket) => {
        this.connections++;
        this.balancer.connections++;
        this.stats.total++;
        this.stats.rate.count();
        if (this.connections > this.stats.max) this.stats.max = this.connections;
        socket.once('close', () => {
          this.connections--;
          this.balancer.connections--;
        });
      });
      this.servers.push(server);
      await listen(server, bind.endpoint.port, bind.endpoint.host).catch((error) => {
        if (error.code !== 'EACCES') throw error;
        throw new ConfigError({ file: this.balancer.config.file, line: bind.line, directive: 'bind' },
          `permission denied to listen on port ${bind.endpoint.port}`,
          'ports below 1024 need administrator rights: run it in a lab, whose network table maps them, or bind a port like 8080');
      });
    }
  }

  /**
   * @param {import('node:http').IncomingMessage} req
   * @param {import('node:http').ServerResponse} res
   */
  handle(req, res) {
    this.inFlight++;
    const x = new Exchange(req, res, this);
    if (badRequestReason(req)) {
      // HAProxy's parser refuses it before any rule runs: 400, logged with the termination state `PR--`, and the
      // connection closes.
      x.status = 400;
      x.termination = 'PR--';
      res.shouldKeepAlive = false;
      x.bytes = sendErrorPage(res, 400);
      x.finish();
      return;
    }
    const url = req.url ?? '/';
    if (this.config.stats && url.startsWith(this.config.stats.uri)) {
      serveStats(x, this.config.stats);
      return;
    }
    x.backend = this.route(url);
    if (!x.backend) {
      // No backend for this request: HAProxy's 503 page, logged as `<NOSRV>`.
      x.status = 503;
      x.termination = 'SC--';
      x.bytes = sendErrorPage(res, 503);
      x.finish();
      return;
    }
    const backendStats = x.backend.config.stats;
    if (backendStats && url.startsWith(backendStats.uri)) {
      serveStats(x, backendStats);
      return;
    }
    forward(x);
  }

  /**
   * The first `use_backend` whose condition holds, else `default_backend`, else (in a listen section) itself.
   * @param {string} url
   */
  route(url) {
    const query = url.indexOf('?');
    const path = query < 0 ? url : url.slice(0, query);
    const { rules, acls, defaultBackend, kind, name } = this.config;
    const rule = rules.find((r) => conditionHolds(r.condition, acls, path));
    const backendName = rule?.backend ?? defaultBackend?.name ?? (kind === 'listen' ? name : undefined);
    return backendName === undefined ? undefined : this.balancer.backends.get(backendName);
  }

  /** Stops accepting connections; requests in progress go on. */
  close() {
    this.open = false;
    for (const server of this.servers) {
      server.close();
      server.closeIdleConnections();
    }
  }

  /** Cuts the connections still open. */
  closeAll() {
    for (const server of this.servers) server.closeAllConnections();
  }
}

