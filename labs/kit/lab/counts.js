// @ts-check
/**
 * Who served how many requests, from the supervisor's counts. The tiers report their totals every 250 ms
 * (lib/report.js), so after a burst of requests the counts settle a moment later: `settledState` waits for that.
 */

const POLL_MS = 100;
/** Longer than the tiers' report interval (250 ms), so that a quiet spell means every report has arrived. */
const QUIET_MS = 350;
const MAX_WAIT_MS = 2500;

/**
 * @typedef {import('./client.js').LabStateJson} LabStateJson
 * @typedef {{ name: string, role: string, requests: number }} ServerCount
 */

/**
 * The state once the request counts have stopped changing.
 * @param {import('./client.js').ControlClient} client
 */
export async function settledState(client) {
  const started = Date.now();
  let state = await client.state();
  let lastChange = Date.now();
  while (Date.now() - started < MAX_WAIT_MS) {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    const next = await client.state();
    if (countKey(next) !== countKey(state)) lastChange = Date.now();
    state = next;
    if (Date.now() - lastChange >= QUIET_MS) break;
  }
  return state;
}

/**
 * How many requests each server served between two states.
 * @param {LabStateJson} before
 * @param {LabStateJson} after
 * @returns {ServerCount[]}
 */
export function countDeltas(before, after) {
  return after.servers.map((server) => ({
    name: server.name,
    role: server.role,
    requests: server.requests - (before.servers.find((s) => s.name === server.name)?.requests ?? 0),
  }));
}

/** @param {LabStateJson} state */
function countKey(state) {
  return state.servers.map((server) => server.requests).join(',');
}
