// @ts-check
/**
 * The failure drill: under a steady load through the lab's entry, each server is killed in turn, then started again.
 * For each one it measures what the visitors saw: how many requests failed, when the tier in front of the server
 * noticed its death, when requests succeeded again, and when the server was back in rotation. `lab drill` prints it
 * as a table; a lab's checks judge it (labs/06-scaled-up/checks/).
 *
 * "Noticed" is read from the servers, never guessed: a balancer's death is noticed when another one holds the virtual
 * IP (the supervisor's state), a web server's when the balancer in front marks it DOWN (HAProxy's statistics). Nginx
 * has no health checks: it notices a dead app server at the first refused connection, and passes that request on, so
 * the drill allows one second for the requests already under way. A server that is the only one of its role (the
 * database) is a single point of failure: its death is expected to fail the requests that need it.
 */
import { explain, judge, passes, seconds } from './drill-report.js';

/** How long the drill waits, in ms. Generous: a lab may share two cores with a browser and other labs. */
export const DRILL_TIMING = Object.freeze({
  /** Until the tier in front notices a death; longer counts as never. For app servers, which Nginx notices at the
   * first refused connection, the allowance for the requests under way. */
  notice: { balancer: 6000, web: 8000, app: 1000 },
  /** Until a server started again is back in rotation. */
  back: { balancer: 8000, web: 8000, app: 8000, database: 5000 },
  /** A returning balancer that held the virtual IP may take it back (preemption): the most to wait for that. */
  preempt: 12000,
  /** Before a kill, until the server is seen in rotation (a server started by the last drill may not be yet). */
  ready: 3000,
  /** Load kept on a dead server once its death was noticed, to see whether any request still fails. */
  settle: 1500,
  /** How long a single point of failure stays dead: long enough for health checks that depend on it to fail. */
  single: 7000,
  /** Before the drill: until every request succeeds and every checked server is UP. */
  baseline: 15000,
});
const CLIENTS = 4;
const PAUSE_MS = 100;
const REQUEST_TIMEOUT_MS = 4000;

/**
 * @typedef {import('./check-context.js').CheckContext} Lab
 * @typedef {import('./workspace.js').ServerSpec} ServerSpec
 * @typedef {import('./client.js').LabStateJson} LabStateJson
 * @typedef {import('./drill-report.js').Sample} Sample
 * @typedef {import('./drill-report.js').DrillRow} DrillRow
 */

/**
 * @param {Lab} lab
 * @param {{ only?: string[], paths?: string[], stopAtFirstFailure?: boolean, onEvent?: (server: string, text: string) => void }} [options]
 * @returns {Promise<{ paths: string[], rows: DrillRow[], sent: number }>}
 */
export async function runDrill(lab, { only, paths = ['/'], stopAtFirstFailure = false, onEvent = () => {} } = {}) {
  const servers = drillOrder(lab.topology.servers, only);
  await lab.expectUp(...lab.topology.servers.map((server) => server.name));
  const stats = await findStatsPages(lab);
  await waitForBaseline(lab, paths, stats);
  const load = startLoad(lab, paths);
  /** @type {DrillRow[]} */
  const rows = [];
  try {
    await lab.sleep(500);
    for (const spec of servers) {
      const row = await drillServer(lab, spec, { load, stats, onEvent, stopAtFirstFailure });
      rows.push(row);
      if (stopAtFirstFailure && !passes(row.outcome)) break;
    }
  } finally {
    await load.stop();
  }
  return { paths, rows, sent: load.samples.length };
}

/**
 * The servers to kill, in the topology's order; `only` names some of them.
 * @param {ServerSpec[]} servers
 * @param {string[]} [only]
 */
export function drillOrder(servers, only) {
  const unknown = (only ?? []).filter((name) => !servers.some((server) => server.name === name));
  if (unknown.length > 0) {
    throw new Error(`this lab has no server ${unknown.join(', ')}: its servers are ${servers.map((s) => s.name).join(', ')}`);
  }
  return only ? servers.filter((server) => only.includes(server.name)) : servers;
}

/**
 * Kills one server, watches who notices and what fails, starts it again and waits until it is back in rotation.
 * @param {Lab} lab
 * @param {ServerSpec} spec
 * @param {{ load: Load, stats: Map<string, string>, onEvent: (server: string, text: string) => void, stopAtFirstFailure: boolean }} context
 * @returns {Promise<DrillRow>}
 */
async function drillServer(lab, spec, { load, stats, onEvent, stopAtFirstFailure }) {
  const say = (/** @type {string} */ text) => onEvent(spec.name, text);
  const single = lab.topology.servers.filter((server) => server.role === spec.role).length === 1;
  const before = await lab.state();
  await waitForReturn(lab, spec, before, load.samples, Date.now() - 1000, DRILL_TIMING.ready);
  const front = frontBalancer(before, stats, spec.name);
  // Every balancer still running counts its own failed checks: read them all, so that a virtual IP changing hands
  // meanwhile (or no holder at the moment of reading) cannot hide a check that failed.
  const watched = [...stats].filter(([balancer]) => balancer !== spec.name);
  const checksBefore = await checkFailures(lab, watched);

  const killedAt = Date.now();
  await lab.kill(spec.name);
  say('killed');
  const patience = noticeLimit(spec.role);
  const notice = single ? { at: null, by: `nothing: it is the only ${spec.role} server` }
    : await waitForNotice(lab, spec, before, front, killedAt);
  say(notice.at === null ? (single ? 'the only one of its kind: nothing can take over' : `not noticed within ${seconds(patience)}`)
    : `noticed after ${seconds(notice.at - killedAt)}: ${notice.by}`);
  if (!(stopAtFirstFailure && notice.at === null && !single)) await lab.sleep(single ? DRILL_TIMING.single : DRILL_TIMING.settle);
  const checksAfter = await checkFailures(lab, watched);
  const phases = {
    spec, single, samples: load.samples, killedAt, noticedAt: notice.at, noticeLimitMs: patience, backLimitMs: backLimit(spec.role),
  };

  const startedAt = Date.now();
  const early = judge({ ...phases, startedAt, upAt: startedAt, backAt: startedAt, until: startedAt });
  await lab.start(spec.name);
  const upAt = Date.now();
  say(`up again after ${seconds(upAt - startedAt)}`);
  let back = { at: /** @type {number | null} */ (null), until: upAt };
  if (!stopAtFirstFailure || passes(early.outcome)) {
    const failoverMs = notice.at === null ? patience : notice.at - killedAt;
    back = await waitForReturn(lab, spec, before, load.samples, startedAt, backLimit(spec.role), failoverMs);
    say(back.at === null ? `not back in rotation within ${seconds(phases.backLimitMs)}` : `back in rotation ${seconds(back.at - upAt)} later`);
  }
  const row = judge({ ...phases, startedAt, upAt, backAt: back.at, until: back.until });
  row.noticedBy = notice.by;
  // A lab without a balancer's statistics has no health checks that could have failed.
  row.checksFailed = watched.length === 0 ? [] : checksFailedBetween(checksBefore, checksAfter, spec.name);
  row.message = explain(row);
  return row;
}

/**
 * When the tier in front noticed the death: `{ at: null }` when it did not within the drill's patience.
 * @param {Lab} lab
 * @param {ServerSpec} spec
 * @param {LabStateJson} before
 * @param {{ server: string, address: string } | null} front
 * @param {number} killedAt
 * @returns {Promise<{ at: number | null, by: string }>}
 */
async function waitForNotice(lab, spec, before, front, killedAt) {
  const limit = noticeLimit(spec.role);
  if (spec.role === 'balancer') {
    const owner = before.vip?.owner;
    if (!owner) return { at: killedAt, by: 'it held no virtual IP' };
    if (owner !== spec.name) {
      // After a failback the old master keeps relaying the address's port to the new one (vrrp/virtual-ip.js), and
      // its death cuts the connections under way through it: allow a second for those, as for Nginx below.
      await lab.sleep(Math.max(0, killedAt + DRILL_TIMING.notice.app - Date.now()));
      return { at: killedAt + DRILL_TIMING.notice.app, by: `${owner} held the virtual IP on its own` };
    }
    const moved = await poll(lab, async () => {
      const vip = (await lab.state()).vip;
      return vip?.owner && vip.owner !== spec.name ? vip.owner : null;
    }, limit);
    return { at: moved?.at ?? null, by: moved ? `${moved.value} took the virtual IP` : 'no other balancer took the virtual IP' };
  }
  if (spec.role === 'web') {
    if (!front) return { at: null, by: 'no balancer shows its statistics (`listen stats`), so nothing says whether HAProxy noticed' };
    const down = await poll(lab, async () => serverStatus(await lab.stats(front.address), spec.name).startsWith('DOWN'), limit);
    return { at: down?.at ?? null, by: `HAProxy on ${front.server} ${down ? 'marked it DOWN' : 'had not marked it DOWN'}` };
  }
  // Nginx, and a client such as the app, learn from the connection they are refused: allow the requests under way.
  await lab.sleep(Math.max(0, killedAt + limit - Date.now()));
  return { at: killedAt + limit, by: 'Nginx notices at the first refused connection' };
}

/**
 * When a server started again is back in rotation (`at`), and until when its return is watched (`until`: a balancer
 * that held the virtual IP may take it back a few seconds later).
 * @param {Lab} lab
 * @param {ServerSpec} spec
 * @param {LabStateJson} before
 * @param {Sample[]} samples
 * @param {number} since    requests sent from then on count
 * @param {number} limitMs
 * @param {number} [failoverMs] how long the other balancer took to take the virtual IP over
 * @returns {Promise<{ at: number | null, until: number }>}
 */
async function waitForReturn(lab, spec, before, samples, since, limitMs, failoverMs = 0) {
  const recent = () => samples.filter((sample) => sample.ok && sample.sentAt >= since);
  const webs = lab.topology.servers.filter((server) => server.role === 'web').map((server) => server.name);
  /** @type {() => Promise<boolean>} */
  let probe = async () => new Set(recent().map((sample) => sample.path)).size === new Set(samples.map((s) => s.path)).size;
  if (spec.role === 'web') probe = async () => recent().some((sample) => sample.servedBy === spec.name);
  if (spec.role === 'app' && webs.length > 0) {
    probe = async () => webs.every((web) => recent().some((sample) => sample.servedBy === web && sample.appServer === spec.name));
  }
  const vrrp = spec.services.some((service) => service.program === 'vrrp');
  if (spec.role === 'balancer' && vrrp) {
    probe = async () => ((await lab.server(spec.name)).vrrp ?? []).some((report) => ['MASTER', 'BACKUP'].includes(report.state ?? ''));
  }
  const back = await poll(lab, probe, limitMs);
  if (back && vrrp && before.vip?.owner === spec.name) {
    return { at: back.at, until: await waitForPreemption(lab, spec.name, failoverMs) };
  }
  return { at: back?.at ?? null, until: Date.now() };
}

/**
 * A balancer that held the virtual IP and now outranks the one holding it takes it back once it has heard nothing
 * better for a master-down interval, about as long as the failover took (preemption); with `nopreempt` it never
 * does. Waits for either, so that the next server's drill does not start in the middle of a move; returns when.
 * @param {Lab} lab
 * @param {string} name
 * @param {number} failoverMs
 */
async function waitForPreemption(lab, name, failoverMs) {
  let outranksSince = 0;
  const settled = await poll(lab, async () => {
    const state = await lab.state();
    const owner = state.vip?.owner;
    if (owner === name) return true;
    const priority = (/** @type {string} */ server) =>
      Math.max(0, ...(state.servers.find((s) => s.name === server)?.vrrp ?? []).map((report) => report.priority ?? 0));
    if (!owner || priority(name) <= priority(owner)) {
      outranksSince = 0;
      return false;
    }
    outranksSince ||= Date.now();
    return Date.now() - outranksSince > failoverMs + 3000;
  }, DRILL_TIMING.preempt);
  return settled?.at ?? Date.now();
}

/**
 * A steady load through the lab's entry: a few clients, each sending a request (for one of the paths) then pausing,
 * until stopped or the check runs out of time. Every answer is kept with the time it was sent.
 * @param {Lab} lab
 * @param {string[]} paths
 */
function startLoad(lab, paths) {
  /** @type {Sample[]} */
  const samples = [];
  let running = true;
  const client = async () => {
    while (running) {
      // A random path, not each in turn: in turn, it could keep step with a round robin and send every request
      // for one path to the same server.
      const path = paths[Math.floor(Math.random() * paths.length)];
      const sentAt = Date.now();
      /** @type {import('./lab-http.js').LabResponse} */
      let response;
      try {
        response = await lab.request(path, { timeoutMs: REQUEST_TIMEOUT_MS });
      } catch {
        return; // the check ran out of time
      }
      const ok = response.status > 0 && response.status < 500;
      samples.push({ path, sentAt, ok, error: response.error ?? `HTTP ${response.status}`, servedBy: response.servedBy, appServer: response.appServer });
      await lab.sleep(PAUSE_MS);
    }
  };
  const clients = Promise.all(Array.from({ length: CLIENTS }, client));
  return { samples, stop: async () => { running = false; await clients; } };
}

/** @typedef {ReturnType<typeof startLoad>} Load */

/**
 * Waits until every path answers and every balancer counts all its servers UP: a drill that starts while a server is
 * still coming up would blame the wrong one.
 * @param {Lab} lab
 * @param {string[]} paths
 * @param {Map<string, string>} stats
 */
async function waitForBaseline(lab, paths, stats) {
  await lab.waitFor(async () => {
    for (const path of paths) {
      const response = await lab.request(path);
      if (response.status === 0 || response.status >= 500) {
        throw new Error(`${path} through ${lab.topology.entry} failed (${response.error ?? `HTTP ${response.status}`})`);
      }
    }
    for (const [balancer, address] of stats) {
      const down = (await lab.stats(address)).filter((row) => isServerRow(row) && !/^(UP|no check)$/.test(row.status));
      if (down.length > 0) throw new Error(`HAProxy on ${balancer} counts ${down.map((row) => `${row.svname} ${row.status}`).join(', ')}`);
    }
    return true;
  }, { timeoutMs: DRILL_TIMING.baseline, intervalMs: 300, what: 'the lab to answer every request before the drill' })
    .catch((error) => {
      throw new Error(lab.signal.aborted ? error.message : `${error.message}. See \`lab ps\`, and \`lab logs\` for the server named.`);
    });
}

/**
 * Each balancer's statistics page, found once: the drill reads it to know when HAProxy marks a server DOWN.
 * @param {Lab} lab
 * @returns {Promise<Map<string, string>>} balancer name -> lab address of its stats page
 */
async function findStatsPages(lab) {
  const pages = new Map();
  for (const server of lab.topology.servers.filter((s) => s.role === 'balancer')) {
    const found = await lab.findStats(server.name);
    if (found) pages.set(server.name, found.address);
  }
  return pages;
}

/**
 * The balancer in front of the other tiers: the one holding the virtual IP, or else the first with statistics.
 * @param {LabStateJson} state
 * @param {Map<string, string>} stats
 * @param {string} killed
 */
function frontBalancer(state, stats, killed) {
  const owner = state.vip ? state.vip.owner : [...stats.keys()][0];
  const address = owner && owner !== killed ? stats.get(owner) : undefined;
  return owner && address ? { server: owner, address } : null;
}

/**
 * Each balancer's count of failed health checks per checked server, from its statistics; a balancer whose statistics
 * cannot be read (it is busy, or just restarting) is tried twice more, then left out.
 * @param {Lab} lab
 * @param {[string, string][]} balancers  name and stats page address of each
 * @returns {Promise<Map<string, Record<string, number>>>}
 */
async function checkFailures(lab, balancers) {
  const counts = new Map();
  for (const [balancer, address] of balancers) {
    for (let attempt = 0; attempt < 3 && !counts.has(balancer); attempt++) {
      if (attempt > 0) await lab.sleep(200);
      const rows = await lab.stats(address).catch(() => null);
      if (rows) counts.set(balancer, Object.fromEntries(rows.filter(isServerRow).map((row) => [row.svname, Number(row.chkfail) || 0])));
    }
  }
  return counts;
}

/**
 * The servers (other than the one killed) whose health checks failed between two readings, on any balancer read
 * both times; null when no balancer was (then nothing is known, which a check must not take for "none failed").
 * A balancer whose count went down was restarted meanwhile: its count after is all new.
 * @param {Map<string, Record<string, number>>} before
 * @param {Map<string, Record<string, number>>} after
 * @param {string} killed
 * @returns {string[] | null}
 */
export function checksFailedBetween(before, after, killed) {
  const read = [...after.keys()].filter((balancer) => before.has(balancer));
  if (read.length === 0) return null;
  const failed = new Set();
  for (const balancer of read) {
    const [then, now] = [/** @type {Record<string, number>} */ (before.get(balancer)), /** @type {Record<string, number>} */ (after.get(balancer))];
    for (const [server, count] of Object.entries(now)) {
      const earlier = then[server] ?? 0;
      if (server !== killed && count > (count < earlier ? 0 : earlier)) failed.add(server);
    }
  }
  return [...failed].sort();
}

/** @param {Record<string, string>} row a line of HAProxy's statistics */
function isServerRow(row) {
  return row.pxname !== 'stats' && row.svname !== 'FRONTEND' && row.svname !== 'BACKEND';
}

/** @param {Record<string, string>[]} rows @param {string} server */
function serverStatus(rows, server) {
  return rows.find((row) => isServerRow(row) && row.svname === server)?.status ?? '';
}

/**
 * Calls `probe` every 100 ms until it returns something truthy: `{ value, at }`, or null after `limitMs`.
 * @template T
 * @param {Lab} lab
 * @param {() => Promise<T>} probe
 * @param {number} limitMs
 * @returns {Promise<{ value: T, at: number } | null>}
 */
async function poll(lab, probe, limitMs) {
  try {
    const value = await lab.waitFor(probe, { timeoutMs: limitMs, intervalMs: 100 });
    return { value, at: Date.now() };
  } catch (error) {
    if (lab.signal.aborted) throw error;
    return null;
  }
}

/** @param {string} role */
function noticeLimit(role) {
  return role === 'balancer' || role === 'web' ? DRILL_TIMING.notice[role] : DRILL_TIMING.notice.app;
}

/** @param {string} role */
function backLimit(role) {
  return role in DRILL_TIMING.back ? DRILL_TIMING.back[/** @type {keyof DRILL_TIMING['back']} */ (role)] : DRILL_TIMING.back.app;
}

