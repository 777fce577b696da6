// @ts-check
/**
 * An HTTP server that keeps serving whatever a client sends. Node's parser already refuses the classic attacks
 * (a bad request line, Content-Length together with Transfer-Encoding, headers that are too large); this module
 * answers them with the right status instead of dropping the connection, and bounds how long a client may take
 * to send its headers, so that a slow client cannot hold a connection for ever (the "slowloris" attack).
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
 * @param {http.RequestListener} handler
 * @param {Partial<Record<keyof typeof LIMITS, number>>} [limits]
 */
export function createHttpServer(handler, limits = {}) {
  const { headersTimeoutMs, requestTimeoutMs, keepAliveTimeoutMs, maxHeaderSize } = { ...LIMITS, ...limits };
  // Node looks for timed-out requests only every `connectionsCheckingInterval` (30 s by default): check every
  // second at most, so that a slow client is answered about when the limit says.
  const connectionsCheckingInterval = Math.min(1_000, headersTimeoutMs);
  const server = http.createServer({ maxHeaderSize, requestTimeout: requestTimeoutMs, headersTimeout: headersTimeoutMs,
    connectionsCheckingInterval }, handler);
  server.keepAliveTimeout = keepAliveTimeoutMs;
  server.on('clientError', (error, socket) => {
    if (!socket.writable || /** @type {any} */ (socket)._httpMessage) {
      socket.destroy();
      return;
    }
    const [status, reason] = statusFor(/** @type {NodeJS.ErrnoException} */ (error).code);
    const body = `${status} ${reason}\n`;
    socket.end(`HTTP/1.1 ${status} ${reason}\r\nContent-Type: text/plain\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`);
  });
  return server;
}

/** @param {string | undefined} code */
function statusFor(code) {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW': return [431, 'Request Header Fields Too Large'];
    case 'ERR_HTTP_REQUEST_TIMEOUT': return [408, 'Request Timeout'];
    default: return [400, 'Bad Request'];
  }
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
