// @ts-check
/**
 * Makes sure that the lab's supervisor runs: asks the control port, and if nobody answers starts the supervisor in
 * the background (detached, its output in `.lab/supervisor.log`) and waits until it answers.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ControlClient } from './client.js';
import { LabError, NotRunningError } from './errors.js';

const START_TIMEOUT_MS = 10_000;
const POLL_MS = 20;

/**
 * @param {import('./workspace.js').Workspace} workspace
 * @param {{ up?: boolean }} [options] up: the new supervisor starts every server as soon as it listens
 * @returns {Promise<{ client: ControlClient, started: boolean }>}
 */
export async function ensureSupervisor(workspace, { up = false } = {}) {
  const running = await findSupervisor(workspace);
  if (running) return { client: running, started: false };
  const client = new ControlClient(workspace.topology.control);
  mkdirSync(workspace.stateDir, { recursive: true });
  const log = openSync(workspace.supervisorLog, 'a');
  const child = spawn(process.execPath, [fileURLToPath(new URL('./supervisor.js', import.meta.url)), ...(up ? ['--up'] : [])], {
    cwd: workspace.home,
    env: { ...process.env, LAB_HOME: workspace.home },
    detached: true,
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  child.unref();
  /** @type {number | null} */
  let exitCode = null;
  child.on('exit', (code) => { exitCode = code ?? 1; });

  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (await findSupervisor(workspace)) return { client, started: true };
    if (exitCode !== null && exitCode !== 0) {
      throw new LabError(`the lab supervisor did not start:\n${logTail(workspace.supervisorLog)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  throw new LabError(`the lab supervisor did not answer on 127.0.0.1:${workspace.topology.control} within` +
    ` ${START_TIMEOUT_MS / 1000} s; its output is in ${workspace.supervisorLog}`);
}

/**
 * A client for this workspace's supervisor, or null when none runs. Throws when the control port belongs to the
 * supervisor of another workspace (another copy of the same lab), so that no command drives the wrong lab.
 * @param {import('./workspace.js').Workspace} workspace
 */
export async function findSupervisor(workspace) {
  const client = new ControlClient(workspace.topology.control);
  const info = await runningInfo(client);
  if (!info) return null;
  if (!sameFolder(info.home, workspace.home)) {
    throw new LabError(`port ${workspace.topology.control} is taken by the supervisor of another copy of this lab,` +
      ` in ${info.home}: run \`lab down --all\` there first`);
  }
  return client;
}

/**
 * A client for this workspace's supervisor, which must run.
 * @param {import('./workspace.js').Workspace} workspace
 */
export async function requireSupervisor(workspace) {
  const client = await findSupervisor(workspace);
  if (!client) throw new NotRunningError();
  return client;
}

/**
 * @param {ControlClient} client
 * @returns {Promise<import('./client.js').SupervisorInfo | null>}
 */
async function runningInfo(client) {
  try {
    return await client.info();
  } catch (error) {
    if (error instanceof NotRunningError) return null;
    throw error;
  }
}

/** @param {string} a @param {string} b */
function sameFolder(a, b) {
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return a === b;
  }
}

/** @param {string} file */
function logTail(file) {
  if (!existsSync(file)) return '(no output)';
  return readFileSync(file, 'utf8').trim().split('\n').slice(-10).join('\n') || '(no output)';
}
