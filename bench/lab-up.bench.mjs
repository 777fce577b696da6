// @ts-check
/**
 * How long `lab up` takes to bring up a full lab: two balancers with their VRRP daemons, two web servers, two app
 * servers and a database (nine processes), built in a temporary workspace from the tiers' own example
 * configurations. Median of 3 cold runs (the supervisor starts too: `lab supervise --owned`, then `lab up`; the lab
 * page instead starts it with --up --events and reads its report, which bench/lab-start.bench.mjs times) and 3 warm
 * ones (it runs already), the supervisor's memory, and, for scale, the floors:
 * nine bare `node -e 0` started at once on the same machine, and the memory of a bare node process with an HTTP server.
 * Goal: every process up within 2 s of typing `lab up`. Progress goes to stderr; the last stdout line is the JSON.
 */
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const KIT = fileURLToPath(new URL('../labs/kit/', import.meta.url));
const RUNS = 3;
const GOAL_MS = 2000;
const CONTROL = 24900;

const HOSTS = {
  'lb-01': '10.0.0.11', 'lb-02': '10.0.0.12', 'web-01': '10.0.0.21', 'web-02': '10.0.0.22',
  'app-01': '10.0.0.31', 'app-02': '10.0.0.32', 'app-03': '10.0.0.33', 'db-01': '10.0.0.41', vip: '10.0.0.100',
};
const PORTS = [
  'lb-01:80', 'lb-02:80', 'lb-01:8404', 'lb-02:8404', 'lb-01:112', 'lb-02:112', '10.0.0.100:80',
  'web-01:80', 'web-02:80', 'app-01:3000', 'app-02:3000', 'app-03:3000', 'db-01:3306',
];

/** @param {string} name @param {string} role @param {[string, string, string[]][]} services */
const server = (name, role, services) => ({ name, role, services: services.map(([service, program, args]) => ({ name: service, program, args })) });
const balancer = (/** @type {string} */ name) => server(name, 'balancer', [
  ['haproxy', 'balancer', ['-f', 'haproxy.cfg']], ['keepalived', 'vrrp', ['-f', 'keepalived.conf']]]);
const web = (/** @type {string} */ name) => server(name, 'web', [['nginx', 'web', ['-c', 'nginx.conf']]]);
const app = (/** @type {string} */ name) => server(name, 'app', [['app', 'app',
  ['--port', '3000', '--db', 'db-01:3306', '--db-user', 'app', '--db-password', 'secret', '--database', 'shop']]]);

function buildWorkspace() {
  const home = mkdtempSync(path.join(os.tmpdir(), 'lab-up-bench-'));
  symlinkSync(KIT, path.join(home, 'kit'));
  const topology = {
    control: CONTROL, entry: '10.0.0.100:80',
    servers: [balancer('lb-01'), balancer('lb-02'), web('web-01'), web('web-02'), app('app-01'), app('app-02'),
      server('db-01', 'database', [['mysqld', 'db', ['--defaults-file=my.cnf']]])],
  };
  writeFileSync(path.join(home, 'lab.json'), JSON.stringify({ format: 1, id: 'bench-full', title: 'Bench', topology, steps: [] }));
  writeFileSync(path.join(home, 'network.json'), JSON.stringify({
    hosts: HOSTS, ports: Object.fromEntries(PORTS.map((address, i) => [address, CONTROL + 1 + i])),
  }));
  /** @param {string} from a path in the kit @param {string} to a path in the workspace */
  const copy = (from, to) => {
    mkdirSync(path.dirname(path.join(home, to)), { recursive: true });
    cpSync(path.join(KIT, from), path.join(home, to), { recursive: true });
  };
  for (const lb of ['lb-01', 'lb-02']) {
    copy('balancer/examples/web-and-app.cfg', `${lb}/haproxy.cfg`);
    copy(`vrrp/examples/keepalived-${lb}.conf`, `${lb}/keepalived.conf`);
  }
  for (const name of ['web-01', 'web-02']) {
    copy('web/examples/nginx.conf', `${name}/nginx.conf`);
    copy('web/mime.types', `${name}/mime.types`);
    copy('web/examples/www', `${name}/www`);
  }
  copy('db/examples/my.cnf', 'db-01/my.cnf');
  copy('db/examples/grants.sql', 'db-01/grants.sql');
  return home;
}

/**
 * @param {string} home
 * @param {string[]} args
 * @returns {Promise<{ code: number | null, output: string, ms: number }>}
 */
function lab(home, args) {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(home, 'kit', 'lab'), ...args], {
      cwd: home, env: { ...process.env, LAB_HOME: home, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => { output += chunk; });
    child.stderr.on('data', (chunk) => { output += chunk; });
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, output, ms: performance.now() - started }); });
  });
}

/**
 * Starts the supervisor as the lab page does, in the foreground and owned through its standard input; resolves once
 * it says that it listens.
 * @param {string} home
 */
function supervise(home) {
  const child = spawn(process.execPath, [path.join(home, 'kit', 'lab'), 'supervise', '--owned'], {
    cwd: home, env: { ...process.env, LAB_HOME: home, NO_COLOR: '1' }, stdio: ['pipe', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
      if (/supervising /.test(output)) resolve(child);
    });
    child.on('exit', (code) => reject(new Error(`the supervisor ended with exit status ${code}:\n${output}`)));
  });
}

/**
 * Ends an owned supervisor (and so every server): its input closes.
 * @param {import('node:child_process').ChildProcessWithoutNullStreams} child
 */
function endSupervisor(child) {
  const ended = new Promise((resolve) => child.once('exit', resolve));
  child.stdin.end();
  return ended;
}

/** Nine bare node processes started at once: what starting the lab's processes costs at the very least. */
async function spawnFloor() {
  const started = performance.now();
  await Promise.all(Array.from({ length: 9 }, () => new Promise((resolve) => spawn(process.execPath, ['-e', '0']).on('close', resolve))));
  return performance.now() - started;
}

/** The memory of a bare node process with an HTTP server listening: what any supervisor would cost at least. */
async function bareNodeRssMb() {
  const child = spawn(process.execPath, ['-e', "require('http').createServer().listen(0, '127.0.0.1', () => console.log('ok'))"]);
  await new Promise((resolve) => child.stdout.once('data', resolve));
  const rss = rssMb(/** @type {number} */ (child.pid));
  child.kill();
  return rss;
}

/** @param {number} pid the resident memory of a process, in MB */
function rssMb(pid) {
  return Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).trim()) / 1024;
}

/** @param {number[]} values */
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const home = buildWorkspace();
const cold = [];
const warm = [];
const floors = [];
let rss = 0;
let failure = '';
try {
  for (let run = 1; run <= RUNS; run++) {
    floors.push(await spawnFloor());
    const started = performance.now();
    const supervisor = await supervise(home);
    const up = await lab(home, ['up']);
    if (up.code !== 0) throw new Error(`lab up failed:\n${up.output}`);
    cold.push(performance.now() - started);
    const { pid } = JSON.parse(readFileSync(path.join(home, '.lab', 'supervisor.json'), 'utf8'));
    rss = Math.max(rss, rssMb(pid));
    await lab(home, ['down']);
    const again = await lab(home, ['up']);
    if (again.code !== 0) throw new Error(`lab up (warm) failed:\n${again.output}`);
    warm.push(again.ms);
    process.stderr.write(`run ${run}: cold ${cold.at(-1)?.toFixed(0)} ms, warm ${again.ms.toFixed(0)} ms, floor ${floors.at(-1)?.toFixed(0)} ms\n`);
    await endSupervisor(supervisor);
  }
} catch (error) {
  failure = /** @type {Error} */ (error).message;
  process.stderr.write(`${failure}\n`);
} finally {
  await lab(home, ['down', '--all']);
  rmSync(home, { recursive: true, force: true });
}

const bareRss = await bareNodeRssMb();
const coldMs = cold.length ? median(cold) : NaN;
const warmMs = warm.length ? median(warm) : NaN;
const floorMs = median(floors);
console.log(JSON.stringify({
  name: 'lab-up',
  title: '`lab up` of a full lab (2 balancers + 2 VRRP daemons, 2 web, 2 app, 1 database: 9 processes)',
  rows: [
    { subject: 'supervisor started, then lab up (cold)', metric: 'median time to every process up', value: Math.round(coldMs), unit: 'ms' },
    { subject: 'lab up, supervisor running (warm)', metric: 'median time to every process up', value: Math.round(warmMs), unit: 'ms' },
    { subject: '9 × node -e 0 at once (floor)', metric: 'median time', value: Math.round(floorMs), unit: 'ms' },
    { subject: 'lab up cold / floor', metric: 'ratio', value: Number((coldMs / floorMs).toFixed(2)), unit: 'x' },
    { subject: 'supervisor', metric: 'resident memory with 9 services up', value: Number(rss.toFixed(1)), unit: 'MB' },
    { subject: 'bare node with an HTTP server (floor)', metric: 'resident memory', value: Number(bareRss.toFixed(1)), unit: 'MB' },
    { subject: 'supervisor / bare node', metric: 'ratio', value: Number((rss / bareRss).toFixed(2)), unit: 'x' },
  ],
  goals: [{
    goal: `every process up within ${GOAL_MS / 1000} s of \`lab up\` (cold, median of ${RUNS})`,
    met: !failure && coldMs <= GOAL_MS,
    detail: failure || `median ${Math.round(coldMs)} ms over runs of ${cold.map((ms) => Math.round(ms)).join(', ')} ms on ${os.cpus().length} cores`,
  }],
}));
