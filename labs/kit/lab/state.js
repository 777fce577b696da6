// @ts-check
/**
 * What the supervisor knows about the lab: every server and its services, how many requests each server has served,
 * and which server holds the virtual IP. It hands out the state JSON of labs/kit/README.md and tells subscribers
 * when it changes, at most EVENTS_PER_SECOND times a second and always with the latest state (one more when the
 * supervisor flushes a waiting change before its report of a start).
 */
import { partitionsFile } from '../lib/partitions.js';
import { Partitions } from './partitions.js';
import { Service } from './services.js';

export const EVENTS_PER_SECOND = 10;
const RUNNING = new Set(['starting', 'up']);

/**
 * @typedef {{ instance?: string, state?: string, priority?: number, addresses?: string[], claims?: string[] }} VrrpReport
 * @typedef {{ service: Service, report: VrrpReport, time: number }} VrrpEntry
 * @typedef {{ name: string, role: string, services: Service[] }} Server
 */

export class LabState {
  /** @param {import('./workspace.js').Workspace} workspace */
  constructor(workspace) {
    this.labId = workspace.manifest.id;
    this.entryHost = workspace.topology.entry.split(':')[0];
    /** @type {Server[]} */
    this.servers = workspace.topology.servers.map((spec) => ({
      name: spec.name,
      role: spec.role,
      services: spec.services.map((service) => new Service({
        server: spec.name, spec: service, workspace, onChange: () => this.changed(),
      })),
    }));
    this.hasVrrp = workspace.topology.servers.some((s) => s.services.some((service) => service.program === 'vrrp'));
    /** @type {Map<string, number>} server -> requests served, counted across restarts */
    this.requests = new Map(this.servers.map((server) => [server.name, 0]));
    /** @type {Map<string, { pid: number | null, total: number }>} service key -> the last total its process reported */
    this.reported = new Map();
    /** @type {Map<string, VrrpEntry>} `server/instance` -> the last VRRP report */
    this.vrrp = new Map();
    /** The network cuts of `lab partition`; a workspace without a folder (a test's) keeps them in memory. */
    this.partitions = new Partitions({
      servers: this.servers.map((server) => server.name),
      file: workspace.home ? partitionsFile(workspace.home) : undefined,
      onChange: () => this.changed(),
    });
    /** @type {Set<(state: ReturnType<LabState['snapshot']>) => void>} */
    this.subscribers = new Set();
    /** @type {Set<() => void>} called at once on every change, for the supervisor's own waits */
    this.watchers = new Set();
    this.lastSent = 0;
    /** @type {NodeJS.Timeout | undefined} */
    this.pending = undefined;
  }

  /** @param {string} name */
  server(name) {
    return this.servers.find((server) => server.name === name);
  }

  services() {
    return this.servers.flatMap((server) => server.services);
  }

  /**
   * A process reports the total it has served; the server's count grows by the difference. A new process starts
   * again from 0, so the supervisor remembers which process the last total came from.
   * @param {Service} service
   * @param {number} total
   */
  countRequests(service, total) {
    const last = this.reported.get(service.key);
    const previous = last && last.pid === service.lastPid ? last.total : 0;
    const delta = total >= previous ? total - previous : total;
    this.reported.set(service.key, { pid: service.lastPid, total });
    if (delta === 0) return;
    this.requests.set(service.server, (this.requests.get(service.server) ?? 0) + delta);
    this.changed();
  }

  /**
   * @param {Service} service
   * @param {VrrpReport} report
   */
  recordVrrp(service, report) {
    this.vrrp.set(`${service.server}/${report.instance ?? ''}`, { service, report, time: Date.now() });
    this.changed();
  }

  /**
   * Who holds the virtual IP: a running daemon whose last report says MASTER for it. If two say so (split brain),
   * the latest claim wins, as on a real network, where the switch believes the last gratuitous ARP it heard.
   * The claimants are every running daemon that reports MASTER for the address, whether it holds its ports or
   * still waits for them (`claims`, vrrp/instance.js): two of them mean split brain.
   */
  vip() {
    if (!this.hasVrrp && this.vrrp.size === 0) return null;
    const live = [...this.vrrp.values()].filter((entry) => RUNNING.has(entry.service.state));
    const address = live.flatMap((entry) => [...entry.report.addresses ?? [], ...entry.report.claims ?? []])[0] ?? this.entryHost;
    const masters = live
      .filter((entry) => entry.report.state === 'MASTER' && (entry.report.addresses ?? []).includes(address))
      .sort((a, b) => b.time - a.time);
    const claimants = live
      .filter((entry) => entry.report.state === 'MASTER'
        && (entry.report.claims ?? entry.report.addresses ?? []).includes(address))
      .map((entry) => entry.service.server);
    return { address, owner: masters[0]?.service.server ?? null, claimants: [...new Set(claimants)].sort() };
  }

  snapshot() {
    return {
      type: /** @type {const} */ ('state'),
      lab: this.labId,
      time: Date.now(),
      servers: this.servers.map((server) => {
        const vrrp = [...this.vrrp.values()]
          .filter((entry) => entry.service.server === server.name && RUNNING.has(entry.service.state))
          .map((entry) => entry.report);
        return {
          name: server.name,
          role: server.role,
          state: serverState(server.services),
          requests: this.requests.get(server.name) ?? 0,
          services: server.services.map((service) => service.snapshot()),
          ...(vrrp.length > 0 ? { vrrp } : {}),
        };
      }),
      vip: this.vip(),
      partitions: this.partitions.list(),
    };
  }

  /**
   * Calls `listener` with the state now and after changes, throttled; returns the function that unsubscribes.
   * @param {(state: ReturnType<LabState['snapshot']>) => void} listener
   */
  subscribe(listener) {
    this.subscribers.add(listener);
    listener(this.snapshot());
    return () => { this.subscribers.delete(listener); };
  }

  /** @param {() => void} watcher */
  watch(watcher) {
    this.watchers.add(watcher);
    return () => { this.watchers.delete(watcher); };
  }

  changed() {
    for (const watcher of this.watchers) watcher();
    if (this.pending) return;
    const wait = Math.max(0, this.lastSent + 1000 / EVENTS_PER_SECOND - Date.now());
    this.pending = setTimeout(() => this.send(), wait);
  }

  /** Sends a change that waits for its turn now, so that what follows (the start's report) comes after it. */
  flush() {
    if (this.pending) this.send();
  }

  /** @private */
  send() {
    clearTimeout(this.pending);
    this.pending = undefined;
    this.lastSent = Date.now();
    const state = this.snapshot();
    for (const subscriber of this.subscribers) subscriber(state);
  }

  close() {
    clearTimeout(this.pending);
    this.subscribers.clear();
    this.watchers.clear();
  }
}

/**
 * `up` when all services are up, `down` when none runs, `starting` while any starts, `degraded` otherwise.
 * @param {Service[]} services
 */
export function serverState(services) {
  if (services.every((service) => service.state === 'up')) return 'up';
  if (services.every((service) => !RUNNING.has(service.state))) return 'down';
  if (services.some((service) => service.state === 'starting')) return 'starting';
  return 'degraded';
}
