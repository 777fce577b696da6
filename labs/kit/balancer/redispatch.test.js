// @ts-check
/**
 * Retries against a dead server, per balancing algorithm, with and without `option redispatch`: the miniature
 * against what HAProxy 2.6.12 did with the same haproxy.cfg (recorded below), and against the running HAProxy when it
 * is installed. One backend has a dead server (nothing listens on its port) and a live one, and no health checks,
 * so the dead one stays UP and every request may meet it.
 *
 * Each request is described by its status, the server that answered (from the log), the log's retry count (`+1`:
 * one retry, redispatched) and how many seconds it took, rounded: HAProxy's turn-around pause before a retry on the
 * same server is min(timeout connect, 1 s), so 0 means no pause, 3 means three.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import http from 'node:http';
import { test } from 'node:test';
import { freePort, startBackend, startBalancer, waitFor, writeConfig } from './test-support/harness.js';

const HAPROXY = process.env.HAPROXY_BIN ?? '/usr/sbin/haproxy';
const skipReal = existsSync(HAPROXY) ? false : `the real HAProxy is not installed at ${HAPROXY} (apt-get install haproxy, or set HAPROXY_BIN)`;
const CLIENTS = ['127.0.0.1', '127.0.0.2', '127.0.0.3', '127.0.0.4'];

/** What HAProxy 2.6.12 answered to four requests, from the four clients above (`source` hashes them: .2 and .4 meet the dead server). */
const RECORDED = {
  'roundrobin redispatch': ['200 live +1 0s', '200 live +1 0s', '200 live +1 0s', '200 live +1 0s'],
  'static-rr redispatch': ['200 live +1 0s', '200 live +1 0s', '200 live +1 0s', '200 live +1 0s'],
  'leastconn redispatch': ['200 live +1 0s', '200 live +1 0s', '200 live +1 0s', '200 live +1 0s'],
  'first redispatch': ['200 live +1 0s', '200 live +1 0s', '200 live +1 0s', '200 live +1 0s'],
  // A hash sends the retry to the same server: two pauses, then the last retry, redispatched without a pause, hashes
  // to the dead server again (so no `+`).
  'source redispatch': ['200 live 0 0s', '503 dead 3 2s', '200 live 0 0s', '503 dead 3 2s'],
  'roundrobin no-redispatch': ['503 dead 3 3s', '200 live 0 0s', '503 dead 3 3s', '200 live 0 0s'],
  'leastconn no-redispatch': ['503 dead 3 3s', '200 live 0 0s', '503 dead 3 3s', '200 live 0 0s'],
  'source no-redispatch': ['200 live 0 0s', '503 dead 3 3s', '200 live 0 0s', '503 dead 3 3s'],
};
const CASES = Object.keys(RECORDED);

/**
 * One frontend per case, on consecutive ports, so that one process of each balancer runs them all.
 * @param {number} firstPort
 * @param {number} deadPort
 * @param {number} livePort
 */
function config(firstPort, deadPort, livePort) {
  const proxies = CASES.map((name, i) => {
    const [balance, redispatch] = name.split(' ');
    return `frontend case${i}
    bind 127.0.0.1:${firstPort + i}
    default_backend case${i}
backend case${i}
    balance ${balance}
${redispatch === 'redispatch' ? '    option redispatch\n' : ''}    server dead 127.0.0.1:${deadPort}
    server live 127.0.0.1:${livePort}
`;
  });
  return `global
    log stdout format raw local0
defaults
    mode http
    log global
    option httplog
    timeout connect 2s
    timeout client 10s
    timeout server 10s
    retries 3
${proxies.join('')}`;
}

/**
 * @param {number} port
 * @param {string} localAddress
 * @returns {Promise<{ status: number, ms: number }>}
 */
function timedGet(port, localAddress) {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/', localAddress, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: Date.now() - started }));
    });
    req.setTimeout(15_000, () => req.destroy(new Error('no answer in 15 s')));
    req.on('error', reject);
  });
}

/**
 * Sends the four requests of every case (the cases side by side, the requests of a case one after the other) and
 * reads the log lines they left, in the order of the requests.
 * @param {number} firstPort
 * @param {() => string} output the balancer's standard output so far
 * @returns {Promise<Record<string, string[]>>}
 */
async function measure(firstPort, output) {
  const timings = await Promise.all(CASES.map(async (_name, i) => {
    const results = [];
    for (const client of CLIENTS) results.push(await timedGet(firstPort + i, client));
    return results;
  }));
  /** @param {number} i */
  const logged = (i) => [...output().matchAll(new RegExp(`\\] case${i} case${i}/(\\S+) \\S+ (\\d{3}) .* \\d+/\\d+/\\d+/\\d+/(\\+?\\d+) `, 'g'))];
  await waitFor(() => CASES.every((_n, i) => logged(i).length >= CLIENTS.length), 5000, () => `a log line per request:\n${output()}`);
  return Object.fromEntries(CASES.map((name, i) => [name, timings[i].map(({ status, ms }, n) => {
    const [, server, loggedStatus, retries] = logged(i)[n];
    assert.equal(Number(loggedStatus), status, `${name}: the log agrees with the response`);
    return `${status} ${server} ${retries} ${Math.round(ms / 1000)}s`;
  })]));
}

/**
 * The dead server's port is fixed, below every system's ephemeral range: a free port picked by the system could be
 * handed to another test's socket (the suite runs files side by side) before the balancers connect, and answer.
 */
const DEAD_PORT = 25990;

/** @param {import('node:test').TestContext} t */
async function servers(t) {
  const live = await startBackend(t, 'live');
  return { livePort: live.port, deadPort: DEAD_PORT };
}

test('the miniature retries and redispatches as HAProxy 2.6 does, per algorithm', async (t) => {
  const { livePort, deadPort } = await servers(t);
  const firstPort = await freePort();
  const balancer = await startBalancer(t, config(firstPort, deadPort, livePort), firstPort + CASES.length - 1);
  assert.deepEqual(await measure(firstPort, balancer.output), RECORDED);
});

test('the real HAProxy still answers as recorded', { skip: skipReal }, async (t) => {
  const { livePort, deadPort } = await servers(t);
  const firstPort = await freePort();
  const real = spawn(HAPROXY, ['-f', writeConfig(t, config(firstPort, deadPort, livePort))], { stdio: ['ignore', 'pipe', 'pipe'] });
  t.after(() => real.kill('SIGKILL'));
  let output = '';
  real.stdout.on('data', (d) => { output += d; });
  real.stderr.on('data', (d) => { output += d; });
  const last = firstPort + CASES.length - 1;
  await waitFor(() => timedGet(last, '127.0.0.1').then(() => true, () => false), 5000, () => `the real HAProxy listening:\n${output}`);
  await waitFor(() => output.includes(`case${CASES.length - 1}/live`), 5000, () => `the probe logged:\n${output}`);
  output = '';
  assert.deepEqual(await measure(firstPort, () => output), RECORDED);
});
