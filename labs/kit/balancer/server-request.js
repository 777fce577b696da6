// @ts-check
/**
 * One attempt at a request on one server: it takes a connection from the server's pool, writes the request (the
 * head, then the body: request-body.js), reads the response (response-reader.js), and tells forward.js what
 * happened: the response's head, its body piece by piece, its end; or a failure, in `retry-on`'s words.
 *
 * Node's http.request could do this, with an Agent, a ClientRequest, an IncomingMessage and their streams for every
 * request. A balancer only passes bytes on: working on the connection directly cuts the CPU time it spends per
 * request by about 40% (bench/balancer.bench.mjs). The side facing the clients stays Node's http server, whose
 * parser stands guard against malformed and malicious requests.
 */
import { JunkResponseError, ResponseReader } from './response-reader.js';

/**
 * @typedef {import('./keywords.js').RetryableFailure} Failure
 * @typedef {import('./response-reader.js').ResponseHead} ResponseHead
 * @typedef {{ method: string, head: string, body: import('./request-body.js').RequestBody | undefined }} OutgoingRequest
 *
 * @typedef {object} Outcome  what forward.js does at each step
 * @property {(head: ResponseHead) => void} response
 * @property {(chunk: Buffer) => void} body
 * @property {() => void} end  the response is complete
 * @property {(failure: Failure) => void} failed  no valid response came
 * @property {(termination: string) => void} cut  the response broke off in its body: `SD--`, or `sD--` on a timeout
 */

export class ServerRequest {
  /**
   * @param {import('./backend.js').Server} server
   * @param {OutgoingRequest} request
   * @param {Outcome} outcome
   */
  constructor(server, request, outcome) {
    this.server = server;
    this.outcome = outcome;
    this.reader = new ResponseReader(this, request.method);
    /** whether the response's head came */
    this.answered = false;
    /** whether the whole request went out: only then may the connection carry another one */
    this.requestSent = request.body === undefined;
    /** set once the attempt has ended one way or another: later events are ignored */
    this.over = false;
    server.countActive(1);
    this.connection = server.connections.take(this);
    const { socket } = this.connection;
    socket.setTimeout(server.backend.config.timeouts.server ?? 30_000);
    socket.cork();
    socket.write(request.head, 'latin1');
    this.stopBody = request.body?.sendTo(socket, () => { this.requestSent = true; });
    socket.uncork();
  }

  /** whether the connection had carried an earlier request */
  get reused() {
    return this.connection.reused;
  }

  /** milliseconds it took to connect: 0 on a reused connection */
  get connectMs() {
    return this.reused ? 0 : this.connection.connectMs ?? 0;
  }

  /** @param {ResponseHead} head  from the reader */
  head(head) {
    this.answered = true;
    if (!this.over) this.outcome.response(head);
  }

  /** @param {Buffer} chunk  from the reader */
  body(chunk) {
    if (!this.over) this.outcome.body(chunk);
  }

  /** @param {Buffer} data  from the connection */
  received(data) {
    try {
      if (this.reader.read(data)) this.complete();
    } catch (error) {
      if (!(error instanceof JunkResponseError)) throw error;
      if (this.answered) this.cut('SD--');
      else this.fail('junk-response');
    }
  }

  timedOut() {
    if (this.connection.connectMs === undefined) return; // still connecting: `timeout connect` decides
    if (this.answered) this.cut('sD--');
    else this.fail('response-timeout');
  }

  /** The connection closed (after an error, if there was one). */
  closed() {
    if (this.answered && this.reader.closed()) this.complete(); // a body that lasts until the close
    else if (this.answered) this.cut('SD--');
    else if (this.connection.connectMs === undefined) this.fail('conn-failure');
    else this.fail(this.reader.started ? 'junk-response' : 'empty-response');
  }

  complete() {
    if (this.over) return;
    this.over = true;
    this.stopBody?.();
    this.server.countActive(-1);
    if (this.reader.keepAlive && this.requestSent) this.server.connections.giveBack(this.connection);
    else this.closeConnection();
    this.outcome.end();
  }

  /** @param {Failure} failure */
  fail(failure) {
    if (this.stop()) this.outcome.failed(failure);
  }

  /** @param {string} termination */
  cut(termination) {
    if (this.stop()) this.outcome.cut(termination);
  }

  /** Ends the attempt without a word to the client: it left, or forward.js retries instead. */
  abandon() {
    this.stop();
  }

  /** Ends the attempt and closes its connection; false if it had already ended. */
  stop() {
    if (this.over) return false;
    this.over = true;
    this.stopBody?.();
    this.server.countActive(-1);
    this.closeConnection();
    return true;
  }

  closeConnection() {
    this.connection.user = undefined;
    this.connection.socket.destroy();
  }

  /** Stops reading the response, while the client cannot take more of it. */
  pause() {
    this.connection.socket.pause();
  }

  resume() {
    this.connection.socket.resume();
  }
}
