// @ts-check
/**
 * The exported namespace script of every lab's solution, run for real: Debian's HAProxy, nginx, keepalived,
 * MariaDB and the kit's app on Node.js, in network namespaces. For each lab (all at once, each on its own bridge):
 * requests through the entry point (the virtual IP where there is one) are answered; where keepalived runs, the
 * holder of the virtual IP is powered off and the other balancer takes the address and the traffic; then Ctrl-C
 * stops it all, and no namespace, process or file of the run is left.
 *
 * Needs Linux, root and the programs (CI has them); elsewhere it is skipped with the reason. Its namespaces start
 * with suexp-, so that it never meets another test's or a learner's.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readlinkSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, test } from 'node:test';
import { LABS, exportWorkspace, writeWorkspace } from './testing.js';

const PROGRAMS = ['ip', 'unshare', 'killall', 'haproxy', 'nginx', 'keepalived', 'mariadbd', 'mariadb-install-db', 'node'];
const missing = PROGRAMS.filter((program) => spawnSync('sh', ['-c', `command -v ${program}`]).status !== 0);
const SKIP = process.platform !== 'linux' ? 'needs Linux network namespaces'
  : process.getuid?.() !== 0 ? 'needs root, to make network namespaces'
    : missing.length > 0 ? `needs ${missing.join(', ')} (Debian: iproute2 util-linux psmisc haproxy nginx keepalived mariadb-server nodejs)`
      : false;
/** Generous: six labs start at once on a shared machine, three of them with a MariaDB. */
const READY_MS = 150_000;
const FAILOVER_MS = 30_000;
/** A clean stop takes seconds; the other labs may still be starting meanwhile. */
const STOP_MS = 60_000;

/** @param {string} text  with the escape codes a program may print taken out, for the test's report */
const printable = (text) => text.replace(/[^\n\t\x20-\x7e]/g, '?');

/**
 * One request from the visitor's namespace: its status and body, or 0 with the reason.
 * @param {string} prefix
 * @param {string} url
 * @param {string} [form]  a form to POST
 */
function visit(prefix, url, form = '') {
  const script = 'const [url, form] = process.argv.slice(1); fetch(url, { signal: AbortSignal.timeout(4000), redirect: "manual",'
    + ' ...(form ? { method: "POST", body: new URLSearchParams(form) } : {}) })'
    + '.then(async (r) => console.log(r.status, await r.text()), (e) => console.log(0, e.cause?.code ?? e.message))';
  const result = spawnSync('ip', ['netns', 'exec', `${prefix}client`, process.execPath, '-e', script, url, form], { encoding: 'utf8', timeout: 10_000 });
  return `${result.stdout}`.trim() || `0 ${result.stderr}`;
}

/**
 * @param {() => string | false} probe  a truthy answer ends the wait
 * @param {number} ms
 * @param {() => string} what  for the message, with the last answer
 */
async function waitFor(probe, ms, what) {
  const deadline = Date.now() + ms;
  for (;;) {
    const answer = probe();
    if (answer) return answer;
    if (Date.now() > deadline) throw new Error(`waited ${ms / 1000} s for ${what()}`);
    await sleep(500);
  }
}

/**
 * The namespaces whose name starts with prefix.
 * @param {string} prefix
 */
function namespaces(prefix) {
  return spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout.split('\n').map((line) => line.split(' ')[0]).filter((n) => n.startsWith(prefix));
}

/**
 * Processes that run from a folder under dir, or name it on their command line.
 * @param {string} dir
 */
function processesIn(dir) {
  return readdirSync('/proc').filter((pid) => /^\d+$/.test(pid) && Number(pid) !== process.pid).filter((pid) => {
    try {
      return readlinkSync(`/proc/${pid}/cwd`).startsWith(dir) || readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(dir);
    } catch {
      return false;
    }
  });
}

describe('run-netns.sh of every lab\'s solution, on the real programs', { skip: SKIP, concurrency: true }, () => {
  for (const lab of LABS) {
    test(`${lab}: requests through the entry point, the virtual IP moves, nothing is left`, { timeout: 300_000 }, async (t) => {
      const dir = mkdtempSync(path.join(tmpdir(), 'suexp-'));
      // As /tmp is: nginx's workers, the user nobody, read the files under it.
      chmodSync(dir, 0o755);
      const prefix = `suexp-${lab.slice(0, 2)}-`;
      const { out, plan } = exportWorkspace(writeWorkspace(lab, { solution: true, dir }));
      const script = path.join(out, 'run-netns.sh');
      const env = { ...process.env, PREFIX: prefix, TMPDIR: dir };
      const run = spawn('bash', [script], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      run.stdout.on('data', (d) => { output += d; });
      run.stderr.on('data', (d) => { output += d; });
      const exited = new Promise((resolve) => run.once('exit', resolve));
      t.after(async () => {
        if (run.exitCode === null) {
          run.kill('SIGKILL');
          spawnSync('bash', [script, 'down'], { env });
        }
        rmSync(dir, { recursive: true, force: true });
      });
      const entry = `http://${plan.entry.host}:${plan.entry.port}/`;
      const answered = () => visit(prefix, entry).startsWith('200') && 'yes';
      const tail = () => `${entry} to answer 200 (it says ${visit(prefix, entry).slice(0, 300)}); the script's output ends:\n${printable(output.slice(-3000))}`;
      await waitFor(answered, READY_MS, tail);
      if (plan.servers.some((s) => s.services.some((x) => x.program === 'db'))) {
        // The application writes to the real MariaDB and reads it back, through its MySQL driver.
        const signed = visit(prefix, `${entry}entries`, `name=CI&message=${prefix}signed`);
        assert.match(signed, /^303\b/, `signing the guestbook: ${signed.slice(0, 500)}`);
        assert.match(visit(prefix, `${entry}api/entries`), new RegExp(`^200 .*${prefix}signed`, 's'));
      }

      const vrrp = plan.servers.filter((s) => s.services.some((x) => x.program === 'vrrp'));
      if (vrrp.length > 0) {
        const address = plan.virtualIps[0];
        const holds = (/** @type {string} */ server) => spawnSync('ip', ['-n', `${prefix}${server}`, '-br', 'addr', 'show', 'eth0'], { encoding: 'utf8' })
          .stdout.includes(`${address}/`);
        const holder = await waitFor(() => vrrp.find((s) => holds(s.name))?.name ?? false, FAILOVER_MS, () => `a balancer to hold ${address}`);
        const kill = spawnSync('bash', [script, 'kill', holder], { env, encoding: 'utf8' });
        assert.equal(kill.status, 0, kill.stderr);
        const others = vrrp.filter((s) => s.name !== holder);
        await waitFor(() => others.find((s) => holds(s.name))?.name ?? false, FAILOVER_MS, () => `another balancer to take ${address} from ${holder}`);
        await waitFor(answered, FAILOVER_MS, tail);
      }

      run.kill('SIGINT');
      await Promise.race([exited, sleep(STOP_MS, undefined, { ref: false })]);
      assert.ok(run.exitCode !== null || run.signalCode !== null,
        `the script did not end within ${STOP_MS / 1000} s of Ctrl-C; it printed:\n${printable(output.slice(-3000))}`);
      assert.deepEqual(namespaces(prefix), [], 'every namespace is removed');
      assert.equal(existsSync(path.join(dir, `${prefix}run`)), false, 'its temporary folder is removed');
      assert.deepEqual(processesIn(dir), [], 'no process of the run is left');
    });
  }
});
