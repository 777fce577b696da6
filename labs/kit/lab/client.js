// @ts-check
/**
 * Talks to the supervisor's control API on 127.0.0.1:<control>. Used by the `lab` command and by the checks.
 */
import http from 'node:http';
import { LabError, NotRunningError, UsageError } from './errors.js';

/**
 * @typedef {ReturnType<import('./state.js').LabState['snapshot']>} LabStateJson
 * @typedef {{ state: LabStateJson, settled?: import('./controller.js').Settled }} ActionAnswer
 * @typedef {{ lab: string, home: string, pid: number, control: number, owned?: boolean }} SupervisorInfo
 */

export class ControlClient {
  /** @param {number} port */
  constructor(port) {
    this.port = port;
  }

  /** @returns {Promise<SupervisorInfo>} */
  info() {
    return this.send('GET', '/api/info', undefined, 2000);
  }

  /** @returns {Promise<LabStateJson>} */
  state() {
    return this.send('GET', '/api/state');
  }

  /**
   * @param {string} action up, down, start, stop, restart, kill, shutdown
   * @param {Record<string, unknown>} [body]
   * @returns {Promise<ActionAnswer>}
   */
  act(action, body = {}) {
    return this.send('POST', `/api/${action}`, body);
  }

  /**
   * Reads a streaming answer (events, followed logs) chunk by chunk until it ends or `signal` aborts.
   * @param {string} path
   * @param {(chunk: string) => void} onChunk
   * @param {AbortSignal} [signal]
   * @returns {Promise<void>}
   */
  stream(path, onChunk, signal) {
    return new Promise((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: this.port, path, agent: false, signal }, (res) => {
        res.setEncoding('utf8');
        if (res.statusCode !== 200) return rejectWithAnswer(res, 'GET', path, reject);
        res.on('data', onChunk);
        res.on('end', () => resolve());
        res.on('error', () => resolve());
      });
      req.on('error', (error) => (signal?.aborted ? resolve() : reject(this.explain(error))));
      req.end();
    });
  }

  /**
   * @param {'GET' | 'POST'} method
   * @param {string} path
   * @param {unknown} [body]
   * @param {number} [timeoutMs]
   * @returns {Promise<any>}
   */
  send(method, path, body, timeoutMs) {
    return new Promise((resolve, reject) => {
      const headers = body === undefined ? {} : { 'content-type': 'application/json' };
      const req = http.request({ host: '127.0.0.1', port: this.port, method, path, headers, agent: false }, (res) => {
        if (res.statusCode !== 200) return rejectWithAnswer(res, method, path, reject);
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => { text += chunk; });
        res.on('end', () => {
          try {
            resolve(JSON.parse(text));
          } catch {
            reject(notTheSupervisor(this.port));
          }
        });
      });
      if (timeoutMs) req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      req.on('error', (error) => reject(this.explain(error)));
      req.end(body === undefined ? undefined : JSON.stringify(body));
    });
  }

  /** @param {Error} error */
  explain(error) {
    const code = /** @type {NodeJS.ErrnoException} */ (error).code;
    // Refused: nobody listens. Reset: the supervisor ended while answering, or is ending.
    if (code === 'ECONNREFUSED' || code === 'ECONNRESET') return new NotRunningError();
    return new LabError(`cannot talk to the lab supervisor on 127.0.0.1:${this.port}: ${error.message}`);
  }
}

/**
 * Reads an error answer, `{ "error": "..." }`, and rejects with it: a 400 is a usage error (a server that does not
 * exist, say), anything else a failure.
 * @param {http.IncomingMessage} res
 * @param {string} method
 * @param {string} path
 * @param {(error: Error) => void} reject
 */
function rejectWithAnswer(res, method, path, reject) {
  let text = '';
  res.setEncoding('utf8');
  res.on('data', (chunk) => { text += chunk; });
  res.on('end', () => {
    let message;
    try {
      message = JSON.parse(text).error;
    } catch {
      return reject(notTheSupervisor(res.socket?.remotePort ?? 0));
    }
    reject(res.statusCode === 400 ? new UsageError(message) : new LabError(`the supervisor refused ${method} ${path}: ${message}`));
  });
}

/** @param {number} port */
function notTheSupervisor(port) {
  return new LabError(`127.0.0.1:${port} answered with something that is not the lab supervisor:` +
    ' is another program using the lab\'s control port?');
}
