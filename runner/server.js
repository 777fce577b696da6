// @ts-check
/**
 * The runner's server: one HTTP server on 127.0.0.1 that answers
 *   GET  /api/hello                       the page checks that the runner runs and accepts its token
 *   WS   /session?lab=<id>                one session: a lab workspace and its processes (session.js)
 *   ANY  /preview/<key>/<port>/<path>     the lab's pages, for the page's preview iframe (preview.js)
 * Every request passes the guards of guard.js first: loopback Host, an allowed Origin, the token. A preview is
 * the exception: an iframe's requests carry no Origin and no token, so its address holds a secret of its own.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { WebSocketServer } from 'ws';
import { createHttpServer, listen } from '../labs/kit/lib/http-server.js';
import {
  PROTOCOL, bearerToken, corsHeaders, createRefusalLog, hostProblem, originProblem, protocolToken, tokenProblem,
} from './guard.js';
import { LIMITS, LimitError, WorkspaceLedger } from './limits.js';
import { forward, parsePreviewPath, previewRedirect } from './preview.js';
import { Session } from './session.js';

const TOO_MANY_SESSIONS = `the runner already has ${LIMITS.sessions} labs open, its limit: close another lab's tab, then reload this page`;

/**
 * @typedef {object} RunnerOptions
 * @property {number} port            0 picks a free port
 * @property {string[]} origins       the addresses of the pages that may connect, e.g. `http://localhost:3000`
 * @property {string} token           the secret every request must carry
 * @property {string} workspaceRoot   the folder that holds one workspace per lab
 * @property {string} [shell]         the terminal's shell, instead of the learner's $SHELL
 * @property {(line: string) => void} [log]  where refusals and failures are reported (default: stderr)
 */

/**
 * Starts the runner; resolves once it listens.
 * @param {RunnerOptions} options
 */
export async function startRunner({ port, origins, token, workspaceRoot, shell, log = (line) => console.error(line) }) {
  await fs.mkdir(workspaceRoot, { recursive: true });
  const root = await fs.realpath(workspaceRoot);
  const allowed = new Set(origins);
  const refused = createRefusalLog(log);
  /** @type {Set<Session>} */
  const sessions = new Set();
  /** @type {Map<string, Session>} the session that holds each lab's workspace */
  const byLab = new Map();
  /** @type {Map<string, WorkspaceLedger>} what pages have written into each lab's workspace */
  const ledgers = new Map();
  let actualPort = port;

  /** @type {import('./session.js').SessionContext} */
  const context = {
    get origin() { return `http://127.0.0.1:${actualPort}`; },
    shell,
    log,
    async claim(lab, session) {
      if (!ledgers.has(lab) && ledgers.size >= LIMITS.labs) {
        throw new LimitError(`refused to open the lab ${lab}: this runner has opened ${LIMITS.labs} labs, its limit; restart it`);
      }
      ledgers.set(lab, ledgers.get(lab) ?? new WorkspaceLedger());
      const previous = byLab.get(lab);
      byLab.set(lab, session);
      if (previous) await previous.close('this lab was opened in another tab or window');
      const home = path.join(root, lab);
      await fs.mkdir(home, { recursive: true });
      const real = await fs.realpath(home);
      if (path.dirname(real) !== root) throw new Error(`the workspace ${home} is a link to ${real}, outside ${root}: remove the link`);
      return real;
    },
    ledger(lab) {
      return /** @type {WorkspaceLedger} */ (ledgers.get(lab));
    },
    release(session) {
      if (session.lab && byLab.get(session.lab) === session) byLab.delete(session.lab);
      sessions.delete(session);
    },
  };

  /**
   * @param {import('node:http').IncomingMessage} req
   * @param {import('node:http').ServerResponse} res
   */
  async function handleRequest(req, res) {
    const url = req.url ?? '/';
    const what = `${req.method} ${url.split('?')[0].slice(0, 60)}${req.headers.origin ? ` from ${req.headers.origin}` : ''}`;
    const refuse = (/** @type {number} */ status, /** @type {string} */ reason, headers = {}) => {
      refused(what, reason);
      answer(res, status, { error: reason }, headers);
    };
    const host = hostProblem(req.headers.host, actualPort);
    if (host) return refuse(403, host);

    const preview = parsePreviewPath(url);
    if (preview) {
      const session = [...sessions].find((s) => s.previewKey === preview.key && !s.closing);
      if (!session?.home) return refuse(404, 'unknown preview (its lab session has ended: reload the page)');
      if (!(await session.labPorts()).has(preview.port)) return refuse(403, `port ${preview.port} is not in the lab's network table`);
      return forward(req, res, preview);
    }
    const redirect = previewRedirect(req);
    if (redirect) {
      res.writeHead(307, { Location: redirect });
      return res.end();
    }

    const origin = originProblem(req.headers.origin, allowed);
    if (origin) return refuse(403, origin);
    const cors = corsHeaders(/** @type {string} */ (req.headers.origin), req.method === 'OPTIONS');
    if (req.method === 'OPTIONS') {
      res.writeHead(204, cors);
      return res.end();
    }
    const wrongToken = tokenProblem(bearerToken(req), token);
    if (wrongToken) return refuse(401, wrongToken, cors);
    if (req.method === 'GET' && url === '/api/hello') return answer(res, 200, { runner: 'scale-up', protocol: PROTOCOL }, cors);
    return answer(res, 404, { error: `no such address: ${url.slice(0, 100)}` }, cors);
  }

  /**
   * Why a WebSocket handshake is refused, with its HTTP status, or undefined.
   * @param {import('node:http').IncomingMessage} req
   * @param {URL} url
   * @returns {[number, string] | undefined}
   */
  function upgradeProblem(req, url) {
    const host = hostProblem(req.headers.host, actualPort);
    if (host) return [403, host];
    if (url.pathname !== '/session') return [404, `no such address: ${url.pathname.slice(0, 100)}`];
    const origin = originProblem(req.headers.origin, allowed);
    if (origin) return [403, origin];
    const wrongToken = tokenProblem(protocolToken(req), token);
    if (wrongToken) return [401, wrongToken];
    const offered = String(req.headers['sec-websocket-protocol']).split(',').map((p) => p.trim());
    if (!offered.includes(PROTOCOL)) {
      return [400, `the page speaks another version of the runner's protocol (${PROTOCOL} expected): update the course or the runner`];
    }
    return undefined;
  }

  const server = createHttpServer(handleRequest);
  const wss = new WebSocketServer({ noServer: true, maxPayload: LIMITS.messageBytes, handleProtocols: () => PROTOCOL });
  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => socket.destroy());
    const url = new URL(req.url ?? '/', 'http://runner');
    const problem = upgradeProblem(req, url);
    if (problem) {
      refused(`a WebSocket connection${req.headers.origin ? ` from ${req.headers.origin}` : ''}`, problem[1]);
      socket.end(`HTTP/1.1 ${problem[0]} Refused\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n${problem[1]}\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      // Accepted, then closed with a reason: a refused handshake could not tell the page why.
      if ([...sessions].filter((s) => !s.closing).length >= LIMITS.sessions) {
        refused('a WebSocket connection', TOO_MANY_SESSIONS);
        return ws.close(4000, TOO_MANY_SESSIONS);
      }
      sessions.add(new Session(ws, context, url.searchParams.get('lab')));
    });
  });

  actualPort = await listen(server, port, '127.0.0.1');
  return {
    port: actualPort,
    origin: context.origin,
    token,
    /** Ends every session (stopping its lab and its processes), then the server. */
    async close() {
      server.close();
      await Promise.all([...sessions].map((session) => session.close('the lab runner stopped')));
      for (const ws of wss.clients) ws.terminate();
      server.closeAllConnections();
    },
  };
}

/**
 * @param {import('node:http').ServerResponse} res
 * @param {number} status
 * @param {Record<string, unknown>} body
 * @param {Record<string, string>} [headers]
 */
function answer(res, status, body, headers = {}) {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}
