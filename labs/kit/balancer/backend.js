// @ts-check
/**
 * A backend at run time: its servers, whether each is UP, which one gets the next request, and the counters that
 * the stats page shows. A server's health follows HAProxy's counter (checks.c): it goes from 0 to rise+fall-1, the
 * server is UP from `rise` on; a passed check counts up and, on reaching `rise`, jumps to the top, so that it then
 * takes `fall` failed checks in a row to go DOWN. A server starts UP but at `rise`, so the first failed check after
 * startup marks it DOWN at once, as in HAProxy.
 */
import { createPicker } from './balance.js';
import { ConnectionPool } from './connection-pool.js';

let leastconnClock = 0;

export class Server {
  /**
   * @param {import('./keywords.js').ServerConfig} config
   * @param {Backend} backend
   * @param {number} id  1-based position in the backend (HAProxy's `sid`)
   */
  constructor(config, backend, id) {
    this.name = config.name;
    this.id = id;
    this.backend = backend;
    this.address = config.address;
    this.endpoint = config.endpoint;
    this.weight = config.weight;
    this.backup = config.backup;
    this.disabled = config.disabled;
    this.checked = config.check && !config.disabled;
    this.inter = config.inter;
    this.fall = config.fall;
    this.rise = config.rise;
    this.health = config.rise;
    /** One pool of keep-alive connections per server, reused from request to request. */
    this.connections = new ConnectionPool(config.endpoint, backend.config.timeouts.connect ?? 5000);
    this.active = 0;
    this.leastconnOrder = ++leastconnClock;
    this.stats = newCounters();
    this.lastChange = Date.now();
    this.downSince = 0;
    this.downtime = 0;
    this.checkFailures = 0;
    this.downs = 0;
    /** HAProxy's check_status: L4OK, L4CON, L7OK, L7STS, ... (empty until the first check) */
    this.checkStatus = '';
    /** @type {number | undefined} */
    this.checkCode = undefined;
    this.checkDuration = 0;
  }

  get up() {
    return !this.disabled && this.health >= this.rise;
  }

  get usable() {
    return this.up && this.weight > 0;
  }

  /** @param {number} change +1 when a request starts on this server, -1 when it ends */
  countActive(change) {
    this.active += change;
    this.backend.active += change;
    this.leastconnOrder = ++leastconnClock;
    if (change > 0) {
      this.stats.total++;
      this.backend.stats.total++;
      this.stats.rate.count();
      this.backend.stats.rate.count();
      if (this.active > this.stats.max) this.stats.max = this.active;
      if (this.backend.active > this.backend.stats.max) this.backend.stats.max = this.backend.active;
    }
  }
}

export class Backend {
  /** @param {import('./keywords.js').ProxyConfig} config */
  constructor(config) {
    this.name = config.name;
    this.config = config;
    this.active = 0;
    this.stats = newCounters();
    this.lastChange = Date.now();
    this.servers = config.servers.map((s, i) => new Server(s, this, i + 1));
    /** whether any server, active or backup, can take a request */
    this.available = false;
    this.picker = this.newPicker();
  }

  /**
   * The server for the next request: active servers first; only when none is usable, the first usable backup
   * (HAProxy's default; it needs `option allbackups` to balance over every backup, which the miniature lacks).
   * @param {string} clientAddress
   * @param {Server} [avoid] on a redispatch, the server that failed
   * @returns {Server | undefined}
   */
  pick(clientAddress, avoid) {
    const server = this.picker.pick(clientAddress, avoid);
    return server ?? this.servers.find((s) => s.backup && s.usable);
  }

  /** Called when a server goes UP or DOWN: the algorithm starts over with the servers now usable. */
  serversChanged() {
    const wasAvailable = this.available;
    this.picker = this.newPicker();
    if (wasAvailable !== this.available) this.lastChange = Date.now();
  }

  newPicker() {
    this.available = this.servers.some((s) => s.usable);
    return createPicker(this.config.balance, this.servers.filter((s) => !s.backup && s.usable));
  }
}

/** The per-proxy and per-server counters of the stats page. */
export function newCounters() {
  return {
    total: 0, max: 0, bytesIn: 0, bytesOut: 0, connectionErrors: 0, responseErrors: 0, retries: 0, redispatches: 0,
    /** responses by class: 1xx, 2xx, 3xx, 4xx, 5xx, other */
    responses: [0, 0, 0, 0, 0, 0],
    rate: new RateMeter(),
  };
}

/** Events per second over the last second, and the most ever seen in one second (HAProxy's rate and rate_max). */
class RateMeter {
  constructor() {
    this.second = 0;
    this.current = 0;
    this.previous = 0;
    this.max = 0;
  }

  count() {
    const second = Math.floor(Date.now() / 1000);
    if (second !== this.second) {
      this.previous = second === this.second + 1 ? this.current : 0;
      this.second = second;
      this.current = 0;
    }
    if (++this.current > this.max) this.max = this.current;
  }

  read() {
    const second = Math.floor(Date.now() / 1000);
    const rate = second === this.second ? this.previous : second === this.second + 1 ? this.current : 0;
    return { rate, rate_max: this.max };
  }
}
