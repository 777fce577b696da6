// @ts-check
/**
 * One service of one server: a child process running a kit program, `node kit/web -c nginx.conf`, in the server's
 * folder. A Service starts its process, keeps its output, and knows its state:
 *
 *   stopped --start--> starting --reports ready--> up
 *   starting/up --exits by itself--> exited     --stop--> stopped     --kill--> killed
 *
 * It never restarts a process by itself: a failure stays visible until the learner acts, which is the lesson.
 * (A real init system such as systemd can restart a crashed service; the lab leaves that decision to the learner.)
 */
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { LogRing, lineSplitter } from './log-ring.js';
import { BUILD_FILE, programFile } from './program-file.js';

/**
 * How long a process that never reports must live before it counts as up. Every kit tier reports `ready` when it
 * listens (lib/report.js), which is faster and exact; this fallback is for any other program a lab may run.
 */
export const READY_FALLBACK_MS = 3000;
/**
 * The kit's tiers: each reports `ready` once it listens, so one that has not is not up, however long it has run (a
 * tier stuck before it listens must not pass for a working server).
 */
export const REPORTING_TIERS = new Set(['balancer', 'web', 'vrrp', 'db', 'app']);
/** How long `stop` waits after SIGTERM before it sends SIGKILL (`docker stop` waits 10 s; a lab is impatient). */
export const STOP_GRACE_MS = 2000;
/** How long after a process ended its output may still be read before the supervisor calls it ended anyway. */
const CLOSE_WAIT_MS = 500;
/** A log file larger than this is started afresh when its service starts again. */
const LOG_FILE_LIMIT = 1024 * 1024;

/** @typedef {'starting' | 'up' | 'stopped' | 'exited' | 'killed'} ServiceStateName */

export class Service {
  /**
   * @param {object} options
   * @param {string} options.server   the server's name, e.g. `web-01`
   * @param {import('./workspace.js').ServiceSpec} options.spec
   * @param {import('./workspace.js').Workspace} options.workspace
   * @param {() => void} options.onChange  called after every change of state
   */
  constructor({ server, spec, workspace, onChange }) {
    this.server = server;
    this.name = spec.name;
    this.program = spec.program;
    this.args = spec.args ?? [];
    this.workspace = workspace;
    this.onChange = onChange;
    /** @type {ServiceStateName} */
    this.state = 'stopped';
    /** @type {import('node:child_process').ChildProcess | null} */
    this.child = null;
    /** @type {number | null} */
    this.exitCode = null;
    /** @type {number | null} the most recent process, even after it ended: late reports still name it */
    this.lastPid = null;
    /** @type {'stop' | 'kill' | null} why the supervisor is ending the process, if it is */
    this.ending = null;
    this.logs = new LogRing();
    /** @type {Set<() => void>} */
    this.exitWaiters = new Set();
    /** @type {NodeJS.Timeout | undefined} */
    this.readyTimer = undefined;
  }

  get key() { return `${this.server}/${this.name}`; }
  get pid() { return this.child?.pid ?? null; }

  /** Starts the process unless it runs already. */
  start() {
    if (this.child) return;
    const { file: programPath, changed } = programFile(this.workspace.kit, this.program);
    const command = ['node', `kit/${this.program}`, ...this.args].join(' ');
    if (!existsSync(programPath)) {
      this.log(`lab: cannot start ${command}: there is no ${programPath}. Check "program" of ${this.key} in lab.json`);
      return this.setState('exited');
    }
    const file = this.openLogFile();
    if (changed) {
      const what = changed === '?' ? `kit/${this.program}/${BUILD_FILE} does not say what it was built from` : `kit/${changed} has changed since kit/${this.program}/${BUILD_FILE} was built`;
      this.log(`lab: ${what}: running kit/${this.program} from its sources`, file);
    }
    const cwd = path.join(this.workspace.home, this.server);
    mkdirSync(cwd, { recursive: true });
    const child = spawn(process.execPath, [programPath, ...this.args], {
      cwd,
      env: { ...process.env, ...this.labEnvironment() },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.lastPid = child.pid ?? null;
    this.ending = null;
    this.exitCode = null;
    const out = lineSplitter((text) => this.log(text, file));
    const err = lineSplitter((text) => this.log(text, file));
    child.stdout?.on('data', (chunk) => out.write(chunk));
    child.stderr?.on('data', (chunk) => err.write(chunk));
    child.stdout?.on('end', () => out.end());
    child.stderr?.on('end', () => err.end());
    child.on('error', (error) => this.log(`lab: cannot start ${command}: ${error.message}`, file));
    // 'close' comes once the process has ended and its last output is read, so the log ends in the right order;
    // a grandchild that kept the pipes open would delay it, hence the timer after 'exit'.
    child.on('close', (code, signal) => this.exited(child, code, signal, file));
    child.on('exit', (code, signal) => setTimeout(() => this.exited(child, code, signal, file), CLOSE_WAIT_MS));
    this.log(`lab: started ${command} (pid ${child.pid})`, file);
    if (!REPORTING_TIERS.has(this.program)) this.readyTimer = setTimeout(() => this.markReady(), READY_FALLBACK_MS);
    this.setState('starting');
  }

  /**
   * The process listens: from now on the service is up.
   * @param {number} [pid] the reporting process, so that a late report from an earlier process is ignored
   */
  markReady(pid) {
    if (this.state !== 'starting' || (pid !== undefined && pid !== this.pid)) return;
    clearTimeout(this.readyTimer);
    this.setState('up');
  }

  /** SIGTERM, then SIGKILL after the grace period; resolves when the process has ended. */
  stop() {
    if (!this.child) return this.settleStopped();
    this.ending ??= 'stop';
    this.child.kill('SIGTERM');
    const child = this.child;
    const force = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    return this.waitForExit().finally(() => clearTimeout(force));
  }

  /** SIGKILL at once, as when the power is cut: no goodbye, no flushing; resolves when the process has ended. */
  kill() {
    if (!this.child) return Promise.resolve();
    this.ending = 'kill';
    this.child.kill('SIGKILL');
    return this.waitForExit();
  }

  /** The service's part of the state JSON. */
  snapshot() {
    return this.state === 'exited'
      ? { name: this.name, state: this.state, pid: this.pid, exitCode: this.exitCode }
      : { name: this.name, state: this.state, pid: this.pid };
  }

  /** A service that exited or was killed is marked stopped when the learner stops it: it is meant to be off. */
  settleStopped() {
    if (this.state === 'exited' || this.state === 'killed') this.setState('stopped');
    return Promise.resolve();
  }

  waitForExit() {
    return new Promise((resolve) => {
      if (!this.child) resolve(undefined);
      else this.exitWaiters.add(() => resolve(undefined));
    });
  }

  /**
   * @param {import('node:child_process').ChildProcess} child
   * @param {number | null} code
   * @param {NodeJS.Signals | null} signal
   * @param {import('node:fs').WriteStream} file
   */
  exited(child, code, signal, file) {
    if (this.child !== child) return;
    clearTimeout(this.readyTimer);
    this.child = null;
    this.exitCode = code;
    const how = signal ? `by ${signal}` : `with code ${code}`;
    if (this.ending === 'kill') this.log('lab: killed (SIGKILL, as if the power was cut)', file);
    else if (this.ending === 'stop') this.log(`lab: stopped (ended ${how})`, file);
    else this.log(`lab: exited ${how}; the lines above say why. Start it again with \`lab start ${this.server}\``, file);
    file.end();
    this.setState(this.ending === 'kill' ? 'killed' : this.ending === 'stop' ? 'stopped' : 'exited');
    for (const waiter of this.exitWaiters) waiter();
    this.exitWaiters.clear();
  }

  /**
   * @param {string} text
   * @param {import('node:fs').WriteStream} [file]
   */
  log(text, file) {
    this.logs.push({ time: Date.now(), service: this.name, text });
    if (file && !file.writableEnded) file.write(`${text}\n`);
  }

  /** @param {ServiceStateName} state */
  setState(state) {
    this.state = state;
    this.onChange();
  }

  labEnvironment() {
    return {
      LAB_HOME: this.workspace.home,
      LAB_NETWORK: this.workspace.networkFile,
      LAB_SERVER: this.server,
      LAB_SERVICE: this.name,
      LAB_CONTROL: this.workspace.controlUrl,
    };
  }

  openLogFile() {
    mkdirSync(this.workspace.logsDir, { recursive: true });
    const file = path.join(this.workspace.logsDir, `${this.server}.${this.name}.log`);
    const tooLarge = existsSync(file) && statSync(file).size > LOG_FILE_LIMIT;
    const stream = createWriteStream(file, { flags: tooLarge ? 'w' : 'a' });
    stream.on('error', () => {});
    return stream;
  }
}
