// @ts-check
/**
 * Owning the virtual IP. On a real network the master adds 10.0.0.100 to its network card and sends gratuitous
 * ARP, so that the switch delivers the address's packets to it from then on. In the lab an address is a set of
 * loopback ports (`"10.0.0.100:80": 23000` in the network table): the router that holds a port listens on it and
 * forwards every TCP connection to the same port of a server, where HAProxy answers.
 *
 * Handing the address over without a gap. A port can be held by one process only, and plain `net` in a browser
 * container can neither share it (no SO_REUSEPORT) nor pass it to another process. If the old master closed the
 * port and the new one then opened it, for a few milliseconds nobody would listen, and every connection in that
 * moment would be refused: on a real network those packets only wait for the switch to learn the new owner. So
 * when a master steps down for a better one (a failback with preemption), it keeps the port and forwards each new
 * connection to the new master's server instead of its own: the port plays the switch, the forwarding its table.
 * The new master keeps a connection open to the port; when that closes (the old router stops, or its process dies)
 * it takes the port itself at once. While it forwards, the old router answers each advertisement of the new master
 * with "I forward your address to you", so that the new master knows, and reports, that the address reaches it.
 *
 * Connections already open when the address moves stay where they were until the client sends more: then, as a
 * real new owner would reset a connection it knows nothing of, they are cut. A connection that has sent nothing
 * yet goes where the address is when its first bytes arrive.
 *
 * Letting go (FAULT, stopping, a step-down whose new master has no port in the table) closes the ports and cuts
 * every connection, as the address leaves the network card. A new master that finds a port still held waits on it
 * as above. A real network has no such referee: if both routers believe they are master (they cannot hear each
 * other: "split brain"), both claim the address, and the switch sends each packet to whichever announced last.
 */
import net from 'node:net';
import { log } from './log.js';

/** The shortest pause between two tries to take a port: a holder that accepts and closes at once cannot spin us. */
const RETRY_MS = 10;

/**
 * @typedef {object} Route
 * @property {string} name                                       the virtual address, e.g. `10.0.0.100:80`
 * @property {import('../lib/network.js').Endpoint} listen       its loopback port
 * @property {string} targetName                                 the same port of this server, e.g. `lb-01:80`
 * @property {import('../lib/network.js').Endpoint} target
 * @property {Map<string, { name: string, endpoint: import('../lib/network.js').Endpoint }>} peers  the same port
 *   of each peer, by its IP address: where a handed-over port forwards
 */

export class VirtualIp {
  /**
   * @param {string} instance the vrrp_instance's name, for the log
   * @param {Route[]} routes every port of every virtual address
   * @param {() => void} onChange called when the address starts or stops reaching this router
   */
  constructor(instance, routes, onChange) {
    this.instance = `(${instance})`;
    this.routes = routes;
    this.onChange = onChange;
    /** This router is master: the address should reach its own server. */
    this.wanted = false;
    /** @type {string | undefined} the peer this router forwards the held ports to, after handing the address over */
    this.handedTo = undefined;
    /** @type {string | undefined} the peer that holds the ports and forwards them here, as its last reply said */
    this.relayedBy = undefined;
    /** @type {NodeJS.Timeout | undefined} */
    this.relayExpiry = undefined;
    /** Counts every change of where the address goes: a connection begun under an older one is cut when it sends. */
    this.generation = 0;
    /** @type {Map<Route, net.Server>} */
    this.servers = new Map();
    /** @type {Set<net.Socket>} */
    this.connections = new Set();
    /** @type {Set<NodeJS.Timeout>} */
    this.retries = new Set();
    /** @type {Set<net.Socket>} connections to a port another process holds, which close when it lets go */
    this.watches = new Set();
  }

  /** True when this process listens on every port of the address. */
  get holdsPorts() {
    return this.servers.size === this.routes.length;
  }

  /** True when the address reaches this router's server: through its own ports, or through a peer that forwards. */
  get held() {
    return this.wanted && (this.holdsPorts || this.relayedBy !== undefined);
  }

  /** Becomes the owner: takes the ports, or, when it holds them already for a new master, forwards them home again. */
  claim() {
    if (this.wanted) return;
    this.wanted = true;
    this.handedTo = undefined;
    this.generation++;
    for (const route of this.routes) {
      if (this.servers.has(route)) log(`${this.instance} ${route.name} forwards to ${route.targetName} again`);
      else this.listenOn(route, this.generation, true);
    }
    if (this.held) this.onChange();
  }

  /**
   * Steps down for the master at `peer`: keeps the ports and forwards them to it, so that no connection meets a
   * closed port. Without every port, or without a port of the peer's in the table, it lets go instead.
   * @param {string} peer the new master's IP address
   */
  handOver(peer) {
    if (!this.holdsPorts || this.routes.some((route) => !route.peers.has(peer))) {
      this.release();
      return;
    }
    const wasHeld = this.held;
    this.wanted = false;
    this.handedTo = peer;
    this.generation++;
    this.stopWaiting();
    for (const route of this.routes) {
      log(`${this.instance} handing ${route.name} over to ${peer}: it forwards to ${route.peers.get(peer)?.name} until this router lets the port go`);
    }
    if (wasHeld) this.onChange();
  }

  /** Stops listening and cuts every forwarded connection, as the address leaves this machine's network card. */
  release() {
    if (!this.wanted && this.servers.size === 0 && this.watches.size === 0 && this.retries.size === 0) return;
    const wasHeld = this.held;
    if (!this.wanted) for (const route of this.servers.keys()) log(`${this.instance} letting go of ${route.name}`);
    this.wanted = false;
    this.handedTo = undefined;
    this.forgetRelay();
    this.generation++;
    this.stopWaiting();
    for (const server of this.servers.values()) server.close();
    this.servers.clear();
    for (const socket of this.connections) socket.destroy();
    if (wasHeld) this.onChange();
  }

  /**
   * What this router answers an advertisement from `peer` with: the addresses it forwards to it, if any.
   * @param {string} peer
   * @param {string[]} addresses the instance's virtual addresses
   */
  forwardingTo(peer, addresses) {
    return this.handedTo === peer && this.holdsPorts ? addresses : [];
  }

  /**
   * The peer that holds the ports says it forwards them here. The word holds for `freshMs`: each advertisement
   * renews it; without one (a cut network) the address no longer counts as reaching this router.
   * @param {string} peer
   * @param {number} freshMs
   */
  relayedThrough(peer, freshMs) {
    if (!this.wanted || this.holdsPorts) return;
    clearTimeout(this.relayExpiry);
    this.relayExpiry = setTimeout(() => {
      if (this.holdsPorts || !this.relayedBy) return;
      log(`${this.instance} no word from ${this.relayedBy} that it still forwards the address here`);
      this.forgetRelay();
      this.onChange();
    }, freshMs);
    if (this.relayedBy === peer) return;
    this.relayedBy = peer;
    log(`${this.instance} the address reaches this router through ${peer}, which holds its ports until it lets them go`);
    this.onChange();
  }

  forgetRelay() {
    clearTimeout(this.relayExpiry);
    this.relayedBy = undefined;
  }

  stopWaiting() {
    for (const timer of this.retries) clearTimeout(timer);
    this.retries.clear();
    for (const watch of this.watches) watch.destroy();
    this.watches.clear();
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
          ? `${this.instance} ${route.name} is still held by another router: taking it as soon as it lets go`
          : `${this.instance} cannot listen on ${route.name}: ${error.message}: retrying`);
      }
      this.waitForPort(route, generation);
    });
    server.listen(route.listen.port, route.listen.host, () => {
      if (generation !== this.generation) {
        server.close();
        return;
      }
      this.servers.set(route, server);
      log(`${this.instance} listening on ${route.name}, forwarding to ${route.targetName}`);
      if (this.holdsPorts) {
        this.forgetRelay();
        this.onChange();
      }
    });
  }

  /**
   * Keeps a connection open to the port that another process holds: it closes when that process lets the port go
   * or dies, and then this router tries again at once.
   * @param {Route} route
   * @param {number} generation
   */
  waitForPort(route, generation) {
    const watch = net.connect(route.listen.port, route.listen.host);
    this.watches.add(watch);
    watch.on('error', () => {});
    const since = Date.now();
    watch.on('close', () => {
      if (!this.watches.delete(watch) || generation !== this.generation) return;
      // At once when the holder has kept the port a while; after a pause when it lets go as fast as it takes.
      const pause = Math.max(0, RETRY_MS - (Date.now() - since));
      const timer = setTimeout(() => { this.retries.delete(timer); this.listenOn(route, generation, false); }, pause);
      this.retries.add(timer);
    });
  }

  /**
   * Where a new connection to the route goes now: this server's port while master, the new master's after a handover.
   * @param {Route} route
   */
  targetOf(route) {
    if (this.wanted) return route.target;
    return this.handedTo === undefined ? undefined : route.peers.get(this.handedTo)?.endpoint;
  }

  /**
   * Pipes one connection, both ways, to where the address goes when its first bytes arrive, and ends both sides
   * together. If the address moves before the client sends again, the connection is cut, as a real new owner
   * resets a connection it never saw.
   * @param {net.Socket} client
   * @param {Route} route
   */
  forward(client, route) {
    /** @type {net.Socket | undefined} */
    let upstream;
    let generation = this.generation;
    const cut = () => { client.destroy(); upstream?.destroy(); };
    this.connections.add(client);
    client.on('error', cut);
    client.on('close', () => { this.connections.delete(client); upstream?.destroy(); });
    client.on('end', () => (upstream ? upstream.end() : client.end()));
    client.on('data', (chunk) => {
      if (upstream && generation !== this.generation) return cut();
      if (!upstream) {
        const target = this.targetOf(route);
        if (!target) return cut();
        generation = this.generation;
        const opened = net.connect({ ...target, allowHalfOpen: true });
        upstream = opened;
        opened.on('error', cut);
        opened.on('close', () => client.destroy());
        opened.on('drain', () => client.resume());
        opened.pipe(client);
      }
      if (!upstream.write(chunk)) client.pause();
      return undefined;
    });
  }
}
