// @ts-check
/**
 * The `listen` lines of a server block: `listen 80`, `listen *:80`, `listen 10.0.0.21:80`, `listen [::]:80`, each
 * optionally `default_server`. Without one, a server block listens on `*:80`, as in nginx. One server block may
 * listen on an address once: nginx refuses a second line for it ("a duplicate listen 0.0.0.0:80"), even with
 * other parameters, because it would not know which parameters hold.
 */
import { ConfigError } from '../lib/config-error.js';
import { parseAddress } from '../lib/network.js';
import { isBadIpAddress, where } from './directives.js';

/**
 * @typedef {import('./directives.js').Entry} Entry
 * @typedef {import('./config-server.js').Listen} Listen
 */

const ANY_HOST = new Set(['', '*', '0.0.0.0']);

/**
 * @param {Entry[]} entries  the server block's `listen` directives
 * @param {Entry} block      the server block, for the default `*:80`
 * @param {import('../lib/network.js').Network} network
 * @returns {Listen[]}
 */
export function readListens(entries, block, network) {
  if (entries.length === 0) return [readListen({ ...block, name: 'listen', args: ['*:80'] }, network)];
  /** @type {Listen[]} */
  const listens = [];
  for (const entry of entries) {
    const listen = readListen(entry, network);
    const earlier = listens.find((l) => l.socket === listen.socket);
    if (earlier) {
      throw new ConfigError(listen.where, `a duplicate listen ${listen.socket}`,
        `line ${earlier.where.line} of this server block listens there already: keep one of the two lines (with default_server, if it is the default)`);
    }
    listens.push(listen);
  }
  return listens;
}

/**
 * @param {Entry} entry
 * @param {import('../lib/network.js').Network} network
 * @returns {Listen}
 */
function readListen(entry, network) {
  const [address, parameter] = entry.args;
  if (parameter !== undefined && parameter !== 'default_server') {
    throw new ConfigError(where(entry), `the "${parameter}" parameter is outside the subset`, 'the only parameter supported is default_server');
  }
  const host = address.includes(':') ? address.replace(/:\d*$/, '') : '';
  if (isBadIpAddress(host)) {
    throw new ConfigError(where(entry), `host not found in "${address}" of the "listen" directive: it is not an IP address`,
      'an IPv4 address is four numbers from 0 to 255, such as 10.0.0.21; or write the port alone: listen 80;');
  }
  try {
    const { port } = parseAddress(address.includes(':') ? address : `:${address}`);
    const socket = `${ANY_HOST.has(host) ? '0.0.0.0' : host}:${port}`;
    return { address, socket, port, endpoint: network.listen(address), defaultServer: parameter === 'default_server', where: where(entry) };
  } catch (error) {
    throw new ConfigError(where(entry), `invalid address: ${/** @type {Error} */ (error).message}`, 'write a port (listen 80;), *:80, or an address and port (listen 10.0.0.21:80;)');
  }
}
