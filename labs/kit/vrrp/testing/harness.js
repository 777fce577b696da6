// @ts-check
/**
 * What the vrrp tests share: a throw-away lab on loopback (a network table, keepalived.conf files, a stand-in
 * supervisor that records what the daemons report), real daemons and stand-in balancers as child processes, and
 * requests to the virtual IP. Ownership checks are in ownership.js.
 */
import { spawn } from 'node:child_process';
import { EventEmitter, once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { IPS, VIP } from './keepalived-conf.js';

const VRRP = fileURLToPath(new URL('..', import.meta.url));
const BALANCER = fileURLToPath(new URL('./balancer.js', import.meta.url));

/** @typedef {import('./keepalived-conf.js').Server} Server */
/** @typedef {{ time: number, text: string }} LogLine  the time the daemon printed (same clock as the test) */
/** @typedef {{ start: number, end: number, owner?: string, error?: string }} Sample  one request to the VIP */

export class Lab {
  /**
   * Opens a lab on 100 ports from `base` (the vrrp tests own 23000-23999): the VIP's port 80 is `base`.
   * @param {number} base
   */
  static async open(base) {
    const lab = new Lab(base);
    await new Promise((resolve) => lab.control.listen(base + 50, '127.0.0.1', () => resolve(undefined)));
    return lab;
  }

  /** @param {number} base */
  constructor(base) {
    this.dir = mkdtempSync(path.join(tmpdir(), 'vrrp-test-'));
    this.vipPort = base;
    this.ports = { [`${VIP}:80`]: base, 'lb-01:80': base + 1, 'lb-02:80': base + 2, 'lb-01:112': base + 11, 'lb-02:112': base + 12 };
    this.table = path.join(this.dir, 'network.json');
    writeFileSync(this.table, JSON.stringify({ hosts: { ...IPS, vip: VIP }, ports: this.ports }));
    /** @type {Daemon[]} every daemon started here, restarts included */
    this.daemons = [];
    /** @type {Set<import('node:child_process').ChildProcess>} */
    this.children = new Set();
    /** @type {Sample[]} */
    this.samples = [];
    /** @type {Set<() => Promise<void>>} the stop functions of running pollers */
    this.pollers = new Set();
    /** @type {Array<{ server: string, ready?: boolean, vrrp?: { instance: string, state: string, priority: number, addresses: string[] } }>} */
    this.reports = [];
    this.control = http.createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => { body += chunk; });
      request.on('end', () => {
        this.reports.push(JSON.parse(body));
        response.writeHead(204).end();
      });
    });
  }

  /**
   * Starts `node kit/vrrp -f <file>` as the keepalived service of a server.
   * @param {Server} server
   * @param {string} conf the keepalived.conf text
   */
  startDaemon(server, conf) {
    const file = path.join(this.dir, `keepalived-${server}.conf`);
    writeFileSync(file, conf);
    const child = spawn(process.execPath, [VRRP, '-f', file], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LAB_NETWORK: this.table, LAB_SERVER: server, LAB_SERVICE: 'keepalived',
        LAB_CONTROL: `http://127.0.0.1:${this.vipPort + 50}` },
    });
    const daemon = new Daemon(server, child);
    this.track(child);
    this.daemons.push(daemon);
    return daemon;
  }

  /**
   * Starts a stand-in HAProxy on the server's port 80 and waits until it listens.
   * @param {Server} server
   */
  async startBalancer(server) {
    const child = spawn(process.execPath, [BALANCER, String(this.ports[`${server}:80`]), server], { stdio: ['ignore', 'pipe', 'inherit'] });
    this.track(child);
    await once(/** @type {import('node:stream').Readable} */ (child.stdout), 'data');
    return child;
  }

  /** @param {import('node:child_process').ChildProcess} child */
  track(child) {
    this.children.add(child);
    child.once('exit', () => this.children.delete(child));
  }

  /**
   * One request to the virtual IP, recorded in `samples`.
   * @param {http.Agent | false} [agent] a keep-alive agent sends it on a connection opened earlier
   * @returns {Promise<Sample>}
   */
  request(agent = false) {
    const start = Date.now();
    return new Promise((resolve) => {
      /** @param {Omit<Sample, 'start' | 'end'>} outcome */
      const finish = (outcome) => {
        const sample = { start, end: Date.now(), ...outcome };
        this.samples.push(sample);
        resolve(sample);
      };
      const request = http.get({ host: '127.0.0.1', port: this.vipPort, agent, timeout: 1000 }, (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk) => { body += chunk; });
        response.on('end', () => finish({ owner: body.trim() }));
        response.on('error', (error) => finish({ error: error.message }));
      });
      request.on('timeout', () => request.destroy(new Error('timed out')));
      request.on('error', (error) => finish({ error: /** @type {NodeJS.ErrnoException} */ (error).code ?? error.message }));
    });
  }

  /**
   * Asks the VIP every 10 ms until `owner` answers.
   * @param {Server} owner
   * @param {number} timeoutMs
   */
  async waitForOwner(owner, timeoutMs) {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const sample = await this.request();
      if (sample.owner === owner) return sample;
      await sleep(10);
    }
    const last = this.samples.slice(-3).map((s) => s.owner ?? s.error).join(', ');
    throw new Error(`the VIP was not answered by ${owner} within ${timeoutMs} ms (last answers: ${last})\n${this.logs()}`);
  }

  /**
   * Asks the VIP from two loops at once, every 10 ms each, until stop() is called: one opens a new connection
   * for every request, the other keeps its connection open for as long as the owner lets it.
   */
  poll() {
    let running = true;
    const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const loops = [/** @type {false} */ (false), keepAlive].map(async (agent) => {
      while (running) {
        await this.request(agent);
        await sleep(10);
      }
    });
    const stop = async () => {
      running = false;
      this.pollers.delete(stop);
      await Promise.all(loops);
      keepAlive.destroy();
    };
    this.pollers.add(stop);
    return { stop };
  }

  /**
   * Sends an advertisement to a server's port 112, as another router would, and resolves with the HTTP status
   * once the daemon has handled it.
   * @param {Server} server
   * @param {import('../adverts.js').Advert} advert
   * @returns {Promise<number | undefined>}
   */
  async sendAdvert(server, advert) {
    const response = await fetch(`http://127.0.0.1:${this.ports[`${server}:112`]}/vrrp`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(advert),
    });
    return response.status;
  }

  /** Every daemon's log, for failure messages. */
  logs() {
    return this.daemons.map((d) => `--- ${d.server} (pid ${d.child.pid})\n${d.logText()}`).join('\n');
  }

  /** Stops the pollers, kills whatever still runs and removes the lab's files. */
  async close() {
    await Promise.all([...this.pollers].map((stop) => stop()));
    await Promise.all([...this.children].map((child) => {
      const exited = once(child, 'exit');
      child.kill('SIGKILL');
      return exited;
    }));
    await new Promise((resolve) => this.control.close(() => resolve(undefined)));
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export class Daemon {
  /**
   * @param {Server} server
   * @param {import('node:child_process').ChildProcess} child
   */
  constructor(server, child) {
    this.server = server;
    this.child = child;
    /** @type {LogLine[]} */
    this.lines = [];
    this.stderr = '';
    /** @type {number | undefined} when the test sent SIGKILL: no code of the process runs after this */
    this.killedAt = undefined;
    this.events = new EventEmitter();
    this.exited = once(child, 'exit');
    createInterface({ input: /** @type {import('node:stream').Readable} */ (child.stdout) }).on('line', (text) => {
      const match = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d\.\d{3}) (.*)$/.exec(text);
      this.lines.push(match ? { time: new Date(`${match[1]}T${match[2]}`).getTime(), text: match[3] } : { time: Date.now(), text });
      this.events.emit('line');
    });
    child.stderr?.on('data', (chunk) => { this.stderr += chunk; });
  }

  /**
   * The first log line from index `after` on that matches.
   * @param {RegExp} pattern
   * @param {{ after?: number, timeoutMs?: number }} [options]
   * @returns {Promise<LogLine>}
   */
  waitFor(pattern, { after = 0, timeoutMs = 5000 } = {}) {
    return new Promise((resolve, reject) => {
      const find = () => this.lines.slice(after).find((line) => pattern.test(line.text));
      const stopWaiting = () => { clearTimeout(timer); this.events.off('line', onLine); };
      const onLine = () => {
        const line = find();
        if (line) { stopWaiting(); resolve(line); }
      };
      const timer = setTimeout(() => {
        stopWaiting();
        reject(new Error(`${this.server}: no log line matching ${pattern} within ${timeoutMs} ms\n${this.logText()}`));
      }, timeoutMs);
      this.events.on('line', onLine);
      onLine();
    });
  }

  /** @param {NodeJS.Signals} signal */
  kill(signal) {
    if (signal === 'SIGKILL') this.killedAt = Date.now();
    this.child.kill(signal);
  }

  logText() {
    const lines = this.lines.map((line) => `${new Date(line.time).toISOString()} ${line.text}`);
    return [...lines, this.stderr].join('\n');
  }
}

/** @param {number} ms */
export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
