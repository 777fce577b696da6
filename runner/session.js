// @ts-check
/**
 * One page's connection to the runner: one WebSocket, one lab workspace, and the processes started through it.
 * The protocol is small JSON text frames, documented in runner/README.md:
 *   page -> runner  { id, type: 'mount' | 'spawn' | 'shell' | 'readFile' | 'writeFile' | 'preview', ... }
 *                   { type: 'stdin' | 'resize' | 'kill', proc, ... }                       (no answer)
 *   runner -> page  { id, ok: true, ...result } or { id, ok: false, error }              (the answer to a request)
 *                   { type: 'output', proc, data }  { type: 'exit', proc, code }
 * Every error of a request is answered with its message, for a person. Requests are handled one after the other,
 * in the order they came. When the socket closes, the session ends every process it started, with their children:
 * the lab's supervisor is one of them (the page starts it, `node kit/lab supervise --up --owned`), and it stops the
 * lab's servers as it ends. Should the runner itself be killed, the supervisor sees its standard input close and
 * ends all the same.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { LIMITS, formatBytes } from './limits.js';
import { endAll, findCommand, startProcess } from './processes.js';
import { portsOf } from './preview.js';
import { folderInside, readInside, writeFiles, writeInside, writeLinks } from './workspace-files.js';

const LAB_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;
const SLOW_PAGE_BYTES = 1024 * 1024;
const WAITING_REFUSED = `refused: the page sent more than ${formatBytes(LIMITS.waitingBytes)} of requests that wait for `
  + 'an answer, the runner\'s limit for one lab: wait for the answers before sending more';

/**
 * What a session needs from the server.
 * @typedef {object} SessionContext
 * @property {(lab: string, session: Session) => Promise<string>} claim  the workspace of a lab (absolute, real),
 *   once no other session uses it
 * @property {(session: Session) => void} release
 * @property {(lab: string) => import('./limits.js').WorkspaceLedger} ledger  what pages have written into the lab's
 *   workspace so far
 * @property {string} origin   the runner's own address, `http://127.0.0.1:7300`, for preview addresses
 * @property {string} [shell]  the terminal's shell, instead of $SHELL
 * @property {(line: string) => void} log
 */

export class Session {
  /**
   * @param {import('ws').WebSocket} socket
   * @param {SessionContext} context
   * @param {string | null} lab the lab the page named when it connected (`/session?lab=02-load-balancer`), if any
   */
  constructor(socket, context, lab) {
    this.socket = socket;
    this.context = context;
    this.lab = lab ?? undefined;
    /** The secret part of this session's preview addresses. */
    this.previewKey = randomBytes(16).toString('base64url');
    /** @type {string | undefined} the workspace, once claimed */
    this.home = undefined;
    /** @type {import('./limits.js').WorkspaceLedger | undefined} */
    this.ledger = undefined;
    /** @type {Set<number> | undefined} the ports the preview may reach, fixed when the lab starts */
    this.ports = undefined;
    /** Bytes of the page's messages received and not yet handled. */
    this.waitingBytes = 0;
    this.refusedWaiting = false;
    /** @type {Map<number, import('./processes.js').RunnerProcess>} */
    this.processes = new Map();
    this.nextProc = 1;
    /** @type {Promise<unknown>} */
    this.queue = Promise.resolve();
    /** @type {Promise<void> | undefined} */
    this.closing = undefined;
    /** @type {NodeJS.Timeout | undefined} */
    this.drainTimer = undefined;
    socket.on('message', (data, isBinary) => {
      if (isBinary || this.closing) return;
      const bytes = /** @type {Buffer} */ (data).length;
      if (this.waitingBytes + bytes > LIMITS.waitingBytes) return this.refuse(/** @type {Buffer} */ (data));
      this.waitingBytes += bytes;
      this.queue = this.queue.then(() => this.receive(data.toString())).catch(() => {}).then(() => { this.waitingBytes -= bytes; });
    });
    // A frame the runner cannot read (too large, not UTF-8) ends the connection; the close below ends the session.
    socket.on('error', (error) => {
      const tooLarge = /** @type {NodeJS.ErrnoException} */ (error).code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH';
      const why = tooLarge ? `the page sent a message larger than ${formatBytes(LIMITS.messageBytes)}, the runner's limit` : error.message;
      this.context.log(`lab ${this.lab ?? '(none yet)'}: ${why}; closed the connection`);
    });
    socket.on('close', () => {
      this.close().catch((error) => this.context.log(`lab ${this.lab}: could not end every process: ${error.message}`));
    });
  }

  /** @param {string} text */
  async receive(text) {
    /** @type {any} */
    let message;
    try {
      message = JSON.parse(text);
    } catch {
      return this.send({ id: null, ok: false, error: 'the runner received a frame that is not JSON' });
    }
    if (this.closing || !message || typeof message !== 'object') return;
    const id = message.id;
    // An answer waits until the page has taken the ones before: a page that asks and never reads holds little.
    if (id !== undefined) await this.pageCaughtUp();
    try {
      const result = await this.handle(message);
      if (id !== undefined) this.send({ id, ok: true, ...result });
    } catch (error) {
      if (id !== undefined) this.send({ id, ok: false, error: /** @type {Error} */ (error).message });
    }
  }

  /**
   * @param {any} message
   * @returns {Promise<Record<string, unknown> | void>}
   */
  async handle(message) {
    switch (message.type) {
      case 'mount': {
        const home = await this.workspace(labOf(message.files));
        await writeFiles(home, message.files, this.ledger);
        await writeLinks(home, message.links, this.ledger);
        const table = message.files['network.json'];
        if (typeof table === 'string') this.ports ??= portsOf(table, this.runnerPort());
        return;
      }
      case 'spawn':
        return this.spawn(text(message.command, 'command'), strings(message.args ?? [], 'args'), message);
      case 'shell':
        return this.spawn(this.shell(), [], { terminal: { cols: message.cols, rows: message.rows } });
      case 'stdin':
        this.processes.get(message.proc)?.write(text(message.data, 'data'));
        return;
      case 'resize': {
        const { cols, rows } = size(message);
        this.processes.get(message.proc)?.resize(cols, rows);
        return;
      }
      case 'kill':
        this.processes.get(message.proc)?.kill();
        return;
      case 'readFile':
        return { content: await readInside(await this.workspace(), message.path) };
      case 'writeFile':
        await writeInside(await this.workspace(), message.path, text(message.content, 'content'), this.ledger);
        return;
      case 'preview':
        return { url: await this.previewUrl(message.port) };
      default:
        throw new Error(`unknown request type ${JSON.stringify(message.type)}`);
    }
  }

  /**
   * The session's workspace; the first call names the lab and claims its folder.
   * @param {string} [lab] the lab of a mount (lab.json's id)
   */
  async workspace(lab) {
    if (this.home) {
      if (lab && lab !== this.lab) throw new Error(`this connection runs the lab ${this.lab}; connect again to run ${lab}`);
      return this.home;
    }
    this.lab ??= lab;
    if (!this.lab) throw new Error('the runner does not know which lab this is yet: mount the lab\'s files, with its lab.json, first');
    if (!LAB_ID.test(this.lab)) throw new Error(`${JSON.stringify(this.lab)} is not a lab id such as 02-load-balancer`);
    this.home = await this.context.claim(this.lab, this);
    this.ledger = this.context.ledger(this.lab);
    return this.home;
  }

  /**
   * @param {string} command
   * @param {string[]} args
   * @param {{ terminal?: unknown, env?: unknown, cwd?: unknown }} options
   */
  async spawn(command, args, options) {
    const home = await this.workspace();
    const cwd = options.cwd === undefined ? home : await folderInside(home, text(options.cwd, 'cwd'));
    const terminal = options.terminal === undefined ? undefined : size(options.terminal);
    const child = await startProcess(command, args, { cwd, env: this.environment(home, options.env), terminal });
    const proc = this.nextProc++;
    this.processes.set(proc, child);
    child.onOutput((data) => this.send({ type: 'output', proc, data }));
    child.onExit((code) => {
      this.processes.delete(proc);
      this.send({ type: 'exit', proc, code });
    });
    return { proc, pid: child.pid };
  }

  /**
   * The environment of a process: the runner's own, `lab` on the PATH (kit/bin), the same `node` as the runner's,
   * LAB_HOME naming the workspace, and what the page asked for.
   * @param {string} home
   * @param {unknown} [extra]
   */
  environment(home, extra) {
    const added = /** @type {Record<string, string>} */ (extra ?? {});
    for (const [name, value] of Object.entries(added)) text(value, `env.${name}`);
    const PATH = [path.join(home, 'kit', 'bin'), path.dirname(process.execPath), process.env.PATH ?? ''].join(path.delimiter);
    return { ...process.env, PATH, LAB_HOME: home, ...added };
  }

  /** The learner's own shell ($SHELL), else bash, else sh; Windows has its command interpreter. */
  shell() {
    if (this.context.shell) return this.context.shell;
    if (process.platform === 'win32') return process.env.ComSpec ?? 'cmd.exe';
    const candidates = [process.env.SHELL, 'bash', 'sh'].filter((s) => typeof s === 'string' && s !== '');
    return candidates.find((s) => findCommand(/** @type {string} */ (s), '/', process.env.PATH)) ?? 'sh';
  }

  /** @param {unknown} port */
  async previewUrl(port) {
    if (!Number.isInteger(port) || !(await this.labPorts()).has(/** @type {number} */ (port))) {
      throw new Error(`port ${port} is not in the lab's network table (network.json): only the lab's own ports can be previewed`);
    }
    return `${this.context.origin}/preview/${this.previewKey}/${port}/`;
  }

  /**
   * The ports the preview may reach: those of the lab's network table when the lab started (the first mount that
   * had network.json, or else the first preview), never those of a network.json written later.
   */
  async labPorts() {
    if (this.ports) return this.ports;
    const table = await readInside(await this.workspace(), 'network.json').catch(() => '');
    this.ports ??= portsOf(table, this.runnerPort());
    return this.ports;
  }

  runnerPort() {
    return Number(new URL(this.context.origin).port);
  }

  /**
   * Answers a message that would take the page's waiting messages past their limit, without keeping it.
   * @param {Buffer} data
   */
  refuse(data) {
    let id;
    try {
      id = JSON.parse(data.toString()).id;
    } catch {
      id = null;
    }
    if (!this.refusedWaiting) this.context.log(`lab ${this.lab ?? '(none yet)'}: ${WAITING_REFUSED}`);
    this.refusedWaiting = true;
    if (id !== undefined) this.send({ id, ok: false, error: WAITING_REFUSED });
  }

  /** Resolves once the page has taken most of the answers sent to it, or the socket has closed. */
  async pageCaughtUp() {
    while (this.socket.bufferedAmount >= SLOW_PAGE_BYTES && this.socket.readyState === this.socket.OPEN) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /**
   * Sends a frame. When the page reads output more slowly than the processes write it, their output is paused
   * until the socket has drained, so that the runner's memory does not grow without bound.
   * @param {Record<string, unknown>} frame
   */
  send(frame) {
    if (this.socket.readyState !== this.socket.OPEN) return;
    this.socket.send(JSON.stringify(frame));
    if (this.socket.bufferedAmount < SLOW_PAGE_BYTES || this.drainTimer) return;
    for (const child of this.processes.values()) child.pause();
    this.drainTimer = setInterval(() => {
      if (this.socket.bufferedAmount >= SLOW_PAGE_BYTES / 4 && this.socket.readyState === this.socket.OPEN) return;
      clearInterval(this.drainTimer);
      this.drainTimer = undefined;
      for (const child of this.processes.values()) child.resume();
    }, 20);
  }

  /**
   * Ends the session: waits for the request being handled, ends every process (the lab's supervisor among them) and
   * frees the workspace. Safe to call more than once; every call waits for the same end.
   * @param {string} [reason] sent to the page as the close reason, when the runner closes the socket itself
   */
  close(reason) {
    this.closing ??= (async () => {
      if (reason && this.socket.readyState === this.socket.OPEN) this.socket.close(4000, reason);
      await this.queue;
      clearInterval(this.drainTimer);
      await endAll([...this.processes.values()]);
      this.processes.clear();
      this.context.release(this);
    })();
    return this.closing;
  }
}

/**
 * The lab a FileMap belongs to: the id in its lab.json, when it has one.
 * @param {unknown} files
 */
function labOf(files) {
  const manifest = files && typeof files === 'object' ? /** @type {Record<string, unknown>} */ (files)['lab.json'] : undefined;
  if (typeof manifest !== 'string') return undefined;
  let id;
  try {
    id = JSON.parse(manifest).id;
  } catch {
    throw new Error('lab.json in the mounted files is not valid JSON');
  }
  if (typeof id !== 'string') throw new Error('lab.json in the mounted files has no "id"');
  return id;
}

/**
 * @param {unknown} value
 * @param {string} name
 */
function text(value, name) {
  if (typeof value !== 'string') throw new Error(`'${name}' must be a string`);
  return value;
}

/**
 * @param {unknown} value
 * @param {string} name
 */
function strings(value, name) {
  if (!Array.isArray(value)) throw new Error(`'${name}' must be a list of strings`);
  return value.map((item, i) => text(item, `${name}[${i}]`));
}

/**
 * A terminal size, `{ cols, rows }`.
 * @param {any} value
 * @returns {{ cols: number, rows: number }}
 */
function size(value) {
  const ok = (/** @type {unknown} */ n) => Number.isInteger(n) && /** @type {number} */ (n) > 0 && /** @type {number} */ (n) <= 1000;
  if (!value || !ok(value.cols) || !ok(value.rows)) throw new Error('a terminal size is { cols, rows }, whole numbers from 1 to 1000');
  return { cols: value.cols, rows: value.rows };
}
