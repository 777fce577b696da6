// @ts-check
/**
 * The processes of a session, started in one of two ways behind one small interface:
 * - with a terminal, through a pseudo-terminal (node-pty), as a terminal window runs your shell;
 * - without one, through plain pipes (child_process), for commands whose output the page reads, such as the lab's
 *   supervisor (`node kit/lab supervise --up --owned --events`).
 * And the way to end them all: signal every process and its descendants, then SIGKILL what is left.
 */
import { execFile, spawn } from 'node:child_process';
import { accessSync, constants as fsConstants, readFileSync } from 'node:fs';
import { constants as osConstants } from 'node:os';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import pty from '@lydell/node-pty';

/**
 * @typedef {object} RunnerProcess
 * @property {number} pid
 * @property {(listener: (chunk: string) => void) => void} onOutput
 * @property {(listener: (code: number) => void) => void} onExit
 * @property {(data: string) => void} write
 * @property {(cols: number, rows: number) => void} resize
 * @property {() => void} pause   stops reading output until resume (while the page is slow to take it)
 * @property {() => void} resume
 * @property {() => void} kill   asks it to end: SIGHUP for a terminal, as when its window closes; SIGTERM for a command
 */

/**
 * @typedef {object} StartOptions
 * @property {string} cwd
 * @property {Record<string, string>} env
 * @property {{ cols: number, rows: number }} [terminal]
 */

/** A shell reports "killed by SIGTERM" as 143: 128 and the signal's number. */
function exitCode(/** @type {number | null} */ code, /** @type {string | number | null | undefined} */ signal) {
  if (typeof code === 'number' && !signal) return code;
  const number = typeof signal === 'number' ? signal : osConstants.signals[/** @type {NodeJS.Signals} */ (signal)] ?? 0;
  return number ? 128 + number : code ?? 1;
}

/**
 * Finds a command the way a shell does: a name with a slash is a path from `cwd`, anything else is looked for in
 * the folders of PATH. Returns undefined when there is no such executable.
 * @param {string} command
 * @param {string} cwd
 * @param {string} [searchPath]
 */
export function findCommand(command, cwd, searchPath = '') {
  const candidates = command.includes('/')
    ? [path.resolve(cwd, command)]
    : searchPath.split(path.delimiter).filter(Boolean).map((dir) => path.join(dir, command));
  return candidates.find((file) => {
    try {
      accessSync(file, fsConstants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/**
 * Starts a process. Rejects (with a message for a person) when the command cannot be started.
 * @param {string} command
 * @param {string[]} args
 * @param {StartOptions} options
 * @returns {Promise<RunnerProcess>}
 */
export async function startProcess(command, args, options) {
  const file = command === 'node' ? process.execPath : findCommand(command, options.cwd, options.env.PATH);
  if (!file) throw new Error(`cannot start '${command}': command not found`);
  return options.terminal ? startInTerminal(file, args, options, options.terminal) : startWithPipes(file, args, options);
}

/**
 * @param {string} file
 * @param {string[]} args
 * @param {StartOptions} options
 * @param {{ cols: number, rows: number }} size
 * @returns {RunnerProcess}
 */
function startInTerminal(file, args, { cwd, env }, { cols, rows }) {
  const child = pty.spawn(file, args, { name: 'xterm-256color', cols, rows, cwd, env: { ...env, TERM: 'xterm-256color' } });
  return {
    pid: child.pid,
    onOutput: (listener) => { child.onData(listener); },
    onExit: (listener) => { child.onExit(({ exitCode: code, signal }) => listener(exitCode(code, signal))); },
    write: (data) => child.write(data),
    resize: (c, r) => child.resize(c, r),
    pause: () => child.pause(),
    resume: () => child.resume(),
    // An interactive shell ignores SIGTERM; on SIGHUP it ends, and passes SIGHUP on to its jobs.
    kill: () => child.kill('SIGHUP'),
  };
}

/**
 * @param {string} file
 * @param {string[]} args
 * @param {StartOptions} options
 * @returns {Promise<RunnerProcess>}
 */
function startWithPipes(file, args, { cwd, env }) {
  const child = spawn(file, args, { cwd, env, stdio: 'pipe' });
  /** @type {((chunk: string) => void)[]} */
  const listeners = [];
  for (const stream of [child.stdout, child.stderr]) {
    const decoder = new StringDecoder('utf8');
    stream.on('data', (bytes) => { const text = decoder.write(bytes); if (text) listeners.forEach((l) => l(text)); });
  }
  child.stdin.on('error', () => {});
  return new Promise((resolve, reject) => {
    child.once('error', (error) => reject(new Error(`cannot start '${path.basename(file)}': ${error.message}`)));
    child.once('spawn', () => resolve({
      pid: /** @type {number} */ (child.pid),
      onOutput: (listener) => { listeners.push(listener); },
      // 'close' rather than 'exit': the output is all read by then.
      onExit: (listener) => { child.once('close', (code, signal) => listener(exitCode(code, signal))); },
      write: (data) => { child.stdin.write(data); },
      resize: () => {},
      pause: () => { child.stdout.pause(); child.stderr.pause(); },
      resume: () => { child.stdout.resume(); child.stderr.resume(); },
      kill: () => { child.kill('SIGTERM'); },
    }));
  });
}

/**
 * Every descendant of the given processes (children, grandchildren...), read from `ps`. A process that detached
 * itself (its parent is gone) is not found here: the lab's supervisor is stopped with `lab down` instead.
 * @param {number[]} roots
 * @returns {Promise<number[]>}
 */
export function descendants(roots) {
  if (process.platform === 'win32' || roots.length === 0) return Promise.resolve([]);
  return new Promise((resolve) => {
    execFile('ps', ['-A', '-o', 'pid=,ppid='], (error, stdout) => {
      if (error) return resolve([]);
      /** @type {Map<number, number[]>} */
      const children = new Map();
      for (const line of stdout.split('\n')) {
        const [pid, ppid] = line.trim().split(/\s+/).map(Number);
        if (pid && ppid) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
      }
      const found = [];
      const queue = [...roots];
      while (queue.length > 0) {
        for (const child of children.get(/** @type {number} */ (queue.shift())) ?? []) {
          found.push(child);
          queue.push(child);
        }
      }
      resolve(found);
    });
  });
}

/**
 * Whether a process still runs. A zombie (ended, but not yet collected by its parent) does not count: where PID 1
 * does not collect orphans, as in some containers, it would otherwise look alive for ever.
 * @param {number} pid
 */
export function isAlive(pid) {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return /** @type {NodeJS.ErrnoException} */ (error).code === 'EPERM';
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

/**
 * Ends processes and all their descendants: each process is asked with its own signal (SIGHUP for a shell, SIGTERM
 * for a command), the descendants with SIGTERM, and whatever still runs after `graceMs` is killed with SIGKILL.
 * @param {RunnerProcess[]} processes
 * @param {number} [graceMs]
 */
export async function endAll(processes, graceMs = 2000) {
  const tree = await descendants(processes.map((p) => p.pid));
  for (const p of processes) p.kill();
  for (const pid of tree) signal(pid, 'SIGTERM');
  const all = [...processes.map((p) => p.pid), ...tree];
  const deadline = Date.now() + graceMs;
  while (all.some(isAlive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  for (const pid of all.filter(isAlive)) signal(pid, 'SIGKILL');
}

/**
 * @param {number} pid
 * @param {NodeJS.Signals} name
 */
function signal(pid, name) {
  try {
    process.kill(pid, name);
  } catch {
    // It ended meanwhile.
  }
}
