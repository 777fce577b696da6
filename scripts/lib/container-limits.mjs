// @ts-check
/**
 * A preload (`node --import ./scripts/lib/container-limits.mjs`, usually through NODE_OPTIONS) that holds the lab's
 * programs to what a WebContainer promises, so that the tests here fail where a learner's browser would. A
 * WebContainer documents `spawn`, `kill` and the output of a process and its descendants; nothing of detached
 * processes, of `unref`, or of handing file descriptors to a child, and its shell runs node programs, not system
 * binaries. So, inside a lab's workspace, this refuses:
 *   - starting anything but node (`exec` and `execSync` always: they run /bin/sh);
 *   - `detached: true`, and `stdio` other than 'pipe' or 'ignore' (a file descriptor, a stream, 'inherit', 'ipc');
 *   - `fork` (it needs an IPC channel), and `unref()` on a child process.
 * It acts only in a process whose main script is in the `kit/` folder of a lab's workspace (a folder beside a
 * lab.json): the test harnesses, the runner and the shell around the lab are not held to it.
 */
import childProcess from 'node:child_process';
import { existsSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import path from 'node:path';

/** Whether `script` lies in `<workspace>/kit/`, where `<workspace>` holds a lab.json. */
function inLabKit(/** @type {string | undefined} */ script) {
  if (!script) return false;
  const parts = path.resolve(script).split(path.sep);
  for (let i = parts.lastIndexOf('kit'); i > 0; i = parts.lastIndexOf('kit', i - 1)) {
    if (existsSync(path.join(parts.slice(0, i).join(path.sep) || path.sep, 'lab.json'))) return true;
  }
  return false;
}

class ContainerLimitError extends Error {
  /** @param {string} what */
  constructor(what) {
    super(`${what}: a WebContainer does not promise this, so a lab's programs must not do it (scripts/lib/container-limits.mjs)`);
    this.name = 'ContainerLimitError';
  }
}

const isNode = (/** @type {unknown} */ file) => file === 'node' || file === process.execPath;
const ALLOWED_STDIO = new Set([undefined, null, 'pipe', 'ignore']);

/**
 * @param {string} api
 * @param {unknown} file
 * @param {any} options
 */
function checkStart(api, file, options) {
  if (!isNode(file)) throw new ContainerLimitError(`${api}(${JSON.stringify(file)}): only node can be started`);
  if (options?.detached) throw new ContainerLimitError(`${api}(..., { detached: true }): a detached process`);
  const stdio = options?.stdio;
  const entries = Array.isArray(stdio) ? stdio : [stdio];
  const bad = entries.find((entry) => !ALLOWED_STDIO.has(entry));
  if (bad !== undefined) {
    const shown = typeof bad === 'object' ? 'a stream' : JSON.stringify(bad);
    throw new ContainerLimitError(`${api}(..., { stdio: ${shown} }): standard I/O other than pipes`);
  }
}

/** The options object of a spawn-like call: (file, args?, options?) or (file, options?). */
const optionsOf = (/** @type {unknown[]} */ rest) => rest.find((arg) => arg !== null && typeof arg === 'object' && !Array.isArray(arg));

if (inLabKit(process.argv[1])) {
  for (const api of /** @type {const} */ (['spawn', 'spawnSync', 'execFile', 'execFileSync'])) {
    const original = /** @type {Function} */ (childProcess[api]);
    Object.defineProperty(childProcess, api, {
      value: function limited(/** @type {unknown} */ file, /** @type {unknown[]} */ ...rest) {
        checkStart(api, file, optionsOf(rest));
        return original.call(this, file, ...rest);
      },
    });
  }
  for (const api of /** @type {const} */ (['exec', 'execSync', 'fork'])) {
    Object.defineProperty(childProcess, api, {
      value: () => { throw new ContainerLimitError(`child_process.${api}()`); },
    });
  }
  childProcess.ChildProcess.prototype.unref = function unref() {
    throw new ContainerLimitError('ChildProcess.unref()');
  };
  syncBuiltinESMExports();
}
