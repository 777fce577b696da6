// @ts-check
/**
 * HAProxy against the miniature balancer, each started in turn with the same haproxy.cfg in front of the same
 * stand-in servers (backend.js): the order of the servers chosen (round robin, weighted, static-rr), `balance source`
 * mappings, leastconn shares, a server killed under load (time to DOWN and UP from the stats CSV, failed requests),
 * and retries with and without `retry-on conn-failure` and `option redispatch`. Ports 26000-26199.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { HAPROXY } from '../kit/balancer/test-support/harness.js';
import { KIT, kill, listening, load, request, seconds, sleep, start, startBackend, tempFolder, waitFor } from './common.js';

const PORT = 26000;
const SERVER_PORTS = [26011, 26012, 26013];
const NAMES = ['s1', 's2', 's3'];
/** The checks of every timed scenario, short so that the run stays short. */
const INTER = 1;
const FALL = 2;
const RISE = 2;
/** Polling the stats page and the scheduling of a loaded machine: a second's slack on a figure in seconds. */
const SLACK = 0.5;
/** The clients that keep the balancer under load while a server is killed. */
const CLIENTS = 4;

/** @typedef {import('./common.js').Finding} Finding */
/** @typedef {'real' | 'mini'} Side */

/**
 * @param {{ balance: string, servers: number, weights?: number[], checks?: boolean, httpchk?: boolean,
 *   redispatch?: boolean }} options
 */
function config({ balance, servers, weights = [], checks = false, httpchk = false, redispatch = false }) {
  const lines = ['global', '    nbthread 1', 'defaults', '    mode http', '    timeout connect 2s', '    timeout client 10s',
    '    timeout server 10s', 'frontend www', `    bind 127.0.0.1:${PORT}`, '    stats enable', '    stats uri /stats',
    '    default_backend app', 'backend app', `    balance ${balance}`,
    ...(httpchk ? ['    option httpchk GET /'] : []),
    ...(redispatch ? ['    retry-on conn-failure', '    option redispatch'] : []),
    ...(checks ? [`    default-server inter ${INTER}s fall ${FALL} rise ${RISE}`] : [])];
  for (let i = 0; i < servers; i++) {
    lines.push(`    server ${NAMES[i]} 127.0.0.1:${SERVER_PORTS[i]}${weights[i] ? ` weight ${weights[i]}` : ''}${checks ? ' check' : ''}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Runs the real HAProxy or the miniature on a file until `stop`.
 * @param {Side} side
 * @param {string} text
 */
async function startBalancer(side, text) {
  const dir = tempFolder('haproxy');
  const file = path.join(dir, 'haproxy.cfg');
  writeFileSync(file, text);
  const child = side === 'real' ? start(HAPROXY, ['-db', '-f', file]) : start(process.execPath, [path.join(KIT, 'balancer'), '-f', file], {
    env: { ...process.env, LAB_NETWORK: '', LAB_CONTROL: '' },
  });
  await waitFor(() => listening(PORT) || child.exitCode !== null, 10_000, `${side} balancer on ${PORT}`);
  if (child.exitCode !== null) throw new Error(`the ${side} balancer exited:\n${child.output()}`);
  return child;
}

/**
 * Starts the servers and the balancer, runs `work`, stops them all.
 * @template T
 * @param {Side} side
 * @param {Parameters<typeof config>[0] & { delays?: number[] }} options
 * @param {(servers: Awaited<ReturnType<typeof startBackend>>[]) => Promise<T>} work
 * @returns {Promise<T>}
 */
async function withBalancer(side, options, work) {
  const servers = await Promise.all(NAMES.slice(0, options.servers).map((name, i) =>
    startBackend(name, SERVER_PORTS[i], { delayMs: options.delays?.[i] ?? 0 })));
  const balancer = await startBalancer(side, config(options));
  try {
    return await work(servers);
  } finally {
    await Promise.all([balancer, ...servers].map(kill));
  }
}

/** @param {number} count */
async function sequence(count) {
  const names = [];
  for (let i = 0; i < count; i++) names.push((await request(PORT)).body.trim() || 'failed');
  return names.join(' ');
}

/**
 * A server's status on the stats CSV (`UP`, `DOWN`, `UP 1/2`, ...).
 * @param {string} server
 */
async function status(server) {
  const { body } = await request(PORT, { path: '/stats;csv', timeoutMs: 2000 });
  const [header = '', ...rows] = body.trim().split('\n');
  const column = header.replace(/^# /, '').split(',').indexOf('status');
  return rows.map((row) => row.split(',')).find((cells) => cells[0] === 'app' && cells[1] === server)?.[column] ?? '';
}

/**
 * s1 and s2 under load (CLIENTS clients); s2 is killed, then started again. Times from the kill to DOWN and from the
 * moment it listens again to UP, read on the stats page; of the requests sent from just before the kill to DOWN,
 * those that failed and those slower than 500 ms.
 * @param {Side} side
 * @param {{ httpchk?: boolean, redispatch?: boolean }} options
 */
function killUnderLoad(side, options) {
  return withBalancer(side, { balance: 'roundrobin', servers: 2, checks: true, ...options }, async (servers) => {
    await waitFor(async () => (await status('s2')) === 'UP', 10_000, 's2 UP');
    const traffic = load(PORT, CLIENTS);
    await sleep(1000);
    const killed = Date.now();
    await kill(servers[1]);
    const down = await waitFor(async () => (await status('s2')) === 'DOWN', 15_000, `${side}: s2 DOWN`, 50);
    await sleep(500);
    const again = await startBackend('s2', SERVER_PORTS[1]);
    const restarted = again.listeningAt;
    const up = await waitFor(async () => (await status('s2')) === 'UP', 15_000, `${side}: s2 UP`, 50);
    await sleep(500);
    // Only the requests sent while the dead server was still UP (a cold start's first ones, or a stall of a loaded
    // machine at another moment, would count as slow otherwise; none fails after DOWN).
    const replies = (await traffic.stop()).filter((r) => r.start >= killed - 500 && r.start <= down);
    await kill(again);
    return {
      down: seconds(down - killed), up: seconds(up - restarted),
      failed: replies.filter((r) => r.status !== 200).length,
      slow: replies.filter((r) => r.end - r.start > 500).length,
    };
  });
}

/**
 * @param {Side} side
 * @param {number} servers
 */
function sourceMapping(side, servers) {
  return withBalancer(side, { balance: 'source', servers }, async () => {
    const names = [];
    for (let i = 1; i <= 16; i++) names.push((await request(PORT, { localAddress: `127.0.0.${i}` })).body.trim() || 'failed');
    return names.join(' ');
  });
}

/**
 * A fast server (10 ms) and a slow one (200 ms), 8 clients for 3 s: the fast one's share of the answers.
 * @param {Side} side
 */
function leastconnShare(side) {
  return withBalancer(side, { balance: 'leastconn', servers: 2, delays: [10, 200] }, async () => {
    const traffic = load(PORT, 8);
    await sleep(3000);
    const replies = await traffic.stop();
    return Math.round((replies.filter((r) => r.body.trim() === 's1').length / replies.length) * 100) / 100;
  });
}

/** @returns {Promise<Finding[]>} */
export async function balancerFindings() {
  /** @type {Finding[]} */
  const findings = [];
  /**
   * @param {string} id @param {string} scenario @param {string} figure
   * @param {(side: Side) => Promise<any>} measure
   * @param {(real: any) => import('./common.js').Range} range @param {string} why
   */
  const compare = async (id, scenario, figure, measure, range, why) => {
    const real = await measure('real');
    const mini = await measure('mini');
    findings.push({ family: 'balancer', id, scenario, figure, real, mini, range: range(real), why });
  };
  const exact = (/** @type {string} */ real) => ({ exact: real });
  const sameAsReal = 'a deterministic algorithm: the same order, request for request';

  for (const [id, balance, weights] of /** @type {const} */ ([['roundrobin', 'roundrobin', []],
    ['weighted-roundrobin', 'roundrobin', [3, 2, 1]], ['static-rr', 'static-rr', [3, 2, 1]]])) {
    await compare(`balancer/${id}`, `balance ${balance}${weights.length ? `, weights ${weights.join(', ')}` : ''}, 3 servers`,
      'servers of 12 requests in a row', (side) => withBalancer(side, { balance, servers: 3, weights: [...weights] }, () => sequence(12)),
      exact, sameAsReal);
  }
  for (const servers of [2, 3]) {
    await compare(`balancer/source-${servers}`, `balance source, ${servers} servers`, 'server of clients 127.0.0.1 to .16',
      (side) => sourceMapping(side, servers), exact, 'a hash of the client address over the weights: the same mapping');
  }
  // leastconn sends each request to the server with fewer requests in flight, round robin among equals. When the
  // clients keep both servers busy, the in-flight counts stay equal and each server's share goes as its rate,
  // 1 / (latency + the client's 20 ms pause); when they are slow to send (a loaded machine), both servers are often
  // idle at a choice, and the ties make it round robin: a half each.
  const model = (1 / 30) / (1 / 30 + 1 / 220);
  await compare('balancer/leastconn', 'balance leastconn, s1 answers in 10 ms, s2 in 200 ms, 8 clients',
    "s1's share of the answers", leastconnShare, () => ({ min: 0.5, max: Math.round((model + 0.05) * 100) / 100 }),
    `from 0.5 (ties, round robin) to the busy servers' (1/30 ms) / (1/30 ms + 1/220 ms) = ${model.toFixed(2)}, +0.05`);

  for (const httpchk of [false, true]) {
    const kind = httpchk ? 'option httpchk' : 'TCP checks';
    const runs = { real: await killUnderLoad('real', { httpchk }), mini: await killUnderLoad('mini', { httpchk }) };
    const base = `s2 of 2 killed under load, then restarted; ${kind}, inter ${INTER}s fall ${FALL} rise ${RISE}`;
    const id = httpchk ? 'httpchk' : 'tcp-check';
    findings.push({ family: 'balancer', id: `balancer/down-${id}`, scenario: base, figure: 'time from the kill to DOWN, s',
      real: runs.real.down, mini: runs.mini.down, range: { min: INTER * (FALL - 1), max: INTER * FALL + SLACK },
      why: `the first failed check comes 0 to inter after the kill, DOWN at the fall-th: (fall-1)*inter to fall*inter, +${SLACK} s for polling` });
    findings.push({ family: 'balancer', id: `balancer/up-${id}`, scenario: base, figure: 'time from listening again to UP, s',
      real: runs.real.up, mini: runs.mini.up, range: { min: INTER * (RISE - 1), max: INTER * RISE + SLACK },
      why: `(rise-1)*inter to rise*inter, +${SLACK} s for polling` });
    findings.push({ family: 'balancer', id: `balancer/failed-${id}`, scenario: `${base}; retries 3, no redispatch`,
      figure: `failed requests (${CLIENTS} clients)`, real: runs.real.failed, mini: runs.mini.failed, range: { min: 0, max: 2 * CLIENTS },
      why: 'per client at most the request in flight at the kill, and one sent to the dead server that runs out of retries before DOWN' });
    findings.push({ family: 'balancer', id: `balancer/slow-${id}`, scenario: `${base}; retries 3, no redispatch`,
      figure: 'requests slower than 500 ms', real: runs.real.slow, mini: runs.mini.slow, range: { min: 1, max: 2 * CLIENTS },
      why: 'round robin sends a request to the dead server before DOWN, and its retries wait the 1 s turn-around there: at least one is slow, at most two a client' });
  }
  const runs = { real: await killUnderLoad('real', { redispatch: true }), mini: await killUnderLoad('mini', { redispatch: true }) };
  const base = 'the same kill with retry-on conn-failure and option redispatch';
  findings.push({ family: 'balancer', id: 'balancer/failed-redispatch', scenario: base, figure: `failed requests (${CLIENTS} clients)`,
    real: runs.real.failed, mini: runs.mini.failed, range: { min: 0, max: CLIENTS },
    why: 'a refused connection is retried on the other server at once; only a request in flight at the kill fails: one a client at most' });
  findings.push({ family: 'balancer', id: 'balancer/slow-redispatch', scenario: base, figure: 'requests slower than 500 ms',
    real: runs.real.slow, mini: runs.mini.slow, range: { min: 0, max: 1 },
    why: 'no turn-around pause when the retry goes to another server: none is slow by design; one is allowed, as a loaded machine can hold any request past 500 ms (the real HAProxy had 1 and 2 in two of six runs here), against one a client without redispatch' });
  return findings;
}
