// @ts-check
/**
 * The supervisor's control API (labs/kit/README.md): JSON over HTTP on 127.0.0.1 only. The `lab` command, the checks
 * and the tiers' reports all come through here.
 *
 * Two guards keep a web page in the learner's browser from driving the lab behind their back: a request must name
 * 127.0.0.1 or localhost in its Host header (a "DNS rebinding" page cannot), and a POST must carry a JSON body
 * (a plain cross-site form cannot send `application/json` without the browser asking this server first).
 */
import http from 'node:http';
import { LabError } from './errors.js';

const BODY_LIMIT = 64 * 1024;
const DEFAULT_LOG_LINES = 100;

/**
 * @typedef {object} ControlOptions
 * @property {import('./state.js').LabState} state
 * @property {import('./controller.js').LabController} controller
 * @property {import('./workspace.js').Workspace} workspace
 * @property {boolean} [owned]   the supervisor belongs to the process that started it (the lab page)
 * @property {() => void} shutdown   stops every server and ends the supervisor (once the answer went out)
 */

/** @param {ControlOptions} options */
export function createControlServer(options) {
  /** @type {Set<http.ServerResponse>} */
  const streams = new Set();
  const server = http.createServer((req, res) => {
    handle(req, res, options, streams).catch((error) => {
      const status = error instanceof LabError ? 400 : 500;
      if (!res.headersSent) sendJson(res, status, { error: error.message });
      else res.end();
    });
  });
  return {
    server,
    /** Ends the open event and log streams, so that their readers see the end. */
    endStreams() {
      for (const res of streams) res.end();
      streams.clear();
    },
  };
}

/**
 * @param {http.IncomingMessage} req
 * @param {http.ServerResponse} res
 * @param {ControlOptions} options
 * @param {Set<http.ServerResponse>} streams
 */
async function handle(req, res, { state, controller, workspace, owned = false, shutdown }, streams) {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  if (!/^(127\.0\.0\.1|localhost)(:\d+)?$/.test(req.headers.host ?? '')) {
    return sendJson(res, 403, { error: 'the control API answers requests to 127.0.0.1 only' });
  }
  if (req.method === 'GET') {
    switch (url.pathname) {
      case '/api/state': return sendJson(res, 200, state.snapshot());
      case '/api/info': return sendJson(res, 200, {
        lab: workspace.manifest.id, home: workspace.home, pid: process.pid, control: workspace.topology.control, owned,
      });
      case '/api/events': return streamEvents(res, state, streams);
      case '/api/logs': return streamLogs(url, res, controller, streams);
      default: return sendJson(res, 404, { error: `no such endpoint: GET ${url.pathname}` });
    }
  }
  if (req.method !== 'POST') return sendJson(res, 405, { error: `${req.method} is not supported here` });
  if (!String(req.headers['content-type']).startsWith('application/json')) {
    return sendJson(res, 415, { error: 'send a JSON body with Content-Type: application/json' });
  }
  const body = await readJson(req);
  const server = typeof body.server === 'string' ? body.server : '';
  const service = typeof body.service === 'string' ? body.service : undefined;
  const timeoutMs = typeof body.timeoutMs === 'number' ? body.timeoutMs : undefined;
  /** @param {import('./services.js').Service[]} started */
  const answer = async (started) => {
    const settled = body.wait === true ? await controller.settle(started, timeoutMs) : undefined;
    sendJson(res, 200, { state: state.snapshot(), settled });
  };
  switch (url.pathname) {
    case '/api/report': return sendJson(res, controller.report(body) ? 200 : 404, {});
    case '/api/up': return answer(controller.up());
    case '/api/down': await controller.down(); return answer([]);
    case '/api/start': return answer(controller.start(server, service));
    case '/api/restart': return answer(await controller.restart(server, service));
    case '/api/stop': await controller.stop(server, service); return answer([]);
    case '/api/kill': await controller.kill(server); return answer([]);
    case '/api/partition': return sendJson(res, 200, { ...controller.partition(body.a, body.b), state: state.snapshot() });
    case '/api/heal': return sendJson(res, 200, { healed: controller.heal(body.a, body.b), state: state.snapshot() });
    case '/api/shutdown':
      await controller.down();
      res.on('finish', shutdown);
      return sendJson(res, 200, { state: state.snapshot() });
    default: return sendJson(res, 404, { error: `no such endpoint: POST ${url.pathname}` });
  }
}

/**
 * One JSON document a line: the state now, then again after every change.
 * @param {http.ServerResponse} res
 * @param {import('./state.js').LabState} state
 * @param {Set<http.ServerResponse>} streams
 */
function streamEvents(res, state, streams) {
  res.writeHead(200, { 'content-type': 'application/x-ndjson', 'cache-control': 'no-store' });
  streams.add(res);
  const unsubscribe = state.subscribe((snapshot) => res.write(`${JSON.stringify(snapshot)}\n`));
  res.on('close', () => {
    unsubscribe();
    streams.delete(res);
  });
}

/**
 * A service's recent output as plain text (`?server=web-01&service=nginx&lines=50`), and with `follow=1` its new
 * lines as they come. A server with several services gets each line prefixed with its service's name.
 * @param {URL} url
 * @param {http.ServerResponse} res
 * @param {import('./controller.js').LabController} controller
 * @param {Set<http.ServerResponse>} streams
 */
function streamLogs(url, res, controller, streams) {
  const server = url.searchParams.get('server') ?? '';
  const service = url.searchParams.get('service') ?? undefined;
  const lines = Number(url.searchParams.get('lines') ?? DEFAULT_LOG_LINES);
  const several = service === undefined && controller.select(server).length > 1;
  /** @param {import('./log-ring.js').LogLine} line */
  const format = (line) => `${several ? `[${line.service}] ` : ''}${line.text}\n`;
  const tail = controller.logs(server, service, Number.isFinite(lines) ? lines : DEFAULT_LOG_LINES);
  res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
  res.write(tail.map(format).join(''));
  if (url.searchParams.get('follow') !== '1') return res.end();
  streams.add(res);
  const stop = controller.follow(server, service, (line) => res.write(format(line)));
  res.on('close', () => {
    stop();
    streams.delete(res);
  });
}

/**
 * @param {http.IncomingMessage} req
 * @returns {Promise<Record<string, any>>}
 */
async function readJson(req) {
  let text = '';
  for await (const chunk of req) {
    text += chunk;
    if (text.length > BODY_LIMIT) throw new LabError(`the request body is larger than ${BODY_LIMIT} bytes`);
  }
  try {
    const value = text ? JSON.parse(text) : {};
    if (value && typeof value === 'object' && !Array.isArray(value)) return value;
  } catch {
    // answered below
  }
  throw new LabError('the request body is not a JSON object');
}

/**
 * @param {http.ServerResponse} res
 * @param {number} status
 * @param {unknown} value
 */
function sendJson(res, status, value) {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(value));
}
