// @ts-check
/**
 * Reads a server's HTTP/1.x response as its bytes arrive: the status line and the headers, then the body, whose end
 * is found as RFC 9112 (section 6.3) says:
 *
 * - a response to HEAD, a 204 and a 304 have no body; a 1xx is an interim response, and the real one follows;
 * - `Transfer-Encoding: chunked` ends with a chunk of size 0 (and any trailer lines);
 * - otherwise `Content-Length` gives the size;
 * - otherwise the body ends when the server closes the connection.
 *
 * Whatever does not parse is a "junk response" (HAProxy's word): the request fails with 502 and the connection is
 * closed, since nobody can tell any more where the next response would begin. Like HAProxy, which keeps a response's
 * head in one buffer (`tune.bufsize`), it refuses a head larger than 16 KB.
 */
import { endToEndHeaders, withoutHeader } from './headers.js';

const HEAD_LIMIT = 16 * 1024;
const LINE_LIMIT = 4096;
const STATUS_LINE = /^HTTP\/1\.([01]) ([1-9]\d\d)(?: ([^\0-\x08\n-\x1f\x7f]*))?$/;
/** `name: value`: the name a token, the value visible characters, spaces and tabs (what Node's http accepts too) */
const HEADER_LINE = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+):[\t ]*([^\0-\x08\n-\x1f\x7f]*?)[\t ]*$/;
const CHUNK_SIZE = /^([0-9a-fA-F]{1,8})[\t ]*(?:;[^\0-\x08\n-\x1f\x7f]*)?$/;
const NOTHING = Buffer.alloc(0);

export class JunkResponseError extends Error {}

/**
 * @typedef {object} ResponseHead
 * @property {number} status
 * @property {string} reason
 * @property {string[]} headers  the end-to-end headers, to send on: [name, value, name, value, ...]
 * @property {boolean} keepAlive  whether the server keeps the connection open after this response
 *
 * @typedef {object} ResponseSink  what receives the response, piece by piece
 * @property {(head: ResponseHead) => void} head
 * @property {(chunk: Buffer) => void} body
 */

export class ResponseReader {
  /**
   * @param {ResponseSink} sink
   * @param {string} method  the request's method: the response to HEAD has no body
   */
  constructor(sink, method) {
    this.sink = sink;
    this.headOnly = method === 'HEAD';
    /** 'head', then 'length' | 'chunk-size' | 'chunk-data' | 'chunk-end' | 'trailers' | 'until-close', then 'done' */
    this.state = 'head';
    /** @type {Buffer} the bytes of an unfinished head or line, kept until the rest arrives */
    this.partial = NOTHING;
    /** bytes still to come: of the body (`length`), of the current chunk (`chunk-data`), Infinity (`until-close`) */
    this.remaining = 0;
    this.keepAlive = false;
    /** whether any byte arrived: a connection closed before that is an empty response, after it a junk one */
    this.started = false;
  }

  /**
   * @param {Buffer} data  the next bytes from the server
   * @returns {boolean} whether the response is complete
   * @throws {JunkResponseError}
   */
  read(data) {
    this.started = true;
    let at = 0;
    while (at < data.length && this.state !== 'done') {
      if (this.state === 'head') at = this.readHead(data, at);
      else if (this.state === 'length' || this.state === 'chunk-data' || this.state === 'until-close') at = this.readBody(data, at);
      else at = this.readLine(data, at);
    }
    // Bytes after the end of the response: the server is out of step, do not use the connection again.
    if (at < data.length) this.keepAlive = false;
    return this.state === 'done';
  }

  /**
   * The server closed the connection. Returns whether that was the end of the response (a body that lasts until
   * the close); otherwise the response is incomplete.
   */
  closed() {
    if (this.state === 'until-close') this.state = 'done';
    return this.state === 'done';
  }

  /**
   * @param {Buffer} data
   * @param {number} at
   */
  readHead(data, at) {
    const bytes = this.partial.length ? Buffer.concat([this.partial, data.subarray(at)]) : data.subarray(at);
    const end = bytes.indexOf('\r\n\r\n');
    if (end < 0) {
      if (bytes.length > HEAD_LIMIT) throw new JunkResponseError(`response headers larger than ${HEAD_LIMIT} bytes`);
      this.partial = bytes;
      return data.length;
    }
    const used = end + 4 - this.partial.length;
    this.partial = NOTHING;
    this.startBody(parseHead(bytes.toString('latin1', 0, end)));
    return at + used;
  }

  /** @param {{ head: ResponseHead, chunked: boolean, length: number | undefined }} parsed */
  startBody({ head, chunked, length }) {
    if (head.status < 200) return; // 100 Continue, 103 Early Hints: the real response follows
    this.keepAlive = head.keepAlive;
    this.sink.head(head);
    if (this.headOnly || head.status === 204 || head.status === 304 || length === 0) this.state = 'done';
    else if (chunked) this.state = 'chunk-size';
    else if (length !== undefined) [this.state, this.remaining] = ['length', length];
    else [this.state, this.remaining, this.keepAlive] = ['until-close', Infinity, false];
  }

  /**
   * @param {Buffer} data
   * @param {number} at
   */
  readBody(data, at) {
    const size = Math.min(this.remaining, data.length - at);
    this.remaining -= size;
    this.sink.body(at === 0 && size === data.length ? data : data.subarray(at, at + size));
    if (this.remaining === 0) this.state = this.state === 'length' ? 'done' : 'chunk-end';
    return at + size;
  }

  /**
   * The lines of a chunked body: a chunk's size, the empty line after its data, the trailer lines after the last.
   * @param {Buffer} data
   * @param {number} at
   */
  readLine(data, at) {
    const newline = data.indexOf(10, at);
    const end = newline < 0 ? data.length : newline + 1;
    const bytes = this.partial.length ? Buffer.concat([this.partial, data.subarray(at, end)]) : data.subarray(at, end);
    if (bytes.length > LINE_LIMIT) throw new JunkResponseError('a line of the chunked body is too long');
    if (newline < 0) {
      this.partial = bytes;
      return end;
    }
    this.partial = NOTHING;
    if (bytes[bytes.length - 2] !== 13) throw new JunkResponseError('a line of the chunked body does not end with CRLF');
    const line = bytes.toString('latin1', 0, bytes.length - 2);
    if (this.state === 'chunk-end') {
      if (line !== '') throw new JunkResponseError('chunk data longer than its size');
      this.state = 'chunk-size';
    } else if (this.state === 'trailers') {
      if (line === '') this.state = 'done';
    } else {
      const size = CHUNK_SIZE.exec(line);
      if (!size) throw new JunkResponseError(`bad chunk size line ${JSON.stringify(line)}`);
      this.remaining = parseInt(size[1], 16);
      this.state = this.remaining === 0 ? 'trailers' : 'chunk-data';
    }
    return end;
  }
}

/**
 * The status line and headers; how the body is framed.
 * @param {string} text  the head, without its final empty line
 */
function parseHead(text) {
  const lines = text.split('\r\n');
  const statusLine = STATUS_LINE.exec(lines[0]);
  if (!statusLine) throw new JunkResponseError(`not an HTTP/1.x status line: ${JSON.stringify(lines[0].slice(0, 40))}`);
  /** @type {string[]} */
  const raw = [];
  let length = /** @type {number | undefined} */ (undefined);
  let chunked = false;
  let hasTransferEncoding = false;
  let connection = '';
  for (let i = 1; i < lines.length; i++) {
    const header = HEADER_LINE.exec(lines[i]);
    if (!header) throw new JunkResponseError(`bad header line ${JSON.stringify(lines[i].slice(0, 40))}`);
    const [, name, value] = header;
    const lower = name.toLowerCase();
    if (lower === 'content-length') {
      if (!/^\d{1,15}$/.test(value) || (length !== undefined && length !== Number(value))) {
        throw new JunkResponseError(`bad Content-Length ${JSON.stringify(value)}`);
      }
      if (length !== undefined) continue; // the same length twice: pass it on once
      length = Number(value);
    } else if (lower === 'transfer-encoding') {
      hasTransferEncoding = true;
      chunked = /(?:^|,)[\t ]*chunked[\t ]*$/i.test(value);
    } else if (lower === 'connection') {
      connection += `${value.toLowerCase()},`;
    }
    raw.push(name, value);
  }
  const http11 = statusLine[1] === '1';
  const closes = /(?:^|[\t ,])close[\t ,]/.test(connection);
  const keepAlive = http11 ? !closes : /(?:^|[\t ,])keep-alive[\t ,]/.test(connection);
  const { headers } = endToEndHeaders(raw);
  const head = { status: Number(statusLine[2]), reason: statusLine[3] ?? '', headers, keepAlive };
  if (hasTransferEncoding && length !== undefined) {
    // Transfer-Encoding wins over Content-Length (RFC 9112 6.3), and the mix smells of a smuggling attempt:
    // drop the length, and do not use the connection again.
    head.headers = withoutHeader(headers, 'content-length');
    head.keepAlive = false;
  }
  return { head, chunked, length: hasTransferEncoding ? undefined : length };
}
