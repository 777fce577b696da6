// @ts-check
/**
 * The `lab` object a check receives: `export default async function check(lab) { ... }`. It lets a check probe
 * behaviour the way a person would (send requests, read the balancer's statistics, cut a server's power and watch
 * what happens), never read the learner's files. Everything a check turns off is turned on again after it, even
 * when the check fails or runs out of time.
 */
import { ControlClient } from './client.js';
import { labRequest } from './lab-http.js';

/** How long expectUp waits for a server that is starting: a restarted tier says it listens well within this. */
const STARTING_WAIT_MS = 10_000;

/**
 * @typedef {import('./lab-http.js').LabResponse} LabResponse
 * @typedef {{ via?: string, method?: string, headers?: Record<string, string>, body?: string, timeoutMs?: number }} RequestOptions
 */

export class CheckContext {
  /**
   * @param {import('./workspace.js').Workspace} workspace
   * @param {import('../lib/network.js').Network} network
   * @param {AbortSignal} signal aborted when the check runs out of time
   */
  constructor(workspace, network, signal) {
    this.workspace = workspace;
    this.topology = workspace.topology;
    this.network = network;
    this.signal = signal;
    this.client = new ControlClient(workspace.topology.control);
    /** @type {Set<string>} servers this check stopped or killed */
    this.touched = new Set();
    /** @type {Set<string>} network cuts this check made, `lb-01 lb-02` */
    this.cuts = new Set();
  }

  /**
   * One request through the lab network, by default to the topology's entry: `lab.request('/', { via: 'web-01:80' })`.
   * Never throws for a network error: `status` is 0 and `error` says why.
   * @param {string} [path]
   * @param {RequestOptions} [options]
   * @returns {Promise<LabResponse>}
   */
  request(path = '/', { via = this.topology.entry, ...options } = {}) {
    this.ensureTime();
    return labRequest(this.network, { address: via, path, ...options });
  }

  /**
   * `count` requests, one after another, each on a new connection.
   * @param {number} count
   * @param {string} [path]
   * @param {RequestOptions} [options]
   */
  async requests(count, path = '/', options = {}) {
    const responses = [];
    for (let i = 0; i < count; i++) responses.push(await this.request(path, options));
    return responses;
  }

  /** The supervisor's state JSON (labs/kit/README.md). */
  state() {
    this.ensureTime();
    return this.client.state();
  }

  /** @param {string} name one server's part of the state */
  async server(name) {
    const server = (await this.state()).servers.find((s) => s.name === name);
    if (!server) throw new Error(`this lab has no server ${name}`);
    return server;
  }

  /**
   * Throws, with what to do, unless every named server is up: a check about traffic means little while the
   * learner has a server turned off.
   * @param {...string} names
   */
  async expectUp(...names) {
    // A server that is still starting (the editor's save restarts its service) is waited for, as a person would.
    const deadline = Date.now() + STARTING_WAIT_MS;
    let state = await this.state();
    while (state.servers.some((s) => names.includes(s.name) && s.state === 'starting') && Date.now() < deadline) {
      await this.sleep(100);
      state = await this.state();
    }
    for (const server of state.servers.filter((s) => names.includes(s.name) && s.state !== 'up')) {
      const services = server.services.map((service) => `${service.name} ${service.state}`).join(', ');
      throw new Error(`${server.name} is ${server.state} (${services}): start it with \`lab start ${server.name}\`, then check again.`);
    }
  }

  /** Cuts the server's power: every process gets SIGKILL. @param {string} server */
  async kill(server) {
    this.ensureTime();
    this.touched.add(server);
    await this.client.act('kill', { server });
  }

  /** @param {string} server @param {string} [service] */
  async stop(server, service) {
    this.ensureTime();
    this.touched.add(server);
    await this.client.act('stop', { server, service });
  }

  /**
   * Cuts the lab network between two servers, as `lab partition` does.
   * @param {string} a
   * @param {string} b
   */
  async partition(a, b) {
    this.ensureTime();
    this.cuts.add(`${a} ${b}`);
    await this.client.act('partition', { a, b });
  }

  /**
   * Heals the cut between two servers, as `lab heal` does.
   * @param {string} a
   * @param {string} b
   */
  async heal(a, b) {
    this.ensureTime();
    await this.client.act('heal', { a, b });
    this.cuts.delete(`${a} ${b}`);
  }

  /**
   * Starts a server (or one service) and waits until it is up; throws when it does not come up.
   * @param {string} server
   * @param {string} [service]
   */
  async start(server, service) {
    this.ensureTime();
    const { settled } = await this.client.act('start', { server, service, wait: true });
    if (settled && settled.outcome !== 'up') {
      throw new Error(`${settled.failed.join(', ')} did not come up again: see \`lab logs ${server}\``);
    }
  }

  /**
   * Calls `probe` until it returns something truthy, and returns that. A probe may throw: the last error explains
   * the timeout.
   * @template T
   * @param {() => T | Promise<T>} probe
   * @param {{ timeoutMs?: number, intervalMs?: number, what?: string }} [options]
   * @returns {Promise<T>}
   */
  async waitFor(probe, { timeoutMs = 10_000, intervalMs = 200, what = 'the condition' } = {}) {
    const deadline = Date.now() + timeoutMs;
    let last = '';
    for (;;) {
      this.ensureTime();
      try {
        const value = await probe();
        if (value) return value;
      } catch (error) {
        last = /** @type {Error} */ (error).message;
      }
      if (Date.now() >= deadline) {
        throw new Error(`waited ${timeoutMs / 1000} s for ${what}, in vain${last ? `: ${last}` : ''}`);
      }
      await this.sleep(intervalMs);
    }
  }

  /**
   * A balancer's statistics, as HAProxy's stats page gives them in CSV (`<uri>;csv`): one object per line, keyed by
   * the CSV's column names (`pxname`, `svname`, `status`, `stot`, ...).
   * @param {string} address the stats page's lab address, e.g. `lb-01:8404`
   * @param {string} [uri]
   * @returns {Promise<Record<string, string>[]>}
   */
  async stats(address, uri = '/haproxy?stats') {
    const response = await this.request(`${uri};csv`, { via: address });
    const where = `http://${address}${uri};csv`;
    if (response.status === 0) throw new Error(`nothing answers at ${where} (${response.error})`);
    if (response.status !== 200) throw new Error(`${where} answered ${response.status} ${response.statusText}`);
    const [header, ...lines] = response.body.trim().split('\n');
    if (!header?.startsWith('# ')) throw new Error(`${where} did not answer with HAProxy's statistics CSV`);
    const names = header.slice(2).split(',');
    return lines.filter(Boolean).map((line) => {
      const cells = line.split(',');
      return Object.fromEntries(names.map((name, i) => [name, cells[i] ?? '']));
    });
  }

  /**
   * Looks for a server's stats page on every port the lab network table gives that server (`lb-01:80`,
   * `lb-01:8404`, ...), so that a learner may put it on any of them.
   * @param {string} server
   * @param {string} [uri]
   * @returns {Promise<{ address: string, rows: Record<string, string>[] } | null>}
   */
  async findStats(server, uri = '/haproxy?stats') {
    const addresses = Object.keys(this.network.ports).filter((address) => address.startsWith(`${server}:`));
    for (const address of addresses) {
      const rows = await this.stats(address, uri).catch(() => null);
      if (rows) return { address, rows };
    }
    return null;
  }

  /** @param {number} ms */
  sleep(ms) {
    return new Promise((resolve) => setTimeout(resolve, ms));
  }

  /** Heals the cuts this check made, and starts again every server that it stopped or killed and that is not up. */
  async restore() {
    for (const cut of this.cuts) {
      const [a, b] = cut.split(' ');
      await this.client.act('heal', { a, b });
    }
    const state = await this.client.state();
    const down = state.servers.filter((server) => this.touched.has(server.name) && server.state !== 'up');
    await Promise.all(down.map((server) => this.client.act('start', { server: server.name, wait: true })));
  }

  ensureTime() {
    if (this.signal.aborted) throw new Error('the check ran out of time');
  }
}
