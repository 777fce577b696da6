// @ts-check
/**
 * Health checks: every `inter`, each server with `check` is probed. Without `option httpchk` a probe is a TCP
 * connection (HAProxy's "Layer4" check); with it, an HTTP request whose status must be 2xx or 3xx, or what
 * `http-check expect status` says ("Layer7"). The results move the server's health counter (backend.js), and a
 * server that goes DOWN or UP is logged as HAProxy logs it:
 *
 *   Server web/web-01 is DOWN, reason: Layer4 connection problem, info: "Connection refused", check duration: 0ms.
 *   1 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.
 *
 * Differences: HAProxy sends `option httpchk` requests as HTTP/1.0 unless told otherwise; Node.js speaks HTTP/1.1 only,
 * which requires a Host header, so the miniature sends the server's address as written (`Host: web-01:80`) unless
 * `http-check send ... hdr Host ...` names one.
 */
import http from 'node:http';
import net from 'node:net';

/**
 * @typedef {import('./backend.js').Server} Server
 * @typedef {import('./backend.js').Backend} Backend
 * @typedef {{ passed: boolean, status: string, reason: string, code?: number, duration: number }} CheckResult
 */

/**
 * @param {Backend[]} backends
 * @param {(line: string) => void} log
 * @returns {() => void} stops the checks
 */
export function startHealthChecks(backends, log) {
  /** @type {Set<NodeJS.Timeout>} */
  const timers = new Set();
  let stopped = false;
  for (const backend of backends) {
    const checked = backend.servers.filter((s) => s.checked);
    checked.forEach((server, index) => {
      /** @param {number} delay */
      const schedule = (delay) => {
        const timer = setTimeout(() => {
          timers.delete(timer);
          runCheck(server, (result) => {
            if (stopped) return;
            applyResult(server, result, log);
            schedule(server.inter);
          });
        }, delay);
        timers.add(timer);
      };
      // Like HAProxy, spread the first checks of a backend over the first interval rather than firing all at once.
      schedule(Math.floor((server.inter * index) / checked.length));
    });
  }
  return () => {
    stopped = true;
    for (const timer of timers) clearTimeout(timer);
  };
}

/**
 * @param {Server} server
 * @param {(result: CheckResult) => void} done
 */
function runCheck(server, done) {
  const { timeouts, httpCheck, httpCheckEnabled } = server.backend.config;
  // HAProxy: with `timeout check`, the connect timeout is min(timeout connect, inter) and `timeout check` bounds the
  // reading of the response; without it, `inter` bounds the whole check.
  const connectTimeout = timeouts.check === undefined ? server.inter : Math.min(timeouts.connect ?? server.inter, server.inter);
  const readTimeout = timeouts.check ?? server.inter;
  const started = Date.now();
  let finished = false;
  /** @param {Omit<CheckResult, 'duration'>} result */
  const finish = (result) => {
    if (finished) return;
    finished = true;
    clearTimeout(timer);
    done({ ...result, duration: Date.now() - started });
  };
  let timer = setTimeout(() => {
    probe.destroy();
    finish({ passed: false, status: 'L4TOUT', reason: 'Layer4 timeout' });
  }, connectTimeout);
  /** @type {net.Socket | http.ClientRequest} */
  let probe;
  if (!httpCheckEnabled) {
    const socket = net.connect(server.endpoint.port, server.endpoint.host);
    probe = socket;
    socket.on('connect', () => {
      socket.destroy();
      finish({ passed: true, status: 'L4OK', reason: 'Layer4 check passed' });
    });
    socket.on('error', (error) => finish(connectionProblem(error)));
    return;
  }
  const request = http.request({
    host: server.endpoint.host, port: server.endpoint.port, method: httpCheck.method, path: httpCheck.uri, agent: false,
    headers: [...httpCheck.headers, ...(hasHost(httpCheck.headers) ? [] : ['Host', server.address]), 'Connection', 'close'],
  });
  probe = request;
  request.on('socket', (socket) => socket.once('connect', () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      request.destroy();
      finish({ passed: false, status: 'L7TOUT', reason: 'Layer7 timeout' });
    }, readTimeout);
  }));
  request.on('response', (response) => {
    response.resume();
    const code = response.statusCode ?? 0;
    const expected = server.backend.config.expectStatus ?? [[200, 399]];
    if (expected.some(([low, high]) => code >= low && code <= high)) {
      finish({ passed: true, status: 'L7OK', code, reason: `Layer7 check passed, code: ${code}` });
    } else {
      finish({ passed: false, status: 'L7STS', code, reason: `Layer7 wrong status, code: ${code}, info: "${response.statusMessage ?? ''}"` });
    }
  });
  request.on('error', (error) => {
    const code = /** @type {NodeJS.ErrnoException} */ (error).code ?? '';
    finish(code.startsWith('HPE_') ? { passed: false, status: 'L7RSP', reason: `Layer7 invalid response, info: "${error.message}"` } : connectionProblem(error));
  });
  request.end();
}

/** @param {string[]} headers */
function hasHost(headers) {
  return headers.some((h, i) => i % 2 === 0 && h.toLowerCase() === 'host');
}

/** @param {Error} error */
function connectionProblem(error) {
  const code = /** @type {NodeJS.ErrnoException} */ (error).code;
  const info = code === 'ECONNREFUSED' ? 'Connection refused' : code === 'ECONNRESET' ? 'Connection reset by peer' : error.message;
  return { passed: false, status: 'L4CON', reason: `Layer4 connection problem, info: "${info}"` };
}

/**
 * Moves the health counter as HAProxy does, and logs a change of state.
 * @param {Server} server
 * @param {CheckResult} result
 * @param {(line: string) => void} log
 */
export function applyResult(server, result, log) {
  const wasUp = server.up;
  server.checkStatus = result.status;
  server.checkCode = result.code;
  server.checkDuration = result.duration;
  const top = server.rise + server.fall - 1;
  if (result.passed) {
    if (server.health < top) server.health++;
    if (server.health >= server.rise) server.health = top;
  } else if (server.health > 0) {
    server.checkFailures++;
    server.health--;
    if (server.health < server.rise) server.health = 0;
  }
  if (server.up === wasUp) return;

  const now = Date.now();
  if (server.up) server.downtime += now - server.downSince;
  else [server.downSince, server.downs] = [now, server.downs + 1];
  server.lastChange = now;
  const backend = server.backend;
  backend.serversChanged();
  const active = backend.servers.filter((s) => !s.backup && s.up).length;
  const backup = backend.servers.filter((s) => s.backup && s.up).length;
  const who = `${server.backup ? 'Backup Server' : 'Server'} ${backend.name}/${server.name}`;
  const because = `reason: ${result.reason}, check duration: ${result.duration}ms.`;
  if (server.up) {
    log(`${who} is UP, ${because} ${active} active and ${backup} backup servers online. 0 sessions requeued, 0 total in queue.`);
  } else {
    const onBackup = active === 0 && backup > 0 ? ' Running on backup.' : '';
    log(`${who} is DOWN, ${because} ${active} active and ${backup} backup servers left.${onBackup} ${server.active} sessions active, 0 requeued, 0 remaining in queue.`);
    if (!backend.available) log(`backend ${backend.name} has no server available!`);
  }
}
