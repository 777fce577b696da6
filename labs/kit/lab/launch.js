// @ts-check
/**
 * Finds the lab's supervisor through its control port. Nothing here starts one in the background: the supervisor
 * always runs in the foreground of whoever started it (the lab page, or `lab up` in a terminal; see supervisor.js),
 * because a WebContainer promises nothing about detached processes.
 */
import { realpathSync } from 'node:fs';
import { ControlClient } from './client.js';
import { LabError, NotRunningError } from './errors.js';

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
