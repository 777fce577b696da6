// @ts-check
/**
 * What the supervisor does when asked: start, stop, restart and kill servers or single services, take the tiers'
 * reports, and wait until started services are up. The control API (control-api.js) is a thin HTTP layer over this.
 */
import { UsageError } from './errors.js';

/** How long a start waits for its services to be up before it answers anyway. */
export const SETTLE_TIMEOUT_MS = 15_000;

/**
 * @typedef {import('./services.js').Service} Service
 * @typedef {{ outcome: 'up' | 'failed' | 'timeout', failed: string[] }} Settled
 * @typedef {{ server?: unknown, service?: unknown, requests?: unknown, ready?: unknown, pid?: unknown,
 *   vrrp?: import('./state.js').VrrpReport }} Report
 */

export class LabController {
  /** @param {import('./state.js').LabState} state */
  constructor(state) {
    this.state = state;
  }

  /** Starts every service of every server at once: node takes a while to start, so nothing waits for anything. */
  up() {
    const services = this.state.services();
    for (const service of services) service.start();
    return services;
  }

  /** Stops every service; the network is whole again for the next start. */
  down() {
    this.state.partitions.clear();
    return Promise.all(this.state.services().map((service) => service.stop()));
  }

  /**
   * `lab partition A B`: cuts the lab network between two servers (partitions.js).
   * @param {unknown} a
   * @param {unknown} b
   */
  partition(a, b) {
    return this.state.partitions.cut(a, b);
  }

  /**
   * `lab heal [A B]`: heals one cut, or all of them.
   * @param {unknown} a
   * @param {unknown} b
   */
  heal(a, b) {
    return this.state.partitions.heal(a, b);
  }

  /**
   * @param {string} server
   * @param {string} [service]
   */
  start(server, service) {
    const services = this.select(server, service);
    for (const one of services) one.start();
    return services;
  }

  /**
   * @param {string} server
   * @param {string} [service]
   */
  async stop(server, service) {
    await Promise.all(this.select(server, service).map((one) => one.stop()));
  }

  /**
   * @param {string} server
   * @param {string} [service]
   */
  async restart(server, service) {
    await this.stop(server, service);
    return this.start(server, service);
  }

  /**
   * Every process of the server gets SIGKILL in the same instant, as when its power is cut.
   * @param {string} server
   */
  async kill(server) {
    await Promise.all(this.select(server).map((service) => service.kill()));
  }

  /**
   * Resolves once every one of `services` is up, or one of them stopped running, or the time is up.
   * @param {Service[]} services
   * @param {number} [timeoutMs]
   * @returns {Promise<Settled>}
   */
  settle(services, timeoutMs = SETTLE_TIMEOUT_MS) {
    return new Promise((resolve) => {
      const check = () => {
        const failed = services.filter((s) => s.state !== 'up' && s.state !== 'starting').map((s) => s.key);
        if (failed.length > 0) finish({ outcome: 'failed', failed });
        else if (services.every((s) => s.state === 'up')) finish({ outcome: 'up', failed: [] });
      };
      /** @param {Settled} result */
      const finish = (result) => {
        unwatch();
        clearTimeout(timer);
        resolve(result);
      };
      const unwatch = this.state.watch(check);
      const timer = setTimeout(() => finish({
        outcome: 'timeout', failed: services.filter((s) => s.state !== 'up').map((s) => s.key),
      }), timeoutMs);
      check();
    });
  }

  /**
   * A tier's report (lib/report.js): readiness, its request total, or its VRRP state.
   * @param {Report} report
   * @returns {boolean} whether the report named a service of this lab
   */
  report(report) {
    const server = this.state.server(String(report.server));
    const service = server?.services.find((one) => one.name === report.service);
    if (!service) return false;
    if (report.ready === true) service.markReady(typeof report.pid === 'number' ? report.pid : undefined);
    if (typeof report.requests === 'number' && report.requests >= 0) this.state.countRequests(service, report.requests);
    if (report.vrrp && typeof report.vrrp === 'object') this.state.recordVrrp(service, report.vrrp);
    return true;
  }

  /**
   * The last `count` lines of a server's output, its services' lines interleaved in time order.
   * @param {string} server
   * @param {string | undefined} service
   * @param {number} count
   */
  logs(server, service, count) {
    return this.select(server, service)
      .flatMap((one) => one.logs.tail(count))
      .sort((a, b) => a.time - b.time)
      .slice(-count);
  }

  /**
   * @param {string} server
   * @param {string | undefined} service
   * @param {(line: import('./log-ring.js').LogLine) => void} listener
   */
  follow(server, service, listener) {
    const stops = this.select(server, service).map((one) => one.logs.follow(listener));
    return () => { for (const stop of stops) stop(); };
  }

  /**
   * @param {string} serverName
   * @param {string} [serviceName]
   * @returns {Service[]}
   */
  select(serverName, serviceName) {
    const server = this.state.server(serverName);
    if (!server) {
      throw new UsageError(`there is no server '${serverName}' in this lab: the servers are ` +
        `${this.state.servers.map((s) => s.name).join(', ')}`);
    }
    if (serviceName === undefined) return server.services;
    const service = server.services.find((one) => one.name === serviceName);
    if (!service) {
      throw new UsageError(`${serverName} has no service '${serviceName}': its services are ` +
        `${server.services.map((s) => s.name).join(', ')}`);
    }
    return [service];
  }
}
