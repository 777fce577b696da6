// @ts-check
/**
 * Throughput and latency of the miniature balancer on loopback, next to its peers, all driven by the same load
 * generator (raw HTTP/1.1 over keep-alive connections, a fixed number of requests in flight, so that it stays cheap;
 * in two processes of half the connections each, so that one busy generator cannot cap the fastest subject) against
 * the same two backends (their own process):
 *   (a) a direct connection to one backend: the ceiling;
 *   (b) the miniature balancer, round robin over the two backends;
 *   (c) the npm package http-proxy as a round-robin proxy over the same two, with a keep-alive agent per backend;
 *   (d) the real HAProxy (/usr/sbin/haproxy, or HAPROXY_BIN) with the equivalent configuration, when installed.
 * Both balancers log one line per request (to /dev/null) and the real HAProxy runs one thread, like Node.js.
 * Besides requests per second and latency: the CPU time each proxy spends per request (from /proc, so less sensitive
 * to other work on a shared machine than throughput), the miniature's peak RSS, and how busy the generator was.
 * Every subject is warmed up once, then measured in ROUNDS rounds, in turn, the order reversed every other round;
 * medians are reported, and ratios are medians of the ratios within each round.
 * Progress goes to stderr; the last stdout line is the JSON.
 *
 * Roles: `node balancer.bench.mjs` runs everything; `--backends` and `--load PORT MS CONNECTIONS` are its children.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SELF = fileURLToPath(import.meta.url);
const BALANCER = fileURLToPath(new URL('../labs/kit/balancer/index.js', import.meta.url));
const HAPROXY = process.env.HAPROXY_BIN ?? '/usr/sbin/haproxy';
const ROUNDS = 5;
const WARMUP_MS = 500;
const MEASURE_MS = 3000;
const CONCURRENCY = 32;
const LOAD_PROCESSES = 2;
const BODY = 'hello from the backend\n'.repeat(4);
/** @type {import('node:child_process').ChildProcess[]} */
const children = [];

/** Two backends in this process; prints their ports as JSON. */
function runBackends() {
  /** @type {number[]} */
  const ports = [];
  let pending = 2;
  for (const name of ['web-01', 'web-02']) {
    const server = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(BODY), 'x-served-by': name });
      res.end(BODY);
    });
    server.keepAliveTimeout = 60_000;
    server.listen(0, '127.0.0.1', () => {
      ports.push(/** @type {net.AddressInfo} */ (server.address()).port);
      if (--pending === 0) process.stdout.write(`${JSON.stringify(ports)}\n`);
    });
  }
}

/**
 * The load generator: `connections` keep-alive connections, each sending its next GET as soon as the previous
 * response is complete, for `durationMs` after a warm-up. Prints, as JSON, the latencies of the requests measured,
 * all requests sent (warm-up included), errors, and the CPU time it used itself.
 * @param {number} port
 * @param {number} durationMs
 * @param {number} connections
 */
function runLoad(port, durationMs, connections) {
  const request = Buffer.from(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
  /** @type {number[]} */
  const latencies = [];
  let sent = 0;
  let errors = 0;
  let measuring = false;
  let stopped = false;
  const started = performance.now();
  setTimeout(() => { measuring = true; }, WARMUP_MS);
  setTimeout(() => {
    stopped = true;
    const { user, system } = process.cpuUsage();
    const elapsedMs = performance.now() - started;
    const result = JSON.stringify({ latencies, sent, errors, cpuMs: (user + system) / 1000, elapsedMs });
    process.stdout.write(`${result}\n`, () => process.exit(0)); // a pipe takes a large write in pieces: exit after
  }, WARMUP_MS + durationMs);

  const connect = () => {
    const socket = net.connect(port, '127.0.0.1');
    socket.setNoDelay(true);
    let buffer = Buffer.alloc(0);
    let sentAt = 0;
    const send = () => {
      if (stopped) return;
      sent++;
      sentAt = performance.now();
      socket.write(request);
    };
    socket.on('connect', send);
    socket.on('data', (data) => {
      buffer = buffer.length ? Buffer.concat([buffer, data]) : data;
      for (;;) {
        const end = buffer.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = buffer.subarray(0, end).toString('latin1');
        const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
        if (buffer.length < end + 4 + length) return;
        if (!head.startsWith('HTTP/1.1 200')) errors++;
        else if (measuring) latencies.push(Math.round((performance.now() - sentAt) * 1000) / 1000);
        buffer = buffer.subarray(end + 4 + length);
        send();
      }
    });
    socket.on('error', () => { errors++; });
    socket.on('close', () => { if (!stopped) setTimeout(connect, 10); });
  };
  for (let i = 0; i < connections; i++) connect();
}

/** @param {string} message */
function note(message) {
  process.stderr.write(`${message}\n`);
}

/**
 * @param {string} command
 * @param {string[]} args
 * @param {{ stdout?: 'pipe' | 'ignore' }} [options]
 */
function start(command, args, { stdout = 'ignore' } = {}) {
  const child = spawn(command, args, { stdio: ['ignore', stdout, 'inherit'] });
  children.push(child);
  return child;
}

/** @param {number} port */
async function waitForPort(port) {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const ok = await new Promise((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => { s.destroy(); resolve(true); });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nothing listens on ${port}`);
}

/** @returns {Promise<number>} a free loopback port (in the balancer's range, 20000-20999) */
async function freePort() {
  for (;;) {
    const port = 20000 + Math.floor(Math.random() * 1000);
    const free = await new Promise((resolve) => {
      const probe = net.createServer().once('error', () => resolve(false)).listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
    });
    if (free) return port;
  }
}

/**
 * CPU time (user + system) a process has used so far, in ms; undefined where there is no /proc.
 * @param {number | undefined} pid
 */
function cpuTimeMs(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10; // clock ticks of 10 ms (USER_HZ 100)
  } catch {
    return undefined;
  }
}

/** @param {number} pid */
function residentKiB(pid) {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/**
 * @typedef {{ requests: number, errors: number, rps: number, p50: number, p99: number, cpuUsPerRequest?: number,
 *   loaderBusy: number, rssMiB?: number }} Measurement
 */

/**
 * Runs the load generator (LOAD_PROCESSES processes) against a port; meanwhile measures the CPU time of the
 * process `pid` (the subject) and, with `watchRss`, samples its RSS.
 * @param {number} port
 * @param {number | undefined} pid
 * @param {boolean} [watchRss]
 * @returns {Promise<Measurement>}
 */
async function measure(port, pid, watchRss = false) {
  let peakRss = 0;
  const sampler = watchRss && pid ? setInterval(() => { peakRss = Math.max(peakRss, residentKiB(pid)); }, 200) : undefined;
  const cpuBefore = cpuTimeMs(pid);
  const runs = await Promise.all(Array.from({ length: LOAD_PROCESSES }, async () => {
    const load = start(process.execPath, [SELF, '--load', String(port), String(MEASURE_MS), String(CONCURRENCY / LOAD_PROCESSES)], { stdout: 'pipe' });
    let output = '';
    load.stdout?.on('data', (d) => { output += d; });
    await new Promise((resolve) => load.on('exit', resolve));
    return /** @type {{ latencies: number[], sent: number, errors: number, cpuMs: number, elapsedMs: number }} */ (JSON.parse(output));
  }));
  const cpuAfter = cpuTimeMs(pid);
  clearInterval(sampler);
  const latencies = runs.flatMap((run) => run.latencies).sort((a, b) => a - b);
  const at = (/** @type {number} */ q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  const sent = runs.reduce((sum, run) => sum + run.sent, 0);
  return {
    requests: latencies.length,
    errors: runs.reduce((sum, run) => sum + run.errors, 0),
    rps: latencies.length / (MEASURE_MS / 1000),
    p50: at(0.5),
    p99: at(0.99),
    cpuUsPerRequest: cpuBefore === undefined || cpuAfter === undefined || !pid ? undefined : ((cpuAfter - cpuBefore) * 1000) / sent,
    loaderBusy: Math.max(...runs.map((run) => run.cpuMs / run.elapsedMs)),
    ...(peakRss ? { rssMiB: Math.round(peakRss / 102.4) / 10 } : {}),
  };
}

async function main() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'balancer-bench-'));
  const cleanup = () => {
    for (const child of children) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  process.on('exit', cleanup);
  try {
    const backends = start(process.execPath, [SELF, '--backends'], { stdout: 'pipe' });
    /** @type {number[]} */
    const [web1, web2] = await new Promise((resolve) => backends.stdout?.once('data', (d) => resolve(JSON.parse(String(d)))));

    const oursPort = await freePort();
    writeFileSync(path.join(dir, 'ours.cfg'), haproxyConfig(oursPort, web1, web2, false));
    const ours = start(process.execPath, [BALANCER, '-f', path.join(dir, 'ours.cfg')]);
    const proxyPort = await freePort();
    writeFileSync(path.join(dir, 'http-proxy.cjs'), httpProxyScript(proxyPort, web1, web2));
    const httpProxy = start(process.execPath, [path.join(dir, 'http-proxy.cjs')]);
    /** @type {[string, number, number | undefined][]} subject, port, pid of the proxy */
    const subjects = [['direct', web1, undefined], ['ours', oursPort, ours.pid], ['httpProxy', proxyPort, httpProxy.pid]];
    if (existsSync(HAPROXY)) {
      const realPort = await freePort();
      writeFileSync(path.join(dir, 'real.cfg'), haproxyConfig(realPort, web1, web2, true));
      const haproxy = start(HAPROXY, ['-f', path.join(dir, 'real.cfg'), '-q']);
      subjects.push(['haproxy', realPort, haproxy.pid]);
    } else {
      note(`(d) skipped: the real HAProxy is not installed at ${HAPROXY}`);
    }
    for (const [, port] of subjects) await waitForPort(port);

    // A warm-up run each (the JIT compiles the hot paths, the connection pools fill), not counted. Then rounds, each
    // subject in turn, so that a passing load on this shared machine hits them all alike; the order is reversed every
    // other round, so that no subject always follows the same one.
    for (const [, port, pid] of subjects) await measure(port, pid);
    /** @type {Record<string, Measurement[]>} */
    const results = {};
    for (let round = 1; round <= ROUNDS; round++) {
      for (const [name, port, pid] of round % 2 ? subjects : [...subjects].reverse()) {
        const result = await measure(port, pid, name === 'ours');
        const cpu = result.cpuUsPerRequest === undefined ? '' : `, CPU ${result.cpuUsPerRequest.toFixed(1)} us/request`;
        note(`round ${round} ${name.padEnd(10)} ${Math.round(result.rps)} req/s, p99 ${result.p99.toFixed(2)} ms${cpu}, errors ${result.errors}`);
        (results[name] ??= []).push(result);
      }
    }
    report(results);
  } finally {
    cleanup();
  }
}

/**
 * @param {number} port
 * @param {number} web1
 * @param {number} web2
 * @param {boolean} real for the real HAProxy: one thread, logs to stdout like the miniature
 */
function haproxyConfig(port, web1, web2, real) {
  return `global
${real ? '    nbthread 1\n    log stdout format raw local0\n' : ''}defaults
    mode http
    log global
    option httplog
    timeout connect 2s
    timeout client 30s
    timeout server 30s
frontend www
    bind 127.0.0.1:${port}
    default_backend web
backend web
    balance roundrobin
    server web-01 127.0.0.1:${web1}
    server web-02 127.0.0.1:${web2}
`;
}

/**
 * @param {number} port
 * @param {number} web1
 * @param {number} web2
 */
function httpProxyScript(port, web1, web2) {
  const module = JSON.stringify(fileURLToPath(new URL('../node_modules/http-proxy', import.meta.url)));
  return `const http = require('node:http');
const httpProxy = require(${module});
const targets = [${web1}, ${web2}].map((port) => ({ target: 'http://127.0.0.1:' + port, agent: new http.Agent({ keepAlive: true }) }));
const proxy = httpProxy.createProxyServer({});
proxy.on('error', (error, req, res) => { res.writeHead(502); res.end(); });
let next = 0;
http.createServer((req, res) => {
  const target = targets[next];
  next = (next + 1) % targets.length;
  proxy.web(req, res, target);
}).listen(${port}, '127.0.0.1');
`;
}

/**
 * Medians over the rounds; the ratios are medians of the ratios within each round.
 * @param {Record<string, Measurement[]>} results
 */
function report(results) {
  const subjects = /** @type {const} */ ([['direct', 'direct to one backend'], ['ours', 'miniature balancer'],
    ['httpProxy', 'http-proxy (npm)'], ['haproxy', 'HAProxy 2.6']]);
  /** @param {number[]} values */
  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  /** @param {string} key @param {(m: Measurement) => number | undefined} value */
  const medianOf = (key, value) => median(results[key].map((m) => value(m) ?? NaN));
  /** @param {string} a @param {string} b @param {(m: Measurement) => number} value */
  const ratio = (a, b, value) => median(results[a].map((m, i) => value(m) / value(results[b][i])));
  const rows = [];
  for (const [key, label] of subjects) {
    if (!results[key]) continue;
    const rps = medianOf(key, (m) => m.rps);
    const p99 = medianOf(key, (m) => m.p99);
    const cpu = medianOf(key, (m) => m.cpuUsPerRequest);
    const errors = results[key].reduce((sum, m) => sum + m.errors, 0);
    note(`${label.padEnd(24)} median ${Math.round(rps)} req/s, p99 ${p99.toFixed(2)} ms${Number.isNaN(cpu) ? '' : `, CPU ${cpu.toFixed(1)} us/request`}, errors ${errors}`);
    rows.push({ subject: label, metric: 'throughput', value: Math.round(rps), unit: 'req/s' },
      { subject: label, metric: 'p99 latency', value: Number(p99.toFixed(2)), unit: 'ms' },
      { subject: label, metric: 'errors', value: errors, unit: 'responses' });
    if (!Number.isNaN(cpu)) rows.push({ subject: label, metric: 'CPU time per request', value: Number(cpu.toFixed(1)), unit: 'us' });
  }
  const rss = Math.max(...results.ours.map((m) => m.rssMiB ?? 0));
  if (rss > 0) rows.push({ subject: 'miniature balancer', metric: 'peak RSS under load', value: rss, unit: 'MiB' });
  const loaderBusy = Math.max(...Object.values(results).flat().map((m) => m.loaderBusy));
  rows.push({ subject: 'load generator', metric: 'busiest process, CPU', value: Math.round(loaderBusy * 100), unit: '% of a core' });

  const vsProxy = ratio('ours', 'httpProxy', (m) => m.rps);
  const oursP99 = medianOf('ours', (m) => m.p99);
  const proxyP99 = medianOf('httpProxy', (m) => m.p99);
  rows.push({ subject: 'miniature balancer', metric: 'throughput / http-proxy', value: Number(vsProxy.toFixed(2)), unit: 'x' });
  const cpuVsProxy = ratio('ours', 'httpProxy', (m) => m.cpuUsPerRequest ?? NaN);
  if (!Number.isNaN(cpuVsProxy)) rows.push({ subject: 'miniature balancer', metric: 'CPU per request / http-proxy', value: Number(cpuVsProxy.toFixed(2)), unit: 'x' });
  const goals = [{
    goal: 'miniature >= 1.5 x http-proxy throughput, p99 no worse',
    met: vsProxy >= 1.5 && oursP99 <= proxyP99,
    detail: `${vsProxy.toFixed(2)} x throughput; p99 ${oursP99.toFixed(2)} ms vs ${proxyP99.toFixed(2)} ms (medians of ${ROUNDS} rounds)`,
  }];
  if (results.haproxy) {
    const vsHaproxy = ratio('ours', 'haproxy', (m) => m.rps);
    rows.push({ subject: 'miniature balancer', metric: 'throughput / HAProxy', value: Number(vsHaproxy.toFixed(2)), unit: 'x' });
    const cpuVsHaproxy = ratio('ours', 'haproxy', (m) => m.cpuUsPerRequest ?? NaN);
    if (!Number.isNaN(cpuVsHaproxy)) rows.push({ subject: 'miniature balancer', metric: 'CPU per request / HAProxy', value: Number(cpuVsHaproxy.toFixed(2)), unit: 'x' });
    goals.push({ goal: 'miniature >= 0.35 x HAProxy throughput', met: vsHaproxy >= 0.35, detail: `${vsHaproxy.toFixed(2)} x (HAProxy with nbthread 1, median of ${ROUNDS} rounds)` });
  }
  note(`load generator: its busiest process used ${Math.round(loaderBusy * 100)}% of a core at most`);
  process.stdout.write(`${JSON.stringify({ name: 'balancer', title: 'Balancer throughput and latency on loopback', rows, goals })}\n`);
}

if (process.argv[2] === '--backends') runBackends();
else if (process.argv[2] === '--load') runLoad(Number(process.argv[3]), Number(process.argv[4]), Number(process.argv[5]));
else await main();
