// @ts-check
/**
 * `lab ps` / `lab status` (the state once) and `lab events` (the state at every change, until stopped).
 */
import { parseCommand } from '../args.js';
import { ControlClient } from '../client.js';
import { NotRunningError } from '../errors.js';
import { findSupervisor, requireSupervisor } from '../launch.js';
import { stateTable } from '../output.js';
import { LabState } from '../state.js';
import { currentWorkspace } from '../workspace.js';

const RECONNECT_MS = 300;

/** @param {string[]} argv */
export async function status(argv) {
  const { values } = parseCommand(argv, { json: { type: 'boolean' } }, 'lab ps [--json]');
  const state = await (await requireSupervisor(currentWorkspace())).state();
  console.log(values.json ? JSON.stringify(state, null, 2) : stateTable(state));
  return 0;
}

/**
 * Streams the state until the process is stopped. While no supervisor runs (before `lab up`, after
 * `lab down --all`) it shows every server down and keeps trying, so a reader never has to start it again.
 * @param {string[]} argv
 */
export async function events(argv) {
  const { values } = parseCommand(argv, { json: { type: 'boolean' } }, 'lab events [--json]');
  const workspace = currentWorkspace();
  await findSupervisor(workspace);
  const client = new ControlClient(workspace.topology.control);
  const down = JSON.stringify(new LabState(workspace).snapshot());
  let lastSummary = '';
  /** @param {string} json */
  const show = (json) => {
    if (values.json) return process.stdout.write(`${json}\n`);
    const text = summary(JSON.parse(json));
    if (text === lastSummary) return;
    lastSummary = text;
    process.stdout.write(`${new Date().toISOString().slice(11, 19)} ${text}\n`);
  };
  for (;;) {
    let partial = '';
    try {
      await client.stream('/api/events', (chunk) => {
        const lines = (partial + chunk).split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) if (line) show(line);
      });
    } catch (error) {
      if (!(error instanceof NotRunningError)) throw error;
    }
    show(down.replace(/"time":\d+/, `"time":${Date.now()}`));
    await new Promise((resolve) => setTimeout(resolve, RECONNECT_MS));
  }
}

/**
 * One line for a person: `lb-01 up, web-01 up, web-02 down (nginx killed); virtual IP on lb-01`.
 * @param {import('../client.js').LabStateJson} state
 */
function summary(state) {
  const servers = state.servers.map((server) => (server.state === 'up'
    ? `${server.name} up`
    : `${server.name} ${server.state} (${server.services.map((s) => `${s.name} ${s.state}`).join(', ')})`));
  const vip = state.vip ? `; virtual IP on ${state.vip.owner ?? 'no server'}` : '';
  return `${servers.join(', ')}${vip}`;
}
