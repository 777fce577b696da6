// @ts-check
/**
 * Which server block and which location answer a request, chosen as nginx chooses them.
 *
 * Server: among the blocks that listen on the port the request came in on, the one whose `server_name` matches
 * the Host header (an exact name, then the longest `*.example.com`, then the longest `www.example.*`), else the
 * port's `default_server`, else the first block that listens on the port.
 *
 * Location: an exact match (`location = /x`) wins at once; otherwise the longest matching prefix, wherever it
 * stands in the file. nginx would then try regular-expression locations unless that prefix was written `^~`;
 * the subset has no regular-expression locations, so `^~` and a plain prefix choose alike here.
 */
import { ConfigError } from '../lib/config-error.js';

/**
 * @typedef {import('./config-server.js').VirtualServer} VirtualServer
 * @typedef {import('./config-server.js').Listen} Listen
 * @typedef {import('./config-server.js').Location} Location
 * @typedef {{ server: VirtualServer, listen: Listen }} Binding
 * @typedef {{ endpoint: import('../lib/network.js').Endpoint, bindings: Binding[], fallback: Binding }} Port
 *   one listening socket and the server blocks that share it
 */

/**
 * @param {VirtualServer[]} servers
 * @returns {Port[]}
 */
export function groupByPort(servers) {
  /** @type {Map<string, Port>} */
  const ports = new Map();
  for (const server of servers) {
    for (const listen of server.listens) {
      const key = `${listen.endpoint.host}:${listen.endpoint.port}`;
      const binding = { server, listen };
      const port = ports.get(key);
      if (!port) {
        ports.set(key, { endpoint: listen.endpoint, bindings: [binding], fallback: binding });
        continue;
      }
      if (port.bindings.some((b) => b.server === server)) continue;
      port.bindings.push(binding);
      if (listen.defaultServer) {
        const other = port.fallback.listen;
        if (other.defaultServer) {
          // nginx keeps 0.0.0.0:80 and 10.0.0.21:80 apart; a lab server has one address, so they share a socket here.
          const same = other.socket === listen.socket ? '' : ` (${other.socket} there: in the miniature both are one socket)`;
          throw new ConfigError(listen.where, `a duplicate default server for ${listen.socket}`,
            `line ${other.where.line} already names the default server${same}: keep default_server on one of them`);
        }
        port.fallback = binding;
      }
    }
  }
  return [...ports.values()];
}

/**
 * @param {Port} port
 * @param {string} host  the request's host name, lower case, without the port
 * @returns {Binding}
 */
export function pickServer(port, host) {
  if (host) {
    const exact = port.bindings.find((b) => b.server.names.includes(host) || b.server.names.includes(`.${host}`));
    if (exact) return exact;
    const wildcard = longestMatch(port.bindings, (name) => {
      if (name.startsWith('*.')) return host.endsWith(name.slice(1)) ? name.length : 0;
      if (name.startsWith('.')) return host.endsWith(name) ? name.length : 0;
      return 0;
    }) ?? longestMatch(port.bindings, (name) => (name.endsWith('.*') && host.startsWith(name.slice(0, -1)) ? name.length : 0));
    if (wildcard) return wildcard;
  }
  return port.fallback;
}

/**
 * @param {VirtualServer} server
 * @param {string} uri the normalized path
 * @returns {Location} the server's own settings (`fallback`) when no location matches
 */
export function pickLocation(server, uri) {
  /** @type {Location | undefined} */
  let best;
  for (const location of server.locations) {
    if (location.modifier === '=') {
      if (uri === location.path) return location;
    } else if (uri.startsWith(location.path) && (!best || location.path.length > best.path.length)) {
      best = location;
    }
  }
  return best ?? server.fallback;
}

/**
 * nginx's one special case: a request for `/api` where `location /api/` proxies (and no location matches `/api`
 * exactly) is answered with a 301 to `/api/`, rather than served by whatever location `/api` would match.
 * @param {VirtualServer} server
 * @param {string} uri
 */
export function needsSlash(server, uri) {
  return server.locations.some((l) => l.proxyPass && l.modifier !== '=' && l.path === `${uri}/`)
    && !server.locations.some((l) => l.modifier === '=' && l.path === uri);
}

/**
 * @param {Binding[]} bindings
 * @param {(name: string) => number} score  how long the matching part of a name is; 0 when it does not match
 */
function longestMatch(bindings, score) {
  /** @type {Binding | undefined} */
  let best;
  let bestScore = 0;
  for (const binding of bindings) {
    for (const name of binding.server.names) {
      const value = score(name);
      if (value > bestScore) [best, bestScore] = [binding, value];
    }
  }
  return best;
}
