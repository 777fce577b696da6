// @ts-check
/**
 * The miniature against the real programs, where they are installed:
 *   (a) failover time: the kit's vrrp daemon and keepalived (in network namespaces, root needed) with the same
 *       keepalived.conf, `advert_int 1`: the master's power is cut, the time until the backup enters MASTER.
 *       FAILOVER_ROUNDS power cuts each, the two side by side; medians. Goal: the miniature within 20 % of keepalived.
 *   (b) the miniature balancer, HAProxy (nbthread 1) and nginx (one worker process) in front of the same two
 *       backends, driven by the same load generator (keep-alive connections, a fixed number of requests in flight,
 *       in two processes): requests per second, latency p50 and p99, and the proxy's peak RSS. Each subject is
 *       warmed up, then measured ROUNDS times in turn; medians.
 * Progress goes to stderr; the last stdout line is the JSON result. Ports 26800-26899.
 * Roles: `node real.bench.mjs` runs everything; `--backends` is its child; the load comes from
 * `balancer.bench.mjs --load`.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { HAPROXY } from '../labs/kit/balancer/test-support/harness.js';
import { keepalivedSkipReason } from '../labs/kit/vrrp/testing/real-keepalived.js';
import { NGINX, prepareForNginx } from '../labs/kit/web/harness.js';
import { cleanUp, listening, start, tempFolder, waitFor } from '../labs/real-vs-mini/common.js';
import { MiniRouters, RealRouters } from '../labs/real-vs-mini/routers.js';
import { routerConf } from '../labs/real-vs-mini/vrrp.js';

const SELF = fileURLToPath(import.meta.url);
/** The load generator is the balancer benchmark's own (`--load`): the same client measures both benchmarks. */
const LOAD = fileURLToPath(new URL('./balancer.bench.mjs', import.meta.url));
const BALANCER = fileURLToPath(new URL('../labs/kit/balancer/index.js', import.meta.url));
const ROUNDS = 3;
/**
 * A power cut lands anywhere in the master's advertisement interval, so one failover takes from 3 x advert_int + skew - 1 s
 * to 3 x advert_int + skew: medians of 3 differed by 12 % and 21 % in two runs of the same code. Seven cuts a side.
 */
const FAILOVER_ROUNDS = 7;
const MEASURE_MS = 3000;
const CONNECTIONS = 32;
const BACKEND_PORTS = [26811, 26812];
const PORTS = { mini: 26801, haproxy: 26802, nginx: 26803 };
const BODY = 'hello from the backend\n'.repeat(4);

/** @param {string} message */
const note = (message) => process.stderr.write(`${message}\n`);
/** @param {number[]} values */
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Two backends in this process. */
function runBackends() {
  for (const [i, port] of BACKEND_PORTS.entries()) {
    const server = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(BODY), 'x-served-by': `web-0${i + 1}` });
      res.end(BODY);
    });
    server.keepAliveTimeout = 60_000;
    server.listen(port, '127.0.0.1', () => process.stdout.write('ready\n'));
  }
}

/** @param {number | undefined} pid */
function residentMiB(pid) {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

/**
 * One measurement of a subject: requests per second, p50, p99, its peak RSS meanwhile.
 * @param {number} port @param {number | undefined} pid
 */
async function measure(port, pid) {
  let rss = 0;
  const sampler = setInterval(() => { rss = Math.max(rss, residentMiB(pid)); }, 200);
  const runs = await Promise.all([0, 1].map(async () => {
    const load = start(process.execPath, [LOAD, '--load', String(port), String(MEASURE_MS), String(CONNECTIONS / 2)]);
    await new Promise((resolve) => load.once('exit', resolve));
    return /** @type {{ latencies: number[], errors: number }} */ (JSON.parse(load.output().trim().split('\n').at(-1) ?? '{}'));
  }));
  clearInterval(sampler);
  const latencies = runs.flatMap((run) => run.latencies).sort((a, b) => a - b);
  const at = (/** @type {number} */ q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return { rps: latencies.length / (MEASURE_MS / 1000), p50: at(0.5), p99: at(0.99), rss, errors: runs.reduce((sum, run) => sum + run.errors, 0) };
}

/** The proxies, each on its port; the miniature and HAProxy read the same haproxy.cfg but for its bind line. */
async function startProxies() {
  const dir = tempFolder('bench');
  const haproxyCfg = (/** @type {number} */ port, /** @type {boolean} */ real) => `global
${real ? '    nbthread 1\n' : ''}defaults
    mode http
    timeout connect 2s
    timeout client 30s
    timeout server 30s
frontend www
    bind 127.0.0.1:${port}
    default_backend web
backend web
    balance roundrobin
${BACKEND_PORTS.map((p, i) => `    server web-0${i + 1} 127.0.0.1:${p}`).join('\n')}
`;
  /** @type {Array<[string, number, import('node:child_process').ChildProcess]>} */
  const subjects = [];
  writeFileSync(path.join(dir, 'mini.cfg'), haproxyCfg(PORTS.mini, false));
  subjects.push(['miniature balancer', PORTS.mini, start(process.execPath, [BALANCER, '-f', path.join(dir, 'mini.cfg')], {
    stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, LAB_NETWORK: '', LAB_CONTROL: '' } })]);
  if (existsSync(HAPROXY)) {
    writeFileSync(path.join(dir, 'real.cfg'), haproxyCfg(PORTS.haproxy, true));
    subjects.push(['HAProxy (nbthread 1)', PORTS.haproxy, start(HAPROXY, ['-db', '-f', path.join(dir, 'real.cfg')])]);
  } else note(`HAProxy skipped: not installed at ${HAPROXY}`);
  if (NGINX) {
    writeFileSync(path.join(dir, 'nginx.conf'), `worker_processes 1;
events { worker_connections 1024; }
http {
    access_log off;
    upstream web {
${BACKEND_PORTS.map((p) => `        server 127.0.0.1:${p};`).join('\n')}
        keepalive 32;
    }
    server {
        listen 127.0.0.1:${PORTS.nginx};
        location / { proxy_pass http://web; proxy_http_version 1.1; proxy_set_header Connection ""; }
    }
}
`);
    const file = await prepareForNginx(path.join(dir, 'nginx.conf'), dir);
    subjects.push(['nginx (1 worker)', PORTS.nginx, start(NGINX, ['-p', `${dir}/`, '-c', file, '-e', 'stderr', '-g', 'daemon off; master_process off;'],
      { stdio: ['ignore', 'ignore', 'pipe'] })]);
  } else note('nginx skipped: not installed');
  for (const [name, port] of subjects) await waitFor(() => listening(port), 10_000, name);
  return subjects;
}

/** The balancers' figures: rows. */
async function balancers() {
  const backends = start(process.execPath, [SELF, '--backends']);
  await waitFor(() => backends.output().split('ready').length > BACKEND_PORTS.length, 10_000, 'the backends');
  const subjects = await startProxies();
  for (const [, port, child] of subjects) await measure(port, child.pid);
  /** @type {Record<string, Awaited<ReturnType<typeof measure>>[]>} */
  const results = {};
  for (let round = 1; round <= ROUNDS; round++) {
    for (const [name, port, child] of round % 2 ? subjects : [...subjects].reverse()) {
      const result = await measure(port, child.pid);
      note(`round ${round} ${name.padEnd(22)} ${Math.round(result.rps)} req/s, p50 ${result.p50.toFixed(2)} ms, p99 ${result.p99.toFixed(2)} ms, RSS ${result.rss.toFixed(1)} MiB, errors ${result.errors}`);
      (results[name] ??= []).push(result);
    }
  }
  return Object.entries(results).flatMap(([subject, runs]) => [
    { subject, metric: 'throughput', value: Math.round(median(runs.map((r) => r.rps))), unit: 'req/s' },
    { subject, metric: 'p50 latency', value: Number(median(runs.map((r) => r.p50)).toFixed(2)), unit: 'ms' },
    { subject, metric: 'p99 latency', value: Number(median(runs.map((r) => r.p99)).toFixed(2)), unit: 'ms' },
    { subject, metric: 'peak RSS under load', value: Number(Math.max(...runs.map((r) => r.rss)).toFixed(1)), unit: 'MiB' },
    { subject, metric: 'errors', value: runs.reduce((sum, r) => sum + r.errors, 0), unit: 'responses' },
  ]);
}

/**
 * Failover times, one side: FAILOVER_ROUNDS power cuts of the master, each on fresh routers.
 * @param {() => Promise<import('../labs/real-vs-mini/routers.js').Routers>} open
 * @param {string} label
 */
async function failovers(open, label) {
  const times = [];
  for (let round = 1; round <= FAILOVER_ROUNDS; round++) {
    const routers = await open();
    try {
      const began = Date.now();
      const master = (/** @type {'lb-01' | 'lb-02'} */ server, /** @type {number} */ since) =>
        routers.lines(server).some((l) => l.time >= since && /Entering MASTER STATE/.test(l.text));
      await routers.powerOn('lb-01', routerConf('lb-01', 1, false));
      await routers.powerOn('lb-02', routerConf('lb-02', 1, false));
      await waitFor(() => master('lb-01', began), 15_000, `${label}: lb-01 MASTER`, 10);
      await new Promise((resolve) => setTimeout(resolve, 1000 + Math.random() * 1000));
      const cut = Date.now();
      await routers.powerOff('lb-01');
      await waitFor(() => master('lb-02', cut), 15_000, `${label}: lb-02 MASTER`, 10);
      const time = (routers.lines('lb-02').find((l) => l.time >= cut && /Entering MASTER STATE/.test(l.text))?.time ?? cut) - cut;
      note(`failover round ${round} ${label}: ${time} ms`);
      times.push(time);
    } finally {
      await routers.close();
    }
  }
  return median(times);
}

async function main() {
  process.on('exit', cleanUp);
  /** @type {Array<{ subject: string, metric: string, value: number, unit: string }>} */
  const rows = [];
  const goals = [];
  const noNamespaces = keepalivedSkipReason();
  if (noNamespaces) {
    note(`failover skipped: ${noNamespaces}`);
  } else {
    const [real, mini] = await Promise.all([failovers(async () => new RealRouters(), 'keepalived'), failovers(() => MiniRouters.open(), 'miniature')]);
    rows.push({ subject: 'keepalived 2.2', metric: 'failover, advert_int 1 (median)', value: real, unit: 'ms' },
      { subject: 'miniature vrrp', metric: 'failover, advert_int 1 (median)', value: mini, unit: 'ms' });
    const off = Math.abs(mini - real) / real;
    goals.push({ goal: "miniature failover within 20 % of keepalived's (advert_int 1)", met: off <= 0.2,
      detail: `${mini} ms vs ${real} ms: ${Math.round(off * 100)} % apart (medians of ${FAILOVER_ROUNDS} power cuts each)` });
  }
  rows.push(...await balancers());
  process.stdout.write(`${JSON.stringify({ name: 'real', title: 'The miniature against the real programs', rows, goals })}\n`);
}

if (process.argv[2] === '--backends') runBackends();
else {
  try {
    await main();
  } finally {
    cleanUp();
  }
}
