// @ts-check
/**
 * `lab up`, `down`, `start`, `stop`, `restart`, `kill` and `reset`: the commands that turn servers on and off.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parseCommand, serverArguments } from '../args.js';
import { LabError } from '../errors.js';
import { ControlClient } from '../client.js';
import { findSupervisor, requireSupervisor } from '../launch.js';
import { painter, stateTable } from '../output.js';
import { explainOutcome, upLine } from '../start-report.js';
import { runSupervisor } from '../supervisor.js';
import { currentWorkspace } from '../workspace.js';

const SHUTDOWN_WAIT_MS = 10_000;

/**
 * `lab up`: starts every server through the lab's supervisor. When no supervisor runs (no lab page started one),
 * this command becomes the supervisor, in the foreground of this terminal, as `docker compose up` does: it prints
 * the table and keeps running until Ctrl-C.
 * @param {string[]} argv
 */
export async function up(argv) {
  parseCommand(argv, {}, 'lab up');
  const workspace = currentWorkspace();
  const started = performance.now();
  let client = await findSupervisor(workspace);
  const here = !client && await runSupervisor({ home: workspace.home });
  client ??= here ? new ControlClient(workspace.topology.control) : await requireSupervisor(workspace);
  const answer = await client.act('up', { wait: true });
  console.log(stateTable(answer.state));
  const code = await printOutcome(client, answer);
  if (code === 0) {
    console.log(upLine({ id: workspace.manifest.id, servers: answer.state.servers.length, entry: workspace.topology.entry,
      ms: performance.now() - started }));
  }
  if (here) {
    console.log('\nThe lab runs in this terminal, in the foreground: leave it open and use `lab` in another terminal' +
      ' (or from the lab page). Ctrl-C stops every server.');
  }
  return code;
}

/** @param {string[]} argv */
export async function down(argv) {
  const { values } = parseCommand(argv, { all: { type: 'boolean' } }, 'lab down [--all]');
  const workspace = currentWorkspace();
  const client = await findSupervisor(workspace);
  if (!client) {
    console.log('the lab is not running: nothing to stop');
    return 0;
  }
  if (!values.all) {
    console.log(stateTable((await client.act('down')).state));
    return 0;
  }
  if ((await client.info()).owned) {
    console.log(stateTable((await client.act('down')).state));
    console.log('every server is stopped. The supervisor stays: it belongs to the lab page (or the program that' +
      ' started it), which ends it when you stop the lab. `lab up` starts the servers again.');
    return 0;
  }
  await client.act('shutdown');
  const deadline = Date.now() + SHUTDOWN_WAIT_MS;
  while (await findSupervisor(workspace)) {
    if (Date.now() > deadline) throw new LabError(`the supervisor still answers ${SHUTDOWN_WAIT_MS / 1000} s after` +
      ` it was asked to end; its pid is in ${workspace.pidFile}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  console.log('every server is stopped, and so is the supervisor');
  return 0;
}

/**
 * `lab start|stop|restart SERVER [SERVICE]`.
 * @param {'start' | 'stop' | 'restart'} action
 */
export function serverAction(action) {
  /** @param {string[]} argv */
  return async (argv) => {
    const usage = `lab ${action} SERVER [SERVICE]`;
    const { positionals } = parseCommand(argv, {}, usage);
    const { server, service } = serverArguments(positionals, usage);
    const client = await requireSupervisor(currentWorkspace());
    const answer = await client.act(action, { server, service, wait: action !== 'stop' });
    console.log(stateTable({ ...answer.state, servers: answer.state.servers.filter((s) => s.name === server) }));
    return printOutcome(client, answer);
  };
}

/** @param {string[]} argv */
export async function kill(argv) {
  const usage = 'lab kill SERVER';
  const { positionals } = parseCommand(argv, {}, usage);
  const { server } = serverArguments(positionals, usage, 1);
  const client = await requireSupervisor(currentWorkspace());
  const answer = await client.act('kill', { server });
  console.log(stateTable({ ...answer.state, servers: answer.state.servers.filter((s) => s.name === server) }));
  console.log(`${server} lost its power: every process got SIGKILL. Bring it back with \`lab start ${server}\`.`);
  return 0;
}

/**
 * Stops the servers, puts every starter file back as it was when the lab began (your changes to them are lost),
 * and starts the lab again. Nothing else is deleted: files you added stay, and so does the data a server keeps
 * (a database's datadir), because a reset is about configuration; delete the data yourself to start it afresh.
 * @param {string[]} argv
 */
export async function reset(argv) {
  parseCommand(argv, {}, 'lab reset');
  const workspace = currentWorkspace();
  const client = await findSupervisor(workspace);
  if (client) await client.act('down');
  const restored = restoreStarterFiles(workspace.starterDir, workspace.home);
  console.log(`restored ${restored.length} starter file${restored.length === 1 ? '' : 's'}: ${restored.join(', ')}`);
  return up([]);
}

/**
 * @param {string} from the pristine copy, `.lab/starter`
 * @param {string} to the workspace
 * @param {string} [prefix]
 * @returns {string[]} the restored files, relative to the workspace
 */
export function restoreStarterFiles(from, to, prefix = '') {
  if (!existsSync(from)) return [];
  return readdirSync(from, { withFileTypes: true }).flatMap((entry) => {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) return restoreStarterFiles(path.join(from, entry.name), path.join(to, entry.name), relative);
    mkdirSync(to, { recursive: true });
    copyFileSync(path.join(from, entry.name), path.join(to, entry.name));
    return [relative];
  });
}

/**
 * After a start: nothing to add when every service came up; else which did not, and the end of its output.
 * @param {import('../client.js').ControlClient} client
 * @param {import('../client.js').ActionAnswer} answer
 */
async function printOutcome(client, answer) {
  const tail = async (/** @type {string} */ server, /** @type {string} */ service, /** @type {number} */ lines) => {
    let text = '';
    await client.stream(`/api/logs?server=${server}&service=${service}&lines=${lines}`, (chunk) => { text += chunk; });
    return text;
  };
  const { lines, code } = await explainOutcome(answer.settled, tail, painter());
  for (const line of lines) console.log(line);
  return code;
}
