// @ts-check
/**
 * The application: a guestbook, the dynamic part of the site. The web server serves the static files and passes
 * everything else here; this code reads and writes the database and builds each page for each request.
 *
 *   GET  /                 the page: a form and the latest entries (HTML)
 *   POST /entries          adds an entry: from the form (answers 303, back to /) or as JSON (answers 201)
 *   GET  /api/entries      the latest entries as JSON (?limit=1..100, 20 by default)
 *   GET  /api/entries/7    one entry
 *   GET  /health           200 when the database answers, 503 with the reason when it does not
 *
 * Every answer says which servers handled it: the web server (from the X-Web-Server header that nginx sets with
 * `proxy_set_header X-Web-Server $hostname;`), this app server, and the database server (from its reply).
 */
import { BodyTooLargeError, protocolRefusal, readBody } from '../lib/http-server.js';
import { DbError, DbUnreachable } from './db-client.js';
import { errorPage, guestbookPage, invalidEntryPage } from './pages.js';

const LATEST = 'SELECT id, name, message, created_at FROM guestbook ORDER BY id DESC LIMIT ?';
const ONE = 'SELECT id, name, message, created_at FROM guestbook WHERE id = ?';
const INSERT = 'INSERT INTO guestbook (name, message) VALUES (?, ?)';
const FIELDS = /** @type {const} */ (['name', 'message']);
const MAX_LENGTH = { name: 80, message: 500 };
const MAX_BODY_BYTES = 16 * 1024;

/**
 * @typedef {ReturnType<typeof import('./db-client.js').createDbClient>} DbClient
 * @typedef {import('./pages.js').Servers} Servers
 * @typedef {{ req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse, url: URL, db: DbClient,
 *   servers: Servers, json: boolean }} Exchange  one request and what is known about it
 */

/**
 * @param {object} options
 * @param {DbClient} options.db
 * @param {string} options.appServer this server's name
 * @param {() => void} options.served counts a request for the lab supervisor
 * @returns {import('node:http').RequestListener}
 */
export function createGuestbook({ db, appServer, served }) {
  return async (req, res) => {
    served();
    res.setHeader('X-App-Server', appServer);
    if (protocolRefusal(req)) return refuseProtocol(req, res);
    /** @type {URL} */
    let url;
    try {
      url = new URL(req.url ?? '/', 'http://app');
    } catch {
      // `GET //` is valid HTTP, but no path: a URL reads `//` as the start of a host name, and finds none.
      send(res, 400, 'application/json', { error: 'Bad request', message: `The request target ${JSON.stringify(req.url)} is not a path such as /api/entries.` });
      return;
    }
    const json = url.pathname.startsWith('/api/') || url.pathname === '/health' || /json/i.test(req.headers['content-type'] ?? '');
    /** @type {Exchange} */
    const x = { req, res, url, db, json, servers: { web: webServerOf(req), app: appServer, database: 'not asked yet' } };
    const method = req.method === 'HEAD' ? 'GET' : req.method;
    const entryId = /^\/api\/entries\/(\d+)$/.exec(url.pathname)?.[1];
    /** @type {Record<string, [string, () => Promise<void>]>} */
    const routes = {
      '/': ['GET', () => home(x)],
      '/entries': ['POST', () => addEntry(x)],
      '/api/entries': ['GET', () => latestEntries(x)],
      '/health': ['GET', () => health(x)],
    };
    /** @type {[string, () => Promise<void>] | undefined} */
    const route = entryId ? ['GET', () => oneEntry(x, Number(entryId))] : routes[url.pathname];
    if (!route) return reply(x, 404, 'Not found', [`There is no page ${url.pathname} here. The guestbook is at /.`]);
    if (route[0] !== method) {
      res.setHeader('Allow', route[0] === 'GET' ? 'GET, HEAD' : route[0]);
      return reply(x, 405, 'Method not allowed', [`${url.pathname} answers ${route[0]} only.`]);
    }
    try {
      await route[1]();
    } catch (error) {
      failed(x, error);
    }
  };
}

/**
 * A request the web tier would refuse too (protocolRefusal): 505 for an HTTP version other than 1.x, 400 for
 * HTTP/0.9 or two Host headers. The connection closes after it, as nginx closes it.
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 */
function refuseProtocol(req, res) {
  const status = protocolRefusal(req) ?? 400;
  const message = status === 505 ? `This server speaks HTTP/1.0 and HTTP/1.1, not HTTP/${req.httpVersion}.`
    : req.httpVersionMajor === 0 ? 'The request line has no HTTP version (HTTP/0.9): end it with HTTP/1.1.'
      : 'The request has more than one Host header: send one, naming the site.';
  res.shouldKeepAlive = false;
  send(res, status, 'application/json', { error: status === 505 ? 'HTTP version not supported' : 'Bad request', message });
}

/** @param {Exchange} x */
async function home(x) {
  const { rows, server } = await x.db.query(LATEST, [20]);
  x.servers.database = server;
  send(x.res, 200, 'text/html', guestbookPage({ entries: /** @type {any} */ (rows), servers: x.servers }));
}

/** @param {Exchange} x */
async function latestEntries(x) {
  const limit = Number(x.url.searchParams.get('limit') ?? 20);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) return reply(x, 400, 'Bad request', ['limit must be a whole number from 1 to 100.']);
  const { rows, server } = await x.db.query(LATEST, [limit]);
  x.servers.database = server;
  send(x.res, 200, 'application/json', { entries: rows, servers: x.servers });
}

/** @param {Exchange} x @param {number} id */
async function oneEntry(x, id) {
  const { rows = [], server } = await x.db.query(ONE, [id]);
  x.servers.database = server;
  if (rows.length === 0) return reply(x, 404, 'Not found', [`There is no entry ${id}.`]);
  send(x.res, 200, 'application/json', { entry: rows[0], servers: x.servers });
}

/** @param {Exchange} x */
async function addEntry(x) {
  const type = (x.req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/json' && type !== 'application/x-www-form-urlencoded') {
    return reply(x, 415, 'Unsupported media type', ['Send the entry from the form, or as JSON with Content-Type: application/json.']);
  }
  let body;
  try {
    body = await readBody(x.req, MAX_BODY_BYTES);
  } catch (error) {
    if (error instanceof BodyTooLargeError) return reply(x, 413, 'Entry too large', [`An entry is at most ${MAX_BODY_BYTES} bytes.`]);
    throw error;
  }
  /** @type {unknown} */
  let fields;
  if (type === 'application/json') {
    try {
      fields = JSON.parse(body);
    } catch (error) {
      return reply(x, 400, 'Bad request', [`The body is not valid JSON: ${/** @type {Error} */ (error).message}.`]);
    }
  } else {
    fields = Object.fromEntries(new URLSearchParams(body));
  }
  const { entry, problem } = validate(fields);
  if (problem) {
    if (x.json) return reply(x, 400, 'Bad request', [problem]);
    return send(x.res, 400, 'text/html', invalidEntryPage({ error: problem, ...entry, servers: x.servers }));
  }
  const { insertId, server } = await x.db.query(INSERT, [entry.name, entry.message]);
  x.servers.database = server;
  if (!x.json) {
    x.res.writeHead(303, { Location: '/' }).end();
    return;
  }
  x.res.setHeader('Location', `/api/entries/${insertId}`);
  send(x.res, 201, 'application/json', { entry: { id: insertId, ...entry }, servers: x.servers });
}

/** @param {Exchange} x */
async function health(x) {
  const { server } = await x.db.ping();
  x.servers.database = server;
  send(x.res, 200, 'application/json', { status: 'ok', database: x.db.address, servers: x.servers });
}

/**
 * @param {unknown} fields
 * @returns {{ entry: { name: string, message: string }, problem: string | undefined }}
 */
function validate(fields) {
  const entry = { name: '', message: '' };
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) {
    return { entry, problem: 'Send an object: {"name": "...", "message": "..."}.' };
  }
  for (const field of FIELDS) {
    const value = /** @type {Record<string, unknown>} */ (fields)[field] ?? '';
    if (typeof value !== 'string') return { entry, problem: `The ${field} must be text.` };
    entry[field] = value.trim();
  }
  for (const field of FIELDS) {
    if (entry[field] === '') return { entry, problem: `The ${field} is empty: please write one.` };
    const length = [...entry[field]].length;
    if (length > MAX_LENGTH[field]) return { entry, problem: `The ${field} has ${length} characters; at most ${MAX_LENGTH[field]} fit.` };
  }
  return { entry, problem: undefined };
}

/**
 * What the app answers when the database fails it.
 * @param {Exchange} x
 * @param {unknown} error
 */
function failed(x, error) {
  if (error instanceof DbUnreachable) {
    x.servers.database = `${x.db.address} (unreachable)`;
    return reply(x, 503, 'The database cannot be reached', [
      `The app server ${x.servers.app} is running and took this request, but ${error.message}.`,
      'Every app server keeps its data on this one database server, so without it no app server can show or save an entry,' +
      ' however many app servers there are: the database is a single point of failure. The entries saved before are safe' +
      ' on its disk. This site works again by itself as soon as the database server is back.',
    ], { reason: error.message });
  }
  if (error instanceof DbError) {
    const access = [1044, 1045, 1130, 1142].includes(error.errno);
    // A health check fails either way: this app cannot do its work.
    const status = x.url.pathname === '/health' ? 503 : 500;
    return reply(x, status, 'The database refused the query', [error.message, access
      ? `Check --db-user, --db-password and --database of the app, and the grants on the database server (CREATE USER and GRANT for this app server, ${x.servers.app}).`
      : 'Check the init file of the database server: it creates the database and the guestbook table.'], { reason: error.message });
  }
  process.stderr.write(`app: ${/** @type {Error} */ (error).stack}\n`);
  reply(x, 500, 'Internal server error', ['The app failed on this request; its log says why.']);
}

/**
 * An answer with a title and an explanation: an HTML page, or JSON for the API.
 * @param {Exchange} x
 * @param {number} status
 * @param {string} title
 * @param {string[]} paragraphs
 * @param {Record<string, string>} [extra] more JSON fields
 */
function reply(x, status, title, paragraphs, extra = {}) {
  if (x.json) send(x.res, status, 'application/json', { error: title, message: paragraphs.join(' '), ...extra, servers: x.servers });
  else send(x.res, status, 'text/html', errorPage({ title, paragraphs, servers: x.servers }));
}

/**
 * @param {import('node:http').ServerResponse} res
 * @param {number} status
 * @param {'text/html' | 'application/json'} type
 * @param {unknown} body HTML text, or a value to send as JSON
 */
function send(res, status, type, body) {
  const text = type === 'text/html' ? String(body) : `${JSON.stringify(body, null, 2)}\n`;
  res.writeHead(status, { 'Content-Type': `${type}; charset=utf-8`, 'Cache-Control': 'no-store' });
  res.end(text);
}

/**
 * The web server that passed the request on. nginx says so with `proxy_set_header X-Web-Server $hostname;`;
 * without that header, X-Forwarded-For at least shows that a proxy was on the way, and for whom.
 * @param {import('node:http').IncomingMessage} req
 */
function webServerOf(req) {
  const named = req.headers['x-web-server'];
  if (typeof named === 'string' && named !== '') return named;
  const forwarded = req.headers['x-forwarded-for'];
  return forwarded ? `a proxy that did not name itself (X-Forwarded-For: ${forwarded})` : 'none: the request came straight to the app';
}
