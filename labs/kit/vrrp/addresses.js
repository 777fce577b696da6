// @ts-check
/**
 * Where an instance listens and whom it talks to, looked up once in the lab network table. On a real host these
 * are IP addresses on network cards; in the lab each is a loopback port, so an address the table does not give
 * is an error here, at start-up (and in `-t` when LAB_NETWORK is set), the way `keepalived -t` refuses an
 * interface that does not exist.
 */
import { ConfigError } from '../lib/config-error.js';
import { parseAddress } from '../lib/network.js';
import { VRRP_PORT } from './adverts.js';

/**
 * @typedef {object} InstanceAddresses
 * @property {import('../lib/network.js').Endpoint} listen   where advertisements for this router arrive
 * @property {import('../lib/network.js').Endpoint[]} peers  where its advertisements go
 * @property {import('./virtual-ip.js').Route[]} routes      what owning the virtual IP means
 */

/**
 * @param {import('./instance-config.js').InstanceConfig} instance
 * @param {object} context
 * @param {import('../lib/network.js').Network} context.network
 * @param {string} context.home   the server this daemon runs on: LAB_SERVER, or else its unicast_src_ip
 * @param {string} context.file   the configuration file, for messages
 * @param {string} context.table  the network table's file, for hints
 * @returns {InstanceAddresses}
 */
export function planAddresses(instance, { network, home, file, table }) {
  /**
   * @param {string} host
   * @param {number} port
   * @param {number} line
   * @param {string} directive
   * @param {string} role
   */
  const endpoint = (host, port, line, directive, role) => {
    if (network.lookup(host, port) === undefined) {
      throw new ConfigError({ file, line, directive }, `the lab network table has no port for ${host}:${port}, ${role}`,
        `add "${host}:${port}": <a free port> to "ports" in ${table}`);
    }
    return network.resolve(`${host}:${port}`);
  };
  const src = instance.unicastSrcIp;
  const listen = endpoint(src.address, VRRP_PORT, src.line, 'unicast_src_ip', 'where this router hears advertisements');
  const peers = instance.unicastPeers.map((peer) =>
    endpoint(peer.address, VRRP_PORT, peer.line, 'unicast_peer', 'where this router sends its advertisements'));
  const routes = instance.virtualAddresses.flatMap((vip) => {
    const ports = portsOf(network, vip.address);
    if (ports.length === 0) {
      throw new ConfigError({ file, line: vip.line, directive: 'virtual_ipaddress' },
        `the lab network table gives ${vip.address} no port, so owning it would mean nothing`,
        `add "${vip.address}:80": <a free port> to "ports" in ${table}`);
    }
    return ports.map((port) => ({
      name: `${vip.address}:${port}`,
      listen: network.resolve(`${vip.address}:${port}`),
      targetName: `${home}:${port}`,
      target: endpoint(home, port, vip.line, 'virtual_ipaddress', `where ${vip.address}:${port} forwards (the same port of this server)`),
      peers: peerTargets(network, instance.unicastPeers, port),
    }));
  });
  return { listen, peers, routes };
}

/**
 * The same port on each peer, where a router that hands the address over forwards it (virtual-ip.js). A peer the
 * table gives no such port is left out: handing over to it closes the port, as letting go does.
 * @param {import('../lib/network.js').Network} network
 * @param {import('./instance-config.js').Placed[]} peers
 * @param {number} port
 * @returns {Map<string, { name: string, endpoint: import('../lib/network.js').Endpoint }>} by the peer's IP address
 */
function peerTargets(network, peers, port) {
  const targets = new Map();
  for (const { address } of peers) {
    if (network.lookup(address, port) === undefined) continue;
    targets.set(address, { name: `${network.nameOfIp.get(address) ?? address}:${port}`, endpoint: network.resolve(`${address}:${port}`) });
  }
  return targets;
}

/**
 * Every port the table gives an address, under its IP or under a name that has that IP.
 * @param {import('../lib/network.js').Network} network
 * @param {string} ip
 */
function portsOf(network, ip) {
  const ports = Object.keys(network.ports).map(parseAddress)
    .filter(({ host }) => host === ip || network.hosts[host] === ip)
    .map(({ port }) => port);
  return [...new Set(ports)];
}
