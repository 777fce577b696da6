// @ts-check
/**
 * `upstream NAME { server ADDR [weight=N] [max_fails=N] [fail_timeout=T] [backup]; }` and `proxy_pass`.
 * Addresses are resolved through the lab network table when the file is read, as nginx resolves host names
 * when it starts: a name that resolves to nothing is an error then, not a 502 later.
 */
import { ConfigError, supportedHint } from '../lib/config-error.js';
import { checkBlock, children, isBadIpAddress, readTime, where } from './directives.js';
import { Upstream } from './upstream.js';

/**
 * @typedef {import('./directives.js').Entry} Entry
 * @typedef {object} ProxyPass
 * @property {Upstream} upstream
 * @property {string} host               $proxy_host: the upstream's name, or the address as written
 * @property {string | undefined} uri    the path after the address (`/` in `http://app/`), if any
 */

const PARAMETERS = ['weight=N', 'max_fails=N', 'fail_timeout=TIME', 'backup'];

/**
 * @param {Entry} block
 * @param {import('../lib/network.js').Network} network
 */
export function readUpstream(block, network) {
  const entries = children(block);
  checkBlock(entries, 'upstream');
  if (entries.length === 0) {
    // nginx notices at the block's closing brace, and names that line.
    throw new ConfigError({ ...where(block), line: block.close ?? block.end }, `no servers are inside upstream "${block.args[0]}" (opened on line ${block.line})`,
      'add: server 10.0.0.31:3000;');
  }
  const servers = entries.map((entry) => {
    const [address, ...parameters] = entry.args;
    const server = { name: address, endpoint: resolve(entry, address, network), weight: 1, maxFails: 1, failTimeoutMs: 10_000, backup: false };
    for (const parameter of parameters) {
      const [key, value] = parameter.split('=');
      if (key === 'weight') server.weight = readCount(entry, parameter, value, 1);
      else if (key === 'max_fails') server.maxFails = readCount(entry, parameter, value, 0);
      else if (key === 'fail_timeout' && value) server.failTimeoutMs = readTime(entry, value);
      else if (parameter === 'backup') server.backup = true;
      else throw new ConfigError(where(entry), `invalid parameter "${parameter}"`, supportedHint(key, PARAMETERS));
    }
    return server;
  });
  if (servers.every((s) => s.backup)) {
    throw new ConfigError(where(block), `every server of upstream "${block.args[0]}" is a backup`, 'remove backup from at least one server');
  }
  return new Upstream(block.args[0], servers);
}

/**
 * `proxy_pass http://NAME_OR_ADDRESS[/path]`.
 * @param {Entry} entry
 * @param {Map<string, Upstream>} upstreams
 * @param {import('../lib/network.js').Network} network
 * @returns {ProxyPass}
 */
export function readProxyPass(entry, upstreams, network) {
  const target = entry.args[0];
  if (target.includes('$')) throw new ConfigError(where(entry), 'variables in proxy_pass are outside the subset', 'name an upstream or an address: proxy_pass http://app;');
  if (/^https:\/\//i.test(target)) throw new ConfigError(where(entry), 'https to the upstream is outside the subset', 'use http:// (the lab network is one machine)');
  const match = /^http:\/\/([^/?#]+)(\/.*)?$/i.exec(target);
  if (!match) throw new ConfigError(where(entry), `invalid URL "${target}"`, 'write it as: proxy_pass http://app; or proxy_pass http://10.0.0.31:3000/;');
  const [, host, uri] = match;
  const group = upstreams.get(host);
  if (group) return { upstream: group, host, uri };
  const name = host.replace(/:\d+$/, '');
  if (upstreams.has(name)) {
    throw new ConfigError(where(entry), `upstream "${name}" may not have port ${host.slice(name.length + 1)}`, `the ports are in the upstream's server lines: proxy_pass http://${name};`);
  }
  const endpoint = resolve(entry, host, network, [...upstreams.keys()]);
  const upstream = new Upstream(host, [{ name: host, endpoint, weight: 1, maxFails: 1, failTimeoutMs: 10_000, backup: false }]);
  return { upstream, host, uri };
}

/** @param {string} address */
function withPort(address) {
  return /:\d+$/.test(address) ? address : `${address}:80`;
}

/**
 * @param {Entry} entry
 * @param {string} address  as written: a port is optional (80)
 * @param {import('../lib/network.js').Network} network
 * @param {string[]} [upstreamNames]  for the hint, when a name might be a misspelt upstream
 */
function resolve(entry, address, network, upstreamNames = []) {
  if (isBadIpAddress(address.replace(/:\d+$/, ''))) {
    throw new ConfigError(where(entry), `host not found in upstream "${address}": it is not an IP address`,
      'an IPv4 address is four numbers from 0 to 255, such as 10.0.0.31');
  }
  try {
    return network.resolve(withPort(address));
  } catch (error) {
    const name = address.replace(/:\d+$/, '');
    const hint = upstreamNames.length > 0 && !/[.:]/.test(name)
      ? `no upstream is named "${name}": ${supportedHint(name, upstreamNames).replace('supported here', 'upstreams')}`
      : 'use a name or an address that the lab network table lists, or an IP address and port';
    throw new ConfigError(where(entry), `host not found in upstream "${address}": ${/** @type {Error} */ (error).message}`, hint);
  }
}

/**
 * @param {Entry} entry
 * @param {string} parameter
 * @param {string | undefined} value
 * @param {number} least
 */
function readCount(entry, parameter, value, least) {
  const count = Number(value);
  if (!value || !Number.isInteger(count) || count < least) {
    throw new ConfigError(where(entry), `invalid parameter "${parameter}"`, `it takes a whole number from ${least}, as in weight=3`);
  }
  return count;
}
