// @ts-check
/**
 * Two routers, lb-01 (10.0.0.11) and lb-02 (10.0.0.12), each a VRRP daemon beside a stand-in balancer, run two
 * ways behind one interface:
 * - RealRouters: the real keepalived in two network namespaces (`sureal-<pid>-lb-01`, ...), each joined by a veth
 *   pair to a bridge in a third (`sureal-<pid>-net`, the switch), the stand-in balancer listening on port 80 of
 *   each; powering a router off takes its link down and kills both. (A veth pair straight between the two would
 *   take the other's link down too, and put its keepalived in FAULT.)
 * - MiniRouters: the kit's vrrp daemon and a stand-in balancer on loopback, in the vrrp tests' throw-away lab
 *   (kit/vrrp/testing/harness.js), on ports 26400-26499.
 * Both record each daemon's log lines with the time they were printed, on this process's clock.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { Lab } from '../kit/vrrp/testing/harness.js';
import { IPS } from '../kit/vrrp/testing/keepalived-conf.js';
import { kill, onCleanUp, start, startBackend, tempFolder } from './common.js';

/** @typedef {'lb-01' | 'lb-02'} Server */
/** @typedef {{ time: number, text: string }} LogLine */
/**
 * @typedef {object} Routers
 * @property {(server: Server) => LogLine[]} lines   the log of the server's daemon, every start of it
 * @property {(server: Server, conf: string) => Promise<void>} powerOn  its balancer, then its daemon with this file
 * @property {(server: Server) => Promise<void>} powerOff  everything of the server at once
 * @property {(server: Server) => Promise<void>} killBalancer
 * @property {() => Promise<void>} close
 */

const SERVERS = /** @type {Server[]} */ (['lb-01', 'lb-02']);
const MINI_BASE = 26400;

/**
 * @param {string[]} command
 */
function run(command) {
  const [program, ...args] = command;
  const result = spawnSync(program, args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${command.join(' ')} failed: ${result.stderr || result.error?.message}`);
}

/** @implements {Routers} */
export class RealRouters {
  constructor() {
    this.dir = tempFolder('keepalived');
    /** @type {Record<Server, string>} */
    this.namespaces = { 'lb-01': `sureal-${process.pid}-lb-01`, 'lb-02': `sureal-${process.pid}-lb-02` };
    this.switch = `sureal-${process.pid}-net`;
    /** @type {Record<Server, LogLine[]>} */
    this.logs = { 'lb-01': [], 'lb-02': [] };
    /** @type {Map<Server, import('node:child_process').ChildProcess[]>} */
    this.running = new Map();
    this.forget = onCleanUp(() => this.removeAll());
    for (const namespace of [this.switch, ...Object.values(this.namespaces)]) run(['ip', 'netns', 'add', namespace]);
    run(['ip', '-n', this.switch, 'link', 'add', 'br0', 'type', 'bridge']);
    run(['ip', '-n', this.switch, 'link', 'set', 'br0', 'up']);
    for (const server of SERVERS) {
      run(['ip', '-n', this.switch, 'link', 'add', server, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', this.namespaces[server]]);
      run(['ip', '-n', this.switch, 'link', 'set', server, 'master', 'br0', 'up']);
      run(['ip', '-n', this.namespaces[server], 'addr', 'add', `${IPS[server]}/24`, 'dev', 'eth0']);
      run(['ip', '-n', this.namespaces[server], 'link', 'set', 'lo', 'up']);
    }
  }

  /** @param {Server} server */
  lines(server) {
    return this.logs[server];
  }

  /** @param {Server} server @param {string} name */
  file(server, name) {
    return path.join(this.dir, `${server}-${name}`);
  }

  /** @param {Server} server @param {string} conf */
  async powerOn(server, conf) {
    const namespace = this.namespaces[server];
    run(['ip', '-n', namespace, 'link', 'set', 'eth0', 'up']);
    const balancer = await startBackend(server, 80, { host: '0.0.0.0', prefix: ['ip', 'netns', 'exec', namespace] });
    writeFileSync(this.file(server, 'keepalived.conf'), conf);
    const daemon = start('ip', ['netns', 'exec', namespace, 'keepalived', '--dont-fork', '--log-console', '--log-detail', '--vrrp',
      '-f', this.file(server, 'keepalived.conf'), '-p', this.file(server, 'keepalived.pid'), '-r', this.file(server, 'vrrp.pid'),
      '-c', this.file(server, 'checkers.pid')]);
    createInterface({ input: /** @type {import('node:stream').Readable} */ (daemon.stderr) }).on('line', (line) => {
      this.logs[server].push({ time: Date.now(), text: line.replace(/^.*?\d{4}: /, '') });
    });
    this.running.set(server, [balancer, daemon]);
  }

  /** @param {Server} server */
  async powerOff(server) {
    // The cut first: from this moment the router sends nothing, as when its power goes.
    run(['ip', '-n', this.namespaces[server], 'link', 'set', 'eth0', 'down']);
    this.killVrrpChild(server);
    await Promise.all((this.running.get(server) ?? []).map(kill));
    this.running.delete(server);
  }

  /** @param {Server} server */
  async killBalancer(server) {
    const [balancer] = this.running.get(server) ?? [];
    if (balancer) await kill(balancer);
  }

  /**
   * keepalived runs its VRRP work in a child process (its pid in the -r file), which outlives a killed parent.
   * @param {Server} server
   */
  killVrrpChild(server) {
    const file = this.file(server, 'vrrp.pid');
    if (!existsSync(file)) return;
    const pid = Number(readFileSync(file, 'utf8'));
    try {
      if (pid > 0) process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
    rmSync(file, { force: true });
  }

  removeAll() {
    for (const server of SERVERS) {
      this.killVrrpChild(server);
      for (const child of this.running.get(server) ?? []) child.kill('SIGKILL');
      spawnSync('ip', ['netns', 'delete', this.namespaces[server]]);
    }
    spawnSync('ip', ['netns', 'delete', this.switch]);
    this.running.clear();
  }

  async close() {
    await Promise.all(SERVERS.map((server) => this.powerOff(server).catch(() => {})));
    this.removeAll();
    this.forget();
  }
}

/** @implements {Routers} */
export class MiniRouters {
  /** @param {Lab} lab */
  constructor(lab) {
    this.lab = lab;
    /** @type {Map<Server, { daemon: import('../kit/vrrp/testing/harness.js').Daemon, balancer: import('node:child_process').ChildProcess }>} */
    this.running = new Map();
    this.forget = onCleanUp(() => {
      for (const child of lab.children) child.kill('SIGKILL');
      rmSync(lab.dir, { recursive: true, force: true });
      lab.control.close();
    });
  }

  static async open() {
    return new MiniRouters(await Lab.open(MINI_BASE));
  }

  /** @param {Server} server */
  lines(server) {
    return this.lab.daemons.filter((daemon) => daemon.server === server).flatMap((daemon) => daemon.lines);
  }

  /** @param {Server} server @param {string} conf */
  async powerOn(server, conf) {
    const balancer = await this.lab.startBalancer(server);
    this.running.set(server, { daemon: this.lab.startDaemon(server, conf), balancer });
  }

  /** @param {Server} server */
  async powerOff(server) {
    const running = this.running.get(server);
    if (!running) return;
    running.daemon.kill('SIGKILL');
    await Promise.all([running.daemon.exited, kill(running.balancer)]);
    this.running.delete(server);
  }

  /** @param {Server} server */
  async killBalancer(server) {
    const running = this.running.get(server);
    if (running) await kill(running.balancer);
  }

  async close() {
    await this.lab.close();
    this.forget();
  }
}
