// @ts-check
/**
 * Opens one listening socket per address the server blocks `listen` on, and hands every request to the server
 * block it belongs to (handler.js). Counts requests for the lab supervisor, writes the access log, and stops
 * gracefully: no new connections, requests in progress finish, then the process ends.
 *
 * nginx runs `worker_processes` processes that share the sockets; the miniature is one Node.js process, which
 * is one event loop, like one nginx worker.
 */
import { createHttpServer, LIMITS, listen } from '../lib/http-server.js';
import { createExchange, hostName, refusedStatus } from './exchange.js';
import { handle } from './handler.js';
import { combinedLine, logError, openAccessLogs } from './logs.js';
import { pickServer } from './route.js';
import { sendStatusPage } from './respond.js';
import { parseTarget } from './uri.js';

const STOP_GRACE_MS = 5_000;

/**
 * @param {import('./config.js').Config} config
 * @param {object} options
 * @param {ReturnType<typeof import('../lib/report.js').createReporter>} options.reporter
 * @param {import('../lib/network.js').Network} options.network
 */
export async function startWeb(config, { reporter, network }) {
  const logs = openAccessLogs(config.servers.flatMap((s) => [s.fallback, ...s.locations]).flatMap((l) => l.settings.accessLogs));
  let stopping = false;
  /** @type {Partial<Record<keyof typeof LIMITS, number>>} */
  const limits = {};
  if (config.keepaliveTimeoutMs > 0) limits.keepAliveTimeoutMs = config.keepaliveTimeoutMs;
  if (config.clientHeaderTimeoutMs !== undefined) {
    limits.headersTimeoutMs = config.clientHeaderTimeoutMs;
    limits.requestTimeoutMs = Math.max(LIMITS.requestTimeoutMs, config.clientHeaderTimeoutMs);
  }
  /** @type {import('node:http').Server[]} */
  const servers = [];
  for (const port of config.ports) {
    const server = createHttpServer((req, res) => {
      reporter.served();
      if (stopping || config.keepaliveTimeoutMs === 0) res.setHeader('Connection', 'close');
      const target = parseTarget(req.url ?? '');
      const ex = createExchange(req, res, pickServer(port, hostName(target?.host ?? req.headers.host)), config, target);
      const remoteAddress = req.socket.remoteAddress ?? '-';
      res.on('close', () => {
        // nginx logs 499 for a client that went away before the answer, and 444 for `return 444`.
        const status = res.headersSent || res.statusCode === 444 ? res.statusCode : 499;
        const line = combinedLine({ remoteAddress, requestLine: `${req.method} ${req.url} HTTP/${req.httpVersion}`,
          status, bytes: ex.bytesSent, referer: req.headers.referer, userAgent: req.headers['user-agent'] });
        for (const file of ex.location.settings.accessLogs) logs.get(file)?.write(line);
      });
      const refused = refusedStatus(req, target);
      handle(ex, refused ? { error: refused } : undefined).catch((error) => {
        logError(`${error.stack ?? error}`);
        if (res.headersSent) res.destroy();
        else sendStatusPage(ex, 500);
      });
    }, limits, { unknownTransferCoding: 501 });
    server.maxConnections = config.workerConnections;
    // A connection over the limit is closed at once; nginx's words for it, so that the log says why.
    server.on('drop', () => logError(`${config.workerConnections} worker_connections are not enough`, 'alert'));
    const bound = await listen(server, port.endpoint.port, port.endpoint.host);
    const written = [...new Set(port.bindings.map((b) => b.listen.address))].join(', ');
    const real = `${port.endpoint.host}:${bound}`;
    const lab = network.nameOf(bound);
    logError(`listening on ${written}${written === real ? '' : ` (${real}${lab ? `, ${lab} in the lab network` : ''})`}`, 'notice');
    servers.push(server);
  }
  reporter.ready();

  return {
    /** Stops accepting, lets the requests in progress finish (at most 5 s), and closes the logs. */
    async stop() {
      stopping = true;
      logError('gracefully shutting down', 'notice');
      // Keep-alive connections that are idle are closed at once, and the others as soon as they turn idle.
      const sweep = setInterval(() => servers.forEach((s) => s.closeIdleConnections()), 100);
      const force = setTimeout(() => servers.forEach((s) => s.closeAllConnections()), STOP_GRACE_MS);
      await Promise.all(servers.map((s) => new Promise((resolve) => { s.close(resolve); s.closeIdleConnections(); })));
      clearInterval(sweep);
      clearTimeout(force);
      await Promise.all([...logs.values()].map((log) => log.close()));
    },
  };
}
