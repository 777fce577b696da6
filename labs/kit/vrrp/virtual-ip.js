// @ts-check
/**
 * Owning the virtual IP. On a real network the master adds 10.0.0.100 to its network card and sends gratuitous
 * ARP, so that the switch delivers the address's packets to it from then on. In the lab an address is a set of
 * loopback ports (`"10.0.0.100:80": 23000` in the network table): the owner listens on each of them and forwards
 * every TCP connection to the same port of its own server, where HAProxy answers.
 *
 * Only one process can listen on a port, so there are never two owners: a new master that finds a port still held
 * retries until the old owner lets go. A real network has no such referee. If both routers believe they are
 * master (they cannot hear each other: "split brain"), both claim the address, and the switch sends each packet to
 * whichever announced itself last.
 */
import net from 'node:net';
import { log } from './log.js';

/** How often a new master tries again to listen on a port that the old owner still holds. */
const RETRY_MS = 50;

/**
 * @typedef {object} Route
 * @property {string} name                                       the virtual address, e.g. `10.0.0.100:80`
 * @property {import('../lib/network.js').Endpoint} listen       its loopback port
 * @property {string} targetName                                 the same port of this server, e.g. `lb-01:80`
 * @property {import('../lib/network.js').Endpoint} target
 */

export class VirtualIp {
  /**
   * @param {string} instance the vrrp_instance's name, for the log
   * @param {Route[]} routes every port of every virtual address
   * @param {() => void} onChange called when the address is fully held, or let go
   */
  constructor(instance, routes, onChange) {
    this.instance = instance;
    this.routes = routes;
    this.onChange = onChange;
    this.wanted = false;
    /** Counts claims and releases, so that a listen that completes after the address was let go is undone. */
    this.generation = 0;
    /** @type {Map<Route, net.Server>} */
    this.servers = new Map();
    /** @type {Set<net.Socket>} */
    this.connections = new Set();
    /** @type {Set<NodeJS.Timeout>} */
    this.retries = new Set();
  }

  /** True when this process listens on every port of the address. */
  get held() {
    return this.wanted && this.servers.size === this.routes.length;
  }

  claim() {
    if (this.wanted) return;
    this.wanted = true;
    this.generation++;
    for (const route of this.routes) this.listenOn(route, this.generation, true);
  }

  /** Stops listening and cuts every forwarded connection, as the address leaves this machine's network card. */
  release() {
    if (!this.wanted) return;
    const wasHeld = this.held;
    this.wanted = false;
    this.generation++;
    for (const timer of this.retries) clearTimeout(timer);
    this.retries.clear();
    for (const server of this.servers.values()) server.close();
    this.servers.clear();
    for (const socket of this.connections) socket.destroy();
    if (wasHeld) this.onChange();
  }

  /**
   * @param {Route} route
   * @param {number} generation the claim this attempt belongs to
   * @param {boolean} firstTry
   */
  listenOn(route, generation, firstTry) {
    const server = net.createServer({ allowHalfOpen: true }, (client) => this.forward(client, route));
    server.once('error', (/** @type {NodeJS.ErrnoException} */ error) => {
      if (generation !== this.generation) return;
      if (firstTry) {
        log(error.code === 'EADDRINUSE'
          ? `(${this.instance}) ${route.name} is still held by another router: retrying until it is free`
          : `(${this.instance}) cannot listen on ${route.name}: ${error.message}: retrying`);
      }
      const timer = setTimeout(() => { this.retries.delete(timer); this.listenOn(route, generation, false); }, RETRY_MS);
      this.retries.add(timer);
    });
    server.listen(route.listen.port, route.listen.host, () => {
      if (generation !== this.generation) {
        server.close();
        return;
      }
      this.servers.set(route, server);
      log(`(${this.instance}) listening on ${route.name}, forwarding to ${route.targetName}`);
      if (this.held) this.onChange();
    });
  }

  /**
   * Pipes one connection to this server's port, both ways, and ends both sides together.
   * @param {net.Socket} client
   * @param {Route} route
   */
  forward(client, route) {
    const upstream = net.connect({ ...route.target, allowHalfOpen: true });
    for (const socket of [client, upstream]) {
      this.connections.add(socket);
      socket.on('error', () => { client.destroy(); upstream.destroy(); });
      socket.on('close', () => { this.connections.delete(socket); client.destroy(); upstream.destroy(); });
    }
    client.pipe(upstream).pipe(client);
  }
}
