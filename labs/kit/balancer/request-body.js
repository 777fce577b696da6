// @ts-check
/**
 * A request's body on its way to a server, held in memory only up to one buffer, like HAProxy's `tune.bufsize`
 * (16 KB by default):
 *
 * - A body that fits is read whole before a server is picked, and a retry sends it again.
 * - A longer body is streamed: the balancer keeps its first part, and reads the rest from the client only as fast
 *   as the server takes it, so that the balancer's memory does not grow with the body. Such a request can be sent
 *   again only while none of the rest has been read, that is when the connection to the server failed. HAProxy's
 *   manual says the same under `retry-on`: "Requests not fitting in a single buffer will never be retried".
 */
import { withoutHeader } from './headers.js';

/** HAProxy's default `tune.bufsize` */
export const BUFFER_SIZE = 16 * 1024;

export class RequestBody {
  /**
   * @param {import('node:http').IncomingMessage} req
   * @param {boolean} hasLength  whether the client sent a Content-Length (else it sends chunks)
   */
  constructor(req, hasLength) {
    this.req = req;
    this.hasLength = hasLength;
    /** the body, or its first part when it is longer than a buffer */
    this.start = Buffer.alloc(0);
    /** whether `start` is the whole body */
    this.complete = false;
    /** set once the rest of a long body began to flow to a server: then the request cannot be sent again */
    this.flowing = false;
    /** bytes read from the client */
    this.bytes = 0;
  }

  /** A long body without Content-Length goes to the server in chunks; a whole one gets a Content-Length. */
  get chunked() {
    return !this.complete && !this.hasLength;
  }

  /**
   * The request's headers with those that tell the server where the body ends: a Content-Length for a body held
   * whole (it may have come in chunks), `Transfer-Encoding: chunked` for a long one that came in chunks.
   * @param {string[]} headers  the end-to-end headers (without Transfer-Encoding)
   */
  framed(headers) {
    if (this.complete) return [...withoutHeader(headers, 'content-length'), 'Content-Length', String(this.start.length)];
    return this.chunked ? [...headers, 'Transfer-Encoding', 'chunked'] : headers;
  }

  /**
   * Reads the body until it ends or fills a buffer; then calls `ready`.
   * @param {() => void} ready
   */
  readStart(ready) {
    /** @type {Buffer[]} */
    const chunks = [];
    const onData = (/** @type {Buffer} */ chunk) => {
      chunks.push(chunk);
      this.bytes += chunk.length;
      if (this.bytes <= BUFFER_SIZE) return;
      this.req.pause();
      this.req.off('data', onData).off('end', onEnd);
      this.start = Buffer.concat(chunks);
      ready();
    };
    const onEnd = () => {
      this.start = Buffer.concat(chunks);
      this.complete = true;
      ready();
    };
    this.req.on('data', onData).on('end', onEnd);
  }

  /**
   * Writes the body to a server's connection: what it holds at once, the rest (of a long body) once the connection
   * is open, as the client sends it and the server takes it. Returns a function that stops sending.
   * @param {import('node:net').Socket} socket
   * @param {() => void} sent  called once the whole body is written
   */
  sendTo(socket, sent) {
    this.write(socket, this.start);
    if (this.complete) {
      this.end(socket);
      sent();
      return () => {};
    }
    const onData = (/** @type {Buffer} */ chunk) => {
      this.bytes += chunk.length;
      if (!this.write(socket, chunk)) {
        this.req.pause();
        socket.once('drain', () => this.req.resume());
      }
    };
    const onEnd = () => {
      this.end(socket);
      sent();
    };
    const flow = () => {
      this.flowing = true;
      this.req.on('data', onData).on('end', onEnd).resume();
    };
    if (socket.connecting) socket.once('connect', flow);
    else flow();
    return () => {
      socket.off('connect', flow);
      this.req.off('data', onData).off('end', onEnd);
      if (this.flowing) this.discard();
    };
  }

  /**
   * Reads and throws away what the client still sends, once no server will get it (the answer came early, or is an
   * error page), so that the client can finish sending and its connection carry its next request. Node's http
   * server does the same for a body that nobody reads.
   */
  discard() {
    this.req.resume();
  }

  /**
   * @param {import('node:net').Socket} socket
   * @param {Buffer} data
   */
  write(socket, data) {
    if (!this.chunked) return socket.write(data);
    if (data.length === 0) return true;
    socket.write(`${data.length.toString(16)}\r\n`);
    socket.write(data);
    return socket.write('\r\n');
  }

  /** @param {import('node:net').Socket} socket */
  end(socket) {
    if (this.chunked) socket.write('0\r\n\r\n');
  }
}
