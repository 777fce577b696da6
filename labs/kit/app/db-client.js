// @ts-check
/**
 * The application's database driver: it speaks the miniature database's JSON protocol (see the kit's db/README.md)
 * where a real application would use a MySQL driver. Two things can go wrong, and the app treats them differently:
 *
 * - DbUnreachable: no answer at all (nothing listens, the connection was cut, no reply in time). The app answers 503:
 *   it is up, but it cannot do its work; the balancer and the learner should look at the database server.
 * - DbError: the database answered with an error, such as "Access denied": a configuration mistake to fix.
 */
import http from 'node:http';

const TIMEOUT_MS = 5000;

export class DbUnreachable extends Error {}

export class DbError extends Error {
  /** @param {string} message `ERROR 1045 (28000): ...` @param {number} errno */
  constructor(message, errno) {
    super(message);
    this.errno = errno;
  }
}

/**
 * @typedef {{ server: string, rows?: Record<string, unknown>[], insertId?: number, alive?: boolean }} DbReply
 */

/**
 * @param {object} options
 * @param {string} options.address        the database's address as configured, e.g. db-01:3306, for messages
 * @param {import('../lib/network.js').Endpoint} options.endpoint where to connect for it
 * @param {string} options.user
 * @param {string} options.password
 * @param {string} options.database
 * @param {string} options.clientHost     who this app server is, e.g. 10.0.0.31 (a real server would see it)
 * @param {(message: string) => void} options.log
 */
export function createDbClient({ address, endpoint, user, password, database, clientHost, log }) {
  // Keep connections open between queries, as a driver's connection pool does: no new connection per request.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
  let reachable = true;

  /**
   * @param {string} path
   * @param {Record<string, unknown>} body
   * @returns {Promise<DbReply>}
   */
  async function send(path, body) {
    let reply;
    try {
      reply = await post(agent, endpoint, path, JSON.stringify({ user, password, host: clientHost, database, ...body }));
    } catch (error) {
      const reason = describe(/** @type {NodeJS.ErrnoException} */ (error));
      if (reachable) log(`the database at ${address} cannot be reached: ${reason}`);
      reachable = false;
      throw new DbUnreachable(`the database at ${address} cannot be reached: ${reason}`);
    }
    if (!reachable) log(`the database at ${address} answers again`);
    reachable = true;
    if (reply.error) throw new DbError(reply.error, reply.errno);
    return reply;
  }

  return {
    address,
    /** @param {string} sql @param {Array<string | number>} [params] */
    query: (sql, params = []) => send('/query', { sql, params }),
    ping: () => send('/ping', {}),
  };
}

/**
 * One request; once more when a kept-alive connection turned out to be closed by the server meanwhile.
 * @param {http.Agent} agent
 * @param {import('../lib/network.js').Endpoint} endpoint
 * @param {string} path
 * @param {string} body
 * @returns {Promise<any>}
 */
async function post(agent, endpoint, path, body) {
  try {
    return await postOnce(agent, endpoint, path, body);
  } catch (error) {
    if (!(/** @type {{ reused?: boolean }} */ (error).reused)) throw error;
    return postOnce(agent, endpoint, path, body);
  }
}

/**
 * @param {http.Agent} agent
 * @param {import('../lib/network.js').Endpoint} endpoint
 * @param {string} path
 * @param {string} body
 */
function postOnce(agent, { host, port }, path, body) {
  return new Promise((resolve, reject) => {
    const request = http.request({ host, port, path, method: 'POST', agent, timeout: TIMEOUT_MS, headers: { 'content-type': 'application/json' } }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => { text += chunk; });
      response.on('error', reject);
      response.on('end', () => {
        try {
          resolve(JSON.parse(text));
        } catch {
          reject(new Error(`${host}:${port} answered, but not in the database's protocol (is it the database server?)`));
        }
      });
    });
    request.on('timeout', () => request.destroy(Object.assign(new Error(`no answer within ${TIMEOUT_MS / 1000} s`), { code: 'ETIMEDOUT' })));
    request.on('error', (error) => reject(Object.assign(error, { reused: request.reusedSocket && /** @type {NodeJS.ErrnoException} */ (error).code === 'ECONNRESET' })));
    request.end(body);
  });
}

/**
 * Why the database could not be reached, in words for the log; the MySQL-protocol client says it the same way.
 * @param {NodeJS.ErrnoException} error
 */
export function describe(error) {
  switch (error.code) {
    case 'ECONNREFUSED': return 'connection refused (nothing listens there: the database server is stopped, or down)';
    case 'ECONNRESET': return 'the connection was cut (the database server stopped while answering)';
    case 'ETIMEDOUT': return `${error.message} (the database server is overloaded, or hangs)`;
    default: return error.message;
  }
}
