// @ts-check
/**
 * The client protocol: JSON over HTTP. A real MySQL server speaks its own binary protocol on TCP port 3306; the
 * miniature speaks HTTP, which every lab tool can show (`lab curl db-01:3306/query ...`).
 *
 *   POST /query  { "user": "app", "password": "secret", "host": "app-01", "database": "shop",
 *                  "sql": "INSERT INTO guestbook (name, message) VALUES (?, ?)", "params": ["Ann", "Hello"] }
 *     200        { "server": "db-01", "insertId": 7, "affectedRows": 1 }      or  { "server": "db-01", "rows": [...] }
 *   POST /ping   { "user": "app", "password": "secret", "host": "app-01" }   (mysqladmin ping)
 *     200        { "server": "db-01", "alive": true }
 *   an error     { "server": "db-01", "errno": 1045, "error": "ERROR 1045 (28000): Access denied for user ..." }
 *                with 403 for access errors, 400 for other SQL errors, 500 when the disk failed
 *
 * A real client authenticates once per connection; here every request carries the credentials, so that one request
 * is one complete conversation. And a real server sees the address a client connects from, while in a lab every
 * client is on 127.0.0.1: so the client states its host, and the server trusts it (see clientHost in accounts.js).
 */
import { BodyTooLargeError, createHttpServer, readBody } from '../lib/http-server.js';
import { clientHost } from './accounts.js';
import { parseStatement } from './sql.js';
import { SqlError } from './sql-tokens.js';

const MAX_REQUEST_BYTES = 64 * 1024;
const ACCESS_ERRORS = [1044, 1045, 1130, 1142];

/**
 * @param {object} parts
 * @param {import('./database.js').Database} parts.database
 * @param {import('./accounts.js').Accounts} parts.accounts
 * @param {Record<string, string>} parts.hosts  the lab network table's names and addresses
 * @param {string} parts.serverName             this server's name, told to every client
 * @param {() => void} parts.served             counts a request for the lab supervisor
 */
export function createDbServer({ database, accounts, hosts, serverName, served }) {
  return createHttpServer(async (req, res) => {
    /** @param {number} status @param {Record<string, unknown>} body */
    const reply = (status, body) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(`${JSON.stringify({ server: serverName, ...body })}\n`);
    };
    const path = pathOf(req.url);
    if (req.method !== 'POST' || (path !== '/query' && path !== '/ping')) {
      reply(404, { error: `this is the database server ${serverName}: clients send POST /query or POST /ping with JSON (see the kit's db/README.md)` });
      return;
    }
    served();
    /** @type {Request} */
    let request;
    try {
      request = readRequest(await readBody(req, MAX_REQUEST_BYTES), path === '/query');
    } catch (error) {
      reply(error instanceof BodyTooLargeError ? 413 : 400, { error: `bad request: ${/** @type {Error} */ (error).message}` });
      return;
    }
    try {
      const session = accounts.authenticate(request.user, request.password, clientHost(request.host, hosts));
      if (request.database !== undefined) {
        accounts.checkDatabase(session, request.database);
        database.tables.database(request.database);
      }
      if (path === '/ping') {
        reply(200, { alive: true });
        return;
      }
      const check = (/** @type {string} */ privilege, /** @type {string} */ db, /** @type {string} */ table) => accounts.check(session, privilege, db, table);
      reply(200, await database.query(parseStatement(request.sql), request.params, request.database, check));
    } catch (error) {
      if (!(error instanceof SqlError)) {
        process.stderr.write(`[ERROR] mysqld: ${/** @type {Error} */ (error).stack}\n`);
        reply(500, { error: `the server failed: ${/** @type {Error} */ (error).message}` });
        return;
      }
      const status = ACCESS_ERRORS.includes(error.errno) ? 403 : error.errno === 1030 ? 500 : 400;
      reply(status, { errno: error.errno, error: error.format() });
    }
  });
}

/**
 * The path of a request's target, or undefined when it is no path at all (`//`, which a URL reads as a host that
 * is missing): such a request is one this server does not serve either, and must not stop it.
 * @param {string | undefined} target
 */
function pathOf(target) {
  try {
    return new URL(target ?? '/', 'http://db').pathname;
  } catch {
    return undefined;
  }
}

/**
 * @typedef {{ user: string, password: string, host: string, database: string | undefined, sql: string,
 *   params: Array<string | number | null> }} Request
 */

/**
 * @param {string} body
 * @param {boolean} needsSql
 * @returns {Request}
 */
function readRequest(body, needsSql) {
  const request = JSON.parse(body);
  if (typeof request !== 'object' || request === null) throw new Error('the body must be a JSON object');
  for (const field of ['user', 'host', ...(needsSql ? ['sql'] : [])]) {
    if (typeof request[field] !== 'string' || request[field] === '') throw new Error(`"${field}" must be a non-empty string`);
  }
  for (const field of ['password', 'database']) {
    if (request[field] !== undefined && typeof request[field] !== 'string') throw new Error(`"${field}" must be a string`);
  }
  const params = request.params ?? [];
  if (!Array.isArray(params) || !params.every((p) => p === null || typeof p === 'string' || typeof p === 'number')) {
    throw new Error('"params" must be an array of strings, numbers and nulls');
  }
  return { user: request.user, password: request.password ?? '', host: request.host, database: request.database, sql: request.sql ?? '', params };
}
