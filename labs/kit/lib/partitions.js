// @ts-check
/**
 * Network partitions: `lab partition lb-01 lb-02` cuts the lab network between two servers. On a real network a
 * cable is pulled or a firewall drops the packets; in a lab every server is a group of processes on one loopback
 * interface, so nothing stands between them to cut. Instead the supervisor writes the cuts to a file in the
 * workspace, and a tier asks this module, before it sends, whether the server it sends to is cut off from its own.
 *
 *   .lab/partitions.json    { "cuts": [["lb-01", "lb-02"]] }   each cut a sorted pair of server names
 *
 * The file is read again only when it changes (its size, time or inode), so asking before every packet costs one
 * stat. A service started during a partition reads the file too: a restart does not heal a cut.
 */
import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseAddress } from './network.js';

/** @typedef {[string, string]} Cut  two server names, sorted */

/**
 * Where a workspace keeps its cuts.
 * @param {string} home the workspace (LAB_HOME)
 */
export function partitionsFile(home) {
  return path.join(home, '.lab', 'partitions.json');
}

/**
 * Writes the cuts at once, by renaming a complete file into place, so that a reader never sees half of it.
 * @param {string} file
 * @param {Cut[]} cuts
 */
export function writeCuts(file, cuts) {
  const partial = `${file}.${process.pid}.tmp`;
  writeFileSync(partial, `${JSON.stringify({ cuts })}\n`);
  renameSync(partial, file);
}

/**
 * The cuts in the file; none when it does not exist or cannot be read (a half-written file never is, see writeCuts).
 * @param {string} file
 * @returns {Cut[]}
 */
export function readCuts(file) {
  try {
    const { cuts } = JSON.parse(readFileSync(file, 'utf8'));
    return Array.isArray(cuts) ? cuts.filter((cut) => Array.isArray(cut) && cut.length === 2) : [];
  } catch {
    return [];
  }
}

/**
 * A function that tells whether this server is cut off from the server behind a lab address. Without LAB_HOME
 * and LAB_SERVER (a tier run alone), nothing is ever cut.
 * @param {import('./network.js').Network} network
 * @param {NodeJS.ProcessEnv} [env]
 * @returns {(address: string) => string | undefined} for an address such as `10.0.0.12:112` or `lb-02:80`: the name
 *   of the server on the other side of a cut, or undefined when the way is open
 */
export function createPartitionCheck(network, env = process.env) {
  const self = env.LAB_SERVER;
  if (!env.LAB_HOME || !self) return () => undefined;
  const file = partitionsFile(env.LAB_HOME);
  let seen = '';
  /** @type {Set<string>} the servers cut off from this one */
  let cutOff = new Set();
  return (address) => {
    const version = fileVersion(file);
    if (version !== seen) {
      seen = version;
      cutOff = new Set(readCuts(file).filter((cut) => cut.includes(self)).map(([a, b]) => (a === self ? b : a)));
    }
    if (cutOff.size === 0) return undefined;
    const server = serverOf(network, address);
    return server !== undefined && cutOff.has(server) ? server : undefined;
  };
}

/**
 * The server a lab address belongs to: `10.0.0.12:112` -> `lb-02`, through the table's hosts.
 * @param {import('./network.js').Network} network
 * @param {string} address
 */
function serverOf(network, address) {
  const { host } = parseAddress(address);
  if (host in network.hosts) return host;
  return network.nameOfIp.get(host);
}

/** @param {string} file */
function fileVersion(file) {
  try {
    const stat = statSync(file);
    return `${stat.ino}:${stat.size}:${stat.mtimeMs}`;
  } catch {
    return 'none';
  }
}
