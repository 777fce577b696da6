// @ts-check
/**
 * The lab network table. In a real data centre `web-01:80` reaches port 80 of another machine; in a lab every
 * "machine" is a group of processes on one loopback interface, so each address a configuration may name is given a
 * loopback port here. One configuration file therefore works unchanged in the lab and on real machines.
 *
 * The table is a JSON file, named by the LAB_NETWORK environment variable:
 *   {
 *     "hosts": { "web-01": "10.0.0.21" },           // names and their (pretend) IP addresses
 *     "ports": { "web-01:80": 7121, "10.0.0.100:80": 7100 }   // name or IP, and port -> loopback port
 *   }
 * An address the table does not name (`127.0.0.1:9101`) is used as it is, so every tier also runs alone.
 */
import { readFileSync } from 'node:fs';
import { ConfigError } from './config-error.js';

const LOOPBACK = '127.0.0.1';
const ANY_HOST = new Set(['', '*', '0.0.0.0', '::', '[::]']);

/**
 * @typedef {{ host: string, port: number }} Endpoint  where to connect or listen for real
 * @typedef {{ hosts?: Record<string, string>, ports?: Record<string, number> }} NetworkTable
 */

/**
 * Splits `host:port` (or `[v6]:port`, or `:port`, or `*:port`) and checks the port.
 * @param {string} address
 * @returns {{ host: string, port: number }}
 */
export function parseAddress(address) {
  const match = /^(\[[^\]]*\]|[^:]*):(\d+)$/.exec(address.trim());
  if (!match) throw new Error(`'${address}' is not an address of the form host:port (for example web-01:80)`);
  const port = Number(match[2]);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`port ${match[2]} in '${address}' is out of range: a port is a number from 1 to 65535`);
  }
  return { host: match[1], port };
}

export class Network {
  /**
   * @param {NetworkTable} table
   * @param {string} [self] the name of the server this process runs on (LAB_SERVER)
   */
  constructor(table = {}, self = '') {
    this.hosts = table.hosts ?? {};
    this.ports = table.ports ?? {};
    this.self = self;
    /** @type {Map<string, string>} IP address -> host name */
    this.nameOfIp = new Map(Object.entries(this.hosts).map(([name, ip]) => [ip, name]));
    /** @type {Map<number, string>} loopback port -> `name:port` as written in the table */
    this.nameOfPort = new Map(Object.entries(this.ports).map(([address, port]) => [port, address]));
  }

  /**
   * Where to connect for an address written in a configuration.
   * @param {string} address e.g. `web-01:80`, `10.0.0.21:80`, `127.0.0.1:9101`
   * @returns {Endpoint}
   */
  resolve(address) {
    const { host, port } = parseAddress(address);
    const mapped = this.lookup(host, port);
    if (mapped !== undefined) return { host: LOOPBACK, port: mapped };
    if (host in this.hosts || isName(host)) {
      throw new Error(`cannot resolve '${host}': the lab network table has no port ${port} for it` +
        ` (known: ${Object.keys(this.ports).join(', ') || 'none'})`);
    }
    return { host: stripBrackets(host), port };
  }

  /**
   * Where to listen for a `bind` / `listen` address. `*:80` means port 80 of this server.
   * Unmapped wildcard binds stay on loopback: a learner's lab must never be reachable from the local network.
   * @param {string} address
   * @returns {Endpoint}
   */
  listen(address) {
    const { host, port } = parseAddress(address.includes(':') ? address : `:${address}`);
    if (ANY_HOST.has(host)) {
      const mapped = this.self ? this.lookup(this.self, port) : undefined;
      return { host: LOOPBACK, port: mapped ?? port };
    }
    return this.resolve(`${host}:${port}`);
  }

  /**
   * The lab name of a loopback port, for display: 7121 -> `web-01:80`.
   * @param {number} port
   */
  nameOf(port) {
    return this.nameOfPort.get(port);
  }

  /**
   * @param {string} host a name or an IP address
   * @param {number} port
   * @returns {number | undefined}
   */
  lookup(host, port) {
    const direct = this.ports[`${host}:${port}`];
    if (direct !== undefined) return direct;
    const name = this.nameOfIp.get(host);
    if (name !== undefined) return this.ports[`${name}:${port}`];
    const ip = this.hosts[host];
    return ip === undefined ? undefined : this.ports[`${ip}:${port}`];
  }
}

/**
 * The table this process was started with: LAB_NETWORK names the file, LAB_SERVER this server.
 * Without LAB_NETWORK the table is empty and every address is used as it is.
 * @param {NodeJS.ProcessEnv} [env]
 */
export function loadNetwork(env = process.env) {
  const file = env.LAB_NETWORK;
  if (!file) return new Network({}, env.LAB_SERVER ?? '');
  /** @type {NetworkTable} */
  let table;
  try {
    table = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    // A ConfigError, so that every tier prints it as one line for a person rather than a stack trace.
    throw new ConfigError({ file, line: 0 }, `cannot read the lab network table (named by LAB_NETWORK): ${/** @type {Error} */ (error).message}`,
      'point LAB_NETWORK at the lab\'s network.json, or unset it to run the program alone');
  }
  return new Network(table, env.LAB_SERVER ?? '');
}

/** @param {string} host */
function isName(host) {
  return /^[a-z][a-z0-9.-]*$/i.test(host) && host !== 'localhost';
}

/** @param {string} host */
function stripBrackets(host) {
  return host.startsWith('[') ? host.slice(1, -1) : host === 'localhost' ? LOOPBACK : host;
}
