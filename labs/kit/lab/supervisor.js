// @ts-check
/**
 * The lab supervisor: one long-running process per lab that starts the lab's servers, keeps their output, follows
 * their state and answers the control API on 127.0.0.1:<control>. It always runs in the foreground of whoever
 * started it, never as a background daemon, because a WebContainer promises nothing about detached processes:
 * - the lab page (through either backend) starts `node kit/lab supervise --up --owned --events` and keeps it for the
 *   life of the lab; `--owned` means it ends when its standard input closes (its owner is gone: the page stopped the
 *   lab, or the runner died) and that `lab down --all` stops the servers but leaves the supervisor to its owner;
 *   `--events`, that it prints the lab's state on its output, as `lab events --json` does;
 * - in a terminal, `lab up` becomes the supervisor when none runs, and Ctrl-C ends it.
 * `--up` starts every server at once. It ends, after stopping every server, on SIGTERM, SIGINT, SIGHUP, the end of its
 * standard input when owned, or `lab down --all` when not owned.
 */
import { appendFileSync, mkdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { listen } from '../lib/http-server.js';
import { ControlClient } from './client.js';
import { createControlServer } from './control-api.js';
import { LabController } from './controller.js';
import { LabError, UsageError } from './errors.js';
import { painter, stateTable } from './output.js';
import { explainOutcome, upLine } from './start-report.js';
import { LabState } from './state.js';
import { findHome, openWorkspace } from './workspace.js';

/**
 * @param {{ home: string, up?: boolean, owned?: boolean, events?: boolean }} options
 * @returns {Promise<boolean>} false when a supervisor for this lab already runs (and this one did not start)
 */
export async function runSupervisor({ home, up = false, owned = false, events = false }) {
  const began = performance.now();
  const workspace = openWorkspace(home);
  const port = workspace.topology.control;
  mkdirSync(workspace.logsDir, { recursive: true });
  const say = sayer(workspace.supervisorLog);
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
  const control = createControlServer({ state, controller, workspace, owned, shutdown: () => void shutdown() });

  try {
    await listen(control.server, port, '127.0.0.1');
  } catch (error) {
    if (/** @type {NodeJS.ErrnoException} */ (error).code !== 'EADDRINUSE') throw error;
    const info = await new ControlClient(port).info().catch(() => null);
    if (info?.home === home) {
      say(`a supervisor for this lab already runs (pid ${info.pid}); this one ends`);
      return false;
    }
    throw new LabError(`cannot listen on 127.0.0.1:${port}: the port is in use` +
      (info ? ` by the supervisor of the lab in ${info.home}: run \`lab down --all\` there first` : ' by another program'));
  }
  writeFileSync(workspace.pidFile, JSON.stringify({ pid: process.pid, control: port, home, startedAt: Date.now() }));
  state.partitions.clear(); // a supervisor killed outright may have left its network cuts behind
  say(`supervising ${workspace.manifest.id} on 127.0.0.1:${port} (pid ${process.pid}${owned ? ', owned by the process that started it' : ''})`);
  logTransitions(state, say);
  for (const signal of /** @type {const} */ (['SIGTERM', 'SIGINT', 'SIGHUP'])) process.on(signal, () => void shutdown());
  if (owned) endWithOwner(() => void shutdown());
  // `--events`: the state on this process's own output too, one JSON document a line, as `lab events --json`
  // prints it. The lab page, which owns the supervisor, reads it there: one process fewer to start with every lab
  // (in a WebContainer, each costs the learner's browser a worker). Its other lines are not JSON.
  if (events) state.subscribe((snapshot) => process.stdout.write(`${JSON.stringify(snapshot)}\n`));
  if (up) {
    reportStart(controller, state, workspace, controller.up(), { events, began }).catch((error) => {
      // A report that fails must not end the lab: say so where the page reads, and keep the servers running.
      say(`could not report the start: ${error.stack ?? error}`);
      report(workspace, events, 1, `lab: the servers were started, but their report failed: ${error.message ?? error}. Run \`lab up\` to see where they are.`);
    });
  }
  return true;
}

/**
 * How long the start's report waits for every server to say that it listens: a little longer than `lab up`'s 15 s,
 * which began only once that process ran (in a browser, a second or two after the servers were started). The page
 * shows its prompt after the report, so a server that never says it listens holds the learner this long.
 */
const REPORT_SETTLE_MS = 20_000;

/**
 * `--up`: once the servers have settled, what `lab up` prints: the table, then how long the lab took or what did not
 * start. With `--events`, as one JSON document, `{"type":"up","lab":…,"code":0,"text":…}`, which the lab page shows
 * in its terminal as `lab up`'s output, so that it needs no `lab up` process of its own: one process fewer at the
 * busiest moment of the start. `code` is what `lab up` would exit with; `text` is coloured as in a terminal (the
 * page's is one), unless NO_COLOR is set.
 * @param {LabController} controller
 * @param {LabState} state
 * @param {import('./workspace.js').Workspace} workspace
 * @param {import('./services.js').Service[]} started
 * @param {{ events: boolean, began: number }} options `began`: when this supervisor started, as performance.now()
 */
async function reportStart(controller, state, workspace, started, { events, began }) {
  const settled = await controller.settle(started, REPORT_SETTLE_MS);
  const tail = async (/** @type {string} */ server, /** @type {string} */ service, /** @type {number} */ lines) =>
    controller.logs(server, service, lines).map((line) => `${line.text}\n`).join('');
  const destination = events ? { isTTY: true } : process.stdout;
  const { lines, code } = await explainOutcome(settled, tail, painter(destination));
  const snapshot = state.snapshot();
  if (code === 0) {
    // Since the supervisor began: the time it took to start every server.
    lines.push(upLine({ id: workspace.manifest.id, servers: snapshot.servers.length, entry: workspace.topology.entry,
      ms: performance.now() - began }));
  }
  // The state that says every server is up goes out first, not up to a tenth of a second after the report: the page
  // shows the lab ready when it has both.
  state.flush();
  report(workspace, events, code, [stateTable(snapshot, destination), ...lines].join('\n'));
}

/**
 * @param {import('./workspace.js').Workspace} workspace
 * @param {boolean} events
 * @param {number} code
 * @param {string} text
 */
function report(workspace, events, code, text) {
  process.stdout.write(events ? `${JSON.stringify({ type: 'up', lab: workspace.manifest.id, code, text })}\n` : `${text}\n`);
}

/**
 * Ends the supervisor when its owner is gone. The owner holds the other end of standard input and never writes to
 * it; when the owner ends, however abruptly (SIGKILL included), the pipe closes and reading it ends. Without this, a
 * runner killed with SIGKILL would leave the supervisor and every server running, holding the lab's ports.
 * @param {() => void} shutdown
 */
function endWithOwner(shutdown) {
  process.stdin.on('end', shutdown);
  process.stdin.on('error', shutdown);
  process.stdin.resume();
}

const SUPERVISE_FLAGS = ['--up', '--owned', '--events'];

/**
 * `lab supervise [--up] [--owned] [--events]`: the supervisor in the foreground, for the current workspace.
 * @param {string[]} argv
 */
export async function supervise(argv) {
  const unknown = argv.filter((arg) => !SUPERVISE_FLAGS.includes(arg));
  if (unknown.length > 0) throw new UsageError(`lab supervise: unknown argument ${unknown[0]}; usage: lab supervise [--up] [--owned] [--events]`);
  const [up, owned, events] = SUPERVISE_FLAGS.map((flag) => argv.includes(flag));
  await runSupervisor({ home: findHome(), up, owned, events });
}

/**
 * Writes every change of a service's state to the supervisor's own output, so that what happened can be read
 * afterwards.
 * @param {LabState} state
 * @param {(message: string) => void} say
 */
function logTransitions(state, say) {
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

/**
 * The supervisor's own lines, timed: to its standard output, and to `.lab/supervisor.log`, written by the supervisor
 * itself (not through a file descriptor handed to it), so that they can be read whoever started it.
 * @param {string} logFile
 */
function sayer(logFile) {
  return (/** @type {string} */ message) => {
    const line = `${new Date().toISOString().slice(11, 23)} ${message}\n`;
    process.stdout.write(line);
    try {
      appendFileSync(logFile, line);
    } catch {
      // The log is a convenience: a full disk must not stop the lab.
    }
  };
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
