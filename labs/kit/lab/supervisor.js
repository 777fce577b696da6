// @ts-check
/**
 * The lab supervisor: one long-running process per lab that starts the lab's servers, keeps their output, follows
 * their state and answers the control API on 127.0.0.1:<control>. Start it with `node kit/lab/supervisor.js [--up]`
 * or `node kit/lab supervise [--up]` (`lab up` does it for you, in the background); `--up` starts every server at once.
 * It ends, after stopping every server, on SIGTERM, SIGINT or `lab down --all`.
 */
import { mkdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { listen } from '../lib/http-server.js';
import { ControlClient } from './client.js';
import { createControlServer } from './control-api.js';
import { LabController } from './controller.js';
import { LabError } from './errors.js';
import { LabState } from './state.js';
import { findHome, openWorkspace } from './workspace.js';

/**
 * @param {{ home: string, up?: boolean }} options
 */
export async function runSupervisor({ home, up = false }) {
  const workspace = openWorkspace(home);
  const port = workspace.topology.control;
  mkdirSync(workspace.logsDir, { recursive: true });
  const state = new LabState(workspace);
  const controller = new LabController(state);

  let closing = false;
  const shutdown = async () => {
    if (closing) return;
    closing = true;
    control.server.close();
    await controller.down();
    say('every server is stopped; the supervisor ends');
    control.endStreams();
    control.server.closeAllConnections();
    state.close();
    rmSync(workspace.pidFile, { force: true });
    process.exit(0);
  };
  const control = createControlServer({ state, controller, workspace, shutdown: () => void shutdown() });

  try {
    await listen(control.server, port, '127.0.0.1');
  } catch (error) {
    if (/** @type {NodeJS.ErrnoException} */ (error).code !== 'EADDRINUSE') throw error;
    const info = await new ControlClient(port).info().catch(() => null);
    if (info?.home === home) {
      say(`a supervisor for this lab already runs (pid ${info.pid}); this one ends`);
      return;
    }
    throw new LabError(`cannot listen on 127.0.0.1:${port}: the port is in use` +
      (info ? ` by the supervisor of the lab in ${info.home}: run \`lab down --all\` there first` : ' by another program'));
  }
  writeFileSync(workspace.pidFile, JSON.stringify({ pid: process.pid, control: port, home, startedAt: Date.now() }));
  say(`supervising ${workspace.manifest.id} on 127.0.0.1:${port} (pid ${process.pid})`);
  logTransitions(state);
  process.on('SIGTERM', () => void shutdown());
  process.on('SIGINT', () => void shutdown());
  if (up) controller.up();
}

/**
 * `lab supervise [--up]`: the supervisor in the foreground, for the current workspace.
 * @param {string[]} argv
 */
export function supervise(argv) {
  return runSupervisor({ home: findHome(), up: argv.includes('--up') });
}

/**
 * Writes every change of a service's state to the supervisor's own output (`.lab/supervisor.log` when in the
 * background), so that what happened can be read afterwards.
 * @param {LabState} state
 */
function logTransitions(state) {
  const last = new Map(state.services().map((service) => [service.key, service.state]));
  state.watch(() => {
    for (const service of state.services()) {
      const before = last.get(service.key);
      if (before === service.state) continue;
      last.set(service.key, service.state);
      say(`${service.key}: ${before} -> ${service.state}${service.pid ? ` (pid ${service.pid})` : ''}`);
    }
  });
}

/** @param {string} message */
function say(message) {
  process.stdout.write(`${new Date().toISOString().slice(11, 23)} ${message}\n`);
}

/** Runs the supervisor when this file is the program node was started with. */
function isEntryPoint() {
  try {
    return realpathSync(process.argv[1] ?? '') === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  Promise.resolve()
    .then(() => supervise(process.argv.slice(2)))
    .catch((error) => {
      process.stderr.write(`lab supervisor: ${error instanceof LabError ? error.message : error.stack}\n`);
      process.exit(1);
    });
}
