// @ts-check
/**
 * Throughput and latency of the miniature balancer on loopback, next to its peers, all driven by the same load
 * generator (its own process: keep-alive connections, a fixed number of requests in flight, raw HTTP/1.1 so that the
 * generator itself stays cheap) against the same two backends (their own process):
 *   (a) a direct connection to one backend: the ceiling;
 *   (b) the miniature balancer, round robin over the two backends;
 *   (c) the npm package http-proxy as a round-robin proxy over the same two, with a keep-alive agent per backend;
 *   (d) the real HAProxy (/usr/sbin/haproxy, or HAPROXY_BIN) with the equivalent configuration, when installed.
 * Both balancers log one line per request (to /dev/null) and the real HAProxy runs one thread, like Node.js.
 * Also the miniature's memory (peak RSS) under that load. Three rounds, every subject in each, medians reported.
 * Progress goes to stderr; the last stdout line is the JSON.
 *
 * Roles: `node balancer.bench.mjs` runs everything; `--backends` and `--load PORT MS CONCURRENCY` are its children.
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
const ROUNDS = 3;
const WARMUP_MS = 500;
const MEASURE_MS = 3000;
const CONCURRENCY = 32;
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
 * The load generator: `concurrency` keep-alive connections, each sending its next GET as soon as the previous
 * response is complete, for `durationMs` after a warm-up. Prints { requests, errors, rps, p50, p99 } as JSON.
 * @param {number} port
 * @param {number} durationMs
 * @param {number} concurrency
 */
function runLoad(port, durationMs, concurrency) {
  const request = Buffer.from(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
  /** @type {number[]} */
  const latencies = [];
  let errors = 0;
  let measuring = false;
  let stopped = false;
  const started = Date.now();
  setTimeout(() => { measuring = true; }, WARMUP_MS);
  setTimeout(() => {
    stopped = true;
    latencies.sort((a, b) => a - b);
    const at = (/** @type {number} */ q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
    process.stdout.write(`${JSON.stringify({ requests: latencies.length, errors, rps: latencies.length / (durationMs / 1000), p50: at(0.5), p99: at(0.99), elapsed: Date.now() - started })}\n`);
    process.exit(0);
  }, WARMUP_MS + durationMs);

  const connect = () => {
    const socket = net.connect(port, '127.0.0.1');
    socket.setNoDelay(true);
    let buffer = Buffer.alloc(0);
    let sentAt = 0;
    const send = () => {
      if (stopped) return;
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
        else if (measuring) latencies.push(performance.now() - sentAt);
        buffer = buffer.subarray(end + 4 + length);
        send();
      }
    });
    socket.on('error', () => { errors++; });
    socket.on('close', () => { if (!stopped) setTimeout(connect, 10); });
  };
  for (let i = 0; i < concurrency; i++) connect();
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
 * Runs the load generator against a port; while it runs, samples the RSS of `watchPid`.
 * @param {number} port
 * @param {number} [watchPid]
 * @returns {Promise<{ requests: number, errors: number, rps: number, p50: number, p99: number, rssMiB?: number }>}
 */
async function measure(port, watchPid) {
  let peakRss = 0;
  const sampler = watchPid ? setInterval(() => {
    try {
      const kib = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${watchPid}/status`, 'utf8'))?.[1] ?? 0);
      peakRss = Math.max(peakRss, kib);
    } catch { /* no /proc here: no memory figure */ }
  }, 200) : undefined;
  const load = start(process.execPath, [SELF, '--load', String(port), String(MEASURE_MS), String(CONCURRENCY)], { stdout: 'pipe' });
  let output = '';
  load.stdout?.on('data', (d) => { output += d; });
  await new Promise((resolve) => load.on('exit', resolve));
  clearInterval(sampler);
  const result = JSON.parse(output);
  return peakRss ? { ...result, rssMiB: Math.round(peakRss / 102.4) / 10 } : result;
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
    start(process.execPath, [path.join(dir, 'http-proxy.cjs')]);
    /** @type {[string, number, number | undefined][]} subject, port, pid to watch */
    const subjects = [['direct', web1, undefined], ['ours', oursPort, ours.pid], ['httpProxy', proxyPort, undefined]];
    if (existsSync(HAPROXY)) {
      const realPort = await freePort();
      writeFileSync(path.join(dir, 'real.cfg'), haproxyConfig(realPort, web1, web2, true));
      start(HAPROXY, ['-f', path.join(dir, 'real.cfg'), '-q']);
      subjects.push(['haproxy', realPort, undefined]);
    } else {
      note(`(d) skipped: the real HAProxy is not installed at ${HAPROXY}`);
    }
    for (const [, port] of subjects) await waitForPort(port);

    // Rounds, each subject in turn, so that a passing load on this shared machine hits them all alike.
    /** @type {Record<string, Awaited<ReturnType<typeof measure>>[]>} */
    const results = {};
    for (let round = 1; round <= ROUNDS; round++) {
      for (const [name, port, pid] of subjects) {
        const result = await measure(port, pid);
        note(`round ${round} ${name.padEnd(10)} ${Math.round(result.rps)} req/s, p99 ${result.p99.toFixed(2)} ms, errors ${result.errors}`);
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
 * @param {Record<string, Awaited<ReturnType<typeof measure>>[]>} results
 */
function report(results) {
  const subjects = /** @type {const} */ ([['direct', 'direct to one backend'], ['ours', 'miniature balancer'],
    ['httpProxy', 'http-proxy (npm)'], ['haproxy', 'HAProxy 2.6']]);
  /** @param {number[]} values */
  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  /** @param {string} a @param {string} b */
  const ratio = (a, b) => median(results[a].map((r, i) => r.rps / results[b][i].rps));
  const rows = [];
  for (const [key, label] of subjects) {
    const runs = results[key];
    if (!runs) continue;
    const rps = median(runs.map((r) => r.rps));
    const p99 = median(runs.map((r) => r.p99));
    const errors = runs.reduce((sum, r) => sum + r.errors, 0);
    note(`${label.padEnd(24)} median ${Math.round(rps)} req/s, p99 ${p99.toFixed(2)} ms, errors ${errors}`);
    rows.push({ subject: label, metric: 'throughput', value: Math.round(rps), unit: 'req/s' },
      { subject: label, metric: 'p99 latency', value: Number(p99.toFixed(2)), unit: 'ms' },
      { subject: label, metric: 'errors', value: errors, unit: 'responses' });
  }
  const rss = Math.max(...results.ours.map((r) => r.rssMiB ?? 0));
  if (rss > 0) rows.push({ subject: 'miniature balancer', metric: 'peak RSS under load', value: rss, unit: 'MiB' });
  const vsProxy = ratio('ours', 'httpProxy');
  const oursP99 = median(results.ours.map((r) => r.p99));
  const proxyP99 = median(results.httpProxy.map((r) => r.p99));
  rows.push({ subject: 'miniature balancer', metric: 'throughput / http-proxy', value: Number(vsProxy.toFixed(2)), unit: 'x' });
  const goals = [{
    goal: 'miniature >= 1.5 x http-proxy throughput, p99 no worse',
    met: vsProxy >= 1.5 && oursP99 <= proxyP99,
    detail: `${vsProxy.toFixed(2)} x throughput; p99 ${oursP99.toFixed(2)} ms vs ${proxyP99.toFixed(2)} ms (medians of ${ROUNDS} rounds)`,
  }];
  if (results.haproxy) {
    const vsHaproxy = ratio('ours', 'haproxy');
    rows.push({ subject: 'miniature balancer', metric: 'throughput / HAProxy', value: Number(vsHaproxy.toFixed(2)), unit: 'x' });
    goals.push({ goal: 'miniature >= 0.35 x HAProxy throughput', met: vsHaproxy >= 0.35, detail: `${vsHaproxy.toFixed(2)} x (HAProxy with nbthread 1, median of ${ROUNDS} rounds)` });
  }
  process.stdout.write(`${JSON.stringify({ name: 'balancer', title: 'Balancer throughput and latency on loopback', rows, goals })}\n`);
}

if (process.argv[2] === '--backends') runBackends();
else if (process.argv[2] === '--load') runLoad(Number(process.argv[3]), Number(process.argv[4]), Number(process.argv[5]));
else await main();
