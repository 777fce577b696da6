// @ts-check
/**
 * The `balance` algorithms: which server gets the next request. Every algorithm sees only the usable servers
 * (UP, weight above 0); the backend hands it a new list whenever a server goes DOWN or comes back UP.
 *
 *   roundrobin  each server in turn, as often as its weight says (round-robin.js)
 *   static-rr   the same with a fixed table of slots (server-map.js)
 *   leastconn   the server with the fewest requests in progress for its weight
 *   source      a hash of the client's address, so that a client stays on one server (server-map.js)
 *   first       the first server declared; HAProxy moves on when it reaches its maxconn, which the miniature lacks
 */
import { RoundRobin } from './round-robin.js';
import { ServerMap } from './server-map.js';

/**
 * @typedef {{ weight: number, active: number, leastconnOrder: number }} Candidate
 * @typedef {{ pick(clientAddress: string, avoid?: Candidate): Candidate | undefined }} Picker
 */

/**
 * @template {Candidate} S
 * @param {import('./keywords.js').ProxyConfig['balance']} algorithm
 * @param {S[]} servers the usable servers, in the order of the configuration
 * @returns {{ pick(clientAddress: string, avoid?: S): S | undefined }}
 */
export function createPicker(algorithm, servers) {
  switch (algorithm) {
    case 'roundrobin': {
      const rotation = new RoundRobin(servers);
      return { pick: (_client, avoid) => rotation.pick(avoid) };
    }
    case 'static-rr': {
      const map = new ServerMap(servers);
      return { pick: (_client, avoid) => map.next(avoid) };
    }
    case 'source': {
      // HAProxy ignores `avoid` here too: a redispatched retry of a client goes to its own server again.
      const map = new ServerMap(servers);
      return { pick: (client) => map.byAddress(client) };
    }
    case 'leastconn':
      return { pick: (_client, avoid) => leastConnections(servers, avoid) };
    case 'first':
      return { pick: (_client, avoid) => servers.find((s) => s !== avoid) ?? servers[0] };
  }
}

/**
 * HAProxy (lb_fwlc.c) ranks a server by (requests in progress + 1) / weight, an idle server first of all; among
 * equals, the one that has waited longest since its count last changed, which makes a round robin among idle servers.
 * @template {Candidate} S
 * @param {S[]} servers
 * @param {S} [avoid]
 */
function leastConnections(servers, avoid) {
  /** @type {S | undefined} */
  let best;
  let bestLoad = Infinity;
  for (const server of servers) {
    if (server === avoid && servers.length > 1) continue;
    const load = server.active === 0 ? 0 : Math.floor(((server.active + 1) * 256) / server.weight);
    if (load < bestLoad || (load === bestLoad && best && server.leastconnOrder < best.leastconnOrder)) {
      best = server;
      bestLoad = load;
    }
  }
  return best;
}
