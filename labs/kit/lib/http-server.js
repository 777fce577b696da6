// @ts-check
/**
 * An HTTP server that keeps serving whatever a client sends. Node's parser already refuses the classic attacks
 * (a bad request line, Content-Length together with Transfer-Encoding, headers that are too large); this module
 * answers them with the right status instead of dropping the connection (after the answers owed to the requests
 * before the malformed one, as HAProxy and nginx do), and bounds how long a client may take to send its headers,
 * so that a slow client cannot hold a connection for ever (the "slowloris" attack).
 * Every tier that speaks HTTP creates its server here.
 */
import http from 'node:http';

/** The limits, like nginx's `client_header_timeout` (60 s there) and `large_client_header_buffers` (8 KB lines). */
export const LIMITS = Object.freeze({
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  maxHeaderSize: 16 * 1024,
});

/**
 * @typedef {object} Answers  how a tier answers what its parser refuses, where the real programs differ
 * @property {400 | 501} [unknownTransferCoding]  a Transfer-Encoding other than chunked: HAProxy says 400, nginx
 *   501 Not Implemented
 */

/**
 * @param {http.RequestListener} handler
 * @param {Partial<Record<keyof typeof LIMITS, number>>} [limits]
 * @param {Answers} [answers]
 */
export function createHttpServer(handler, limits = {}, answers = {}) {
  const { headersTimeoutMs, requestTimeoutMs, keepAliveTimeoutMs, maxHeaderSize } = { ...LIMITS, ...limits };
  // Node looks for timed-out requests only every `connectionsCheckingInterval` (30 s by default): check every
  // second at most, so that a slow client is answered about when the limit says.
  const connectionsCheckingInterval = Math.min(1_000, headersTimeoutMs);
  /** @type {WeakMap<import('node:stream').Duplex, Connection>} */
  const connections = new WeakMap();
  /** @param {import('node:stream').Duplex} socket */
  const connectionOf = (socket) => connections.get(socket) ?? connections.set(socket, { pending: 0 }).get(socket);
  const server = http.createServer({ maxHeaderSize, requestTimeout: requestTimeoutMs, headersTimeout: headersTimeoutMs,
    connectionsCheckingInterval }, (req, res) => {
    const connection = /** @type {Connection} */ (connectionOf(req.socket));
    connection.pending++;
    connection.latest = { req, res };
    res.once('finish', () => {
      connection.pending--;
      if (connection.pending === 0) connection.whenAnswered?.();
    });
    handler(req, res);
  });
  server.keepAliveTimeout = keepAliveTimeoutMs;
  server.on('clientError', (error, socket) => {
    const connection = /** @type {Connection} */ (connectionOf(socket));
    if (connection.refused) return; // the parser reports its error again for every later packet
    connection.refused = true;
    const { latest, pending } = connection;
    const inBody = latest !== undefined && !latest.req.complete;
    const refuse = () => sendError(socket, statusFor(/** @type {NodeJS.ErrnoException} */ (error).code, inBody, answers));
    if (inBody) {
      // The error is in the body of the request being answered (a chunk size that is not a number, say): the
      // error is its answer, unless its answer has begun, or answers to earlier requests still have to go first.
      if (latest.res.headersSent || pending > 1) socket.destroy();
      else refuse();
      return;
    }
    // The error is in a request that follows others on a keep-alive connection: like HAProxy and nginx, answer
    // those first, in order, then the error.
    if (pending === 0) refuse();
    else connection.whenAnswered = refuse;
  });
  return server;
}

/**
 * @typedef {object} Connection  what createHttpServer knows of one client connection
 * @property {number} pending  requests whose answer is not finished
 * @property {{ req: http.IncomingMessage, res: http.ServerResponse }} [latest]  the last request handed on
 * @property {boolean} [refused]  the parser found an error: the connection ends after its answer
 * @property {() => void} [whenAnswered]  sends that answer once every earlier one is finished
 */

/**
 * Writes an error answer and closes the connection (unless the client left, or an earlier answer closed it).
 * @param {import('node:stream').Duplex} socket
 * @param {[number, string]} status
 */
function sendError(socket, [status, reason]) {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const body = `${status} ${reason}\n`;
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nContent-Type: text/plain\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`);
}

/**
 * @param {string | undefined} code  Node's code for what its parser refused
 * @param {boolean} inBody  whether the error came after the request's headers were read
 * @param {Answers} answers
 * @returns {[number, string]}
 */
function statusFor(code, inBody, { unknownTransferCoding = 400 }) {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW': return [431, 'Request Header Fields Too Large'];
    case 'ERR_HTTP_REQUEST_TIMEOUT': return [408, 'Request Timeout'];
    // Node finds an unknown transfer-coding once the headers are read; the same code in the headers is
    // Transfer-Encoding together with Content-Length, which both programs answer with 400.
    case 'HPE_INVALID_TRANSFER_ENCODING': return inBody && unknownTransferCoding === 501 ? [501, 'Not Implemented'] : [400, 'Bad Request'];
    default: return [400, 'Bad Request'];
  }
}

/**
 * The Host headers of a request, as sent (Node keeps only the first in `req.headers.host`).
 * @param {http.IncomingMessage} req
 */
export function hostHeaders(req) {
  return req.rawHeaders.filter((_, i) => i % 2 === 1 && req.rawHeaders[i - 1].toLowerCase() === 'host');
}

/**
 * What nginx answers, before it reads further, a request that Node's parser lets through, or undefined:
 * 505 HTTP Version Not Supported for a request line of a version other than 1.x (`HTTP/2.0`: HTTP/2 is a binary
 * protocol that never sends such a line), 400 for HTTP/0.9 (a line without a version, from before headers
 * existed), and 400 for two Host headers (which of the two would name the site?).
 * @param {http.IncomingMessage} req
 * @returns {400 | 505 | undefined}
 */
export function protocolRefusal(req) {
  if (req.httpVersionMajor !== 1) return req.httpVersionMajor > 1 ? 505 : 400;
  return hostHeaders(req).length > 1 ? 400 : undefined;
}

/**
 * Listens and resolves once the port is open (rejects on EADDRINUSE and the like).
 * @param {import('node:net').Server} server
 * @param {number} port
 * @param {string} host
 * @returns {Promise<number>} the port actually bound (useful with port 0)
 */
export function listen(server, port, host) {
  return new Promise((resolve, reject) => {
    const onError = (/** @type {Error} */ error) => reject(error);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}

/** A request body larger than the server accepts: answer 413 Content Too Large. */
export class BodyTooLargeError extends Error {
  /** @param {number} maxBytes */
  constructor(maxBytes) {
    super(`the request body is larger than ${maxBytes} bytes`);
    this.status = 413;
  }
}

/**
 * Reads a request's body as UTF-8 text, up to maxBytes, so that a client cannot make the server buffer without
 * bound. A larger body rejects with BodyTooLargeError; the rest of it is read and thrown away.
 * @param {http.IncomingMessage} req
 * @param {number} maxBytes
 * @returns {Promise<string>}
 */
export function readBody(req, maxBytes) {
  return new Promise((resolve, reject) => {
    /** @type {Buffer[]} */
    const chunks = [];
    let size = 0;
    const onData = (/** @type {Buffer} */ chunk) => {
      size += chunk.length;
      if (size <= maxBytes) {
        chunks.push(chunk);
        return;
      }
      req.off('data', onData);
      req.resume();
      reject(new BodyTooLargeError(maxBytes));
    };
    req.on('data', onData);
    req.on('end', () => { if (size <= maxBytes) resolve(Buffer.concat(chunks).toString('utf8')); });
    req.on('error', reject);
  });
}
