// @ts-check
/**
 * Reads one `vrrp_instance NAME { ... }` block of keepalived.conf. The rules that need the whole file (tracked
 * scripts that exist, script security) are in config.js.
 */
import { ConfigError } from '../lib/config-error.js';
import { blockOf, collect, fail, failUnknown, flag, integerIn, ipv4, singleValue } from './config-values.js';

/** @typedef {import('../lib/brace-config.js').Directive} Directive */
/** @typedef {{ address: string, line: number }} Placed  a value and the line it was written on */

/**
 * @typedef {object} InstanceConfig
 * @property {string} name
 * @property {number} line
 * @property {'MASTER' | 'BACKUP'} state
 * @property {string} interface           recorded only: the lab has no network interfaces
 * @property {number} virtualRouterId
 * @property {number} priority            1 to 255; 255 means "owns the address" in VRRP
 * @property {number} advertInt           seconds between advertisements
 * @property {string | undefined} authPass
 * @property {Directive | undefined} nopreemptAt     the line, for errors that point at it
 * @property {boolean} nopreempt
 * @property {Array<Placed & { prefix: number }>} virtualAddresses
 * @property {Placed} unicastSrcIp
 * @property {Placed[]} unicastPeers
 * @property {Placed[]} trackScripts       each `address` here is a vrrp_script's name
 */

const PRIORITY_MEANING = 'the higher wins; 0 is what a stopping master sends, 255 means the router owns the address';

const KNOWN = ['state', 'interface', 'virtual_router_id', 'priority', 'advert_int', 'authentication', 'virtual_ipaddress',
  'unicast_src_ip', 'unicast_peer', 'nopreempt', 'track_script'];

/**
 * @param {Directive} block the `vrrp_instance` directive
 * @param {string} file
 * @param {2 | 3} version the VRRP version from global_defs
 * @param {ConfigError[]} errors where the error of each line goes, so that the reading goes on to the next line
 * @returns {InstanceConfig}
 */
export function readInstance(block, file, version, errors) {
  const children = blockOf(block, file, 1);
  /** @type {Partial<InstanceConfig>} */
  const instance = { name: block.args[0], line: block.line, state: 'BACKUP', priority: 100, advertInt: 1, nopreempt: false,
    virtualAddresses: [], unicastPeers: [], trackScripts: [] };
  for (const directive of children) collect(errors, () => readLine(instance, directive, file, version));
  return checkComplete(instance, block, file, errors, new Set(children.map((d) => d.name)));
}

/**
 * One line of a vrrp_instance block.
 * @param {Partial<InstanceConfig>} instance
 * @param {Directive} directive
 * @param {string} file
 * @param {2 | 3} version
 */
function readLine(instance, directive, file, version) {
  switch (directive.name) {
    case 'state': instance.state = readState(directive, file); break;
    case 'interface': instance.interface = singleValue(directive, file); break;
    case 'virtual_router_id': instance.virtualRouterId = integerIn(directive, file, 1, 255, 'the same on both routers of a pair'); break;
    case 'priority': instance.priority = integerIn(directive, file, 1, 255, PRIORITY_MEANING); break;
    case 'advert_int': instance.advertInt = readAdvertInt(directive, file, version); break;
    case 'authentication': instance.authPass = readAuthentication(directive, file, version); break;
    case 'virtual_ipaddress': instance.virtualAddresses = blockOf(directive, file).map((line) => readVirtualAddress(line, file)); break;
    case 'unicast_src_ip': instance.unicastSrcIp = { address: ipv4(directive, file, singleValue(directive, file)), line: directive.line }; break;
    case 'unicast_peer': instance.unicastPeers = blockOf(directive, file).map((line) => readListed(line, file, true)); break;
    case 'nopreempt': instance.nopreempt = flag(directive, file); instance.nopreemptAt = directive; break;
    case 'track_script': instance.trackScripts = blockOf(directive, file).map((line) => readListed(line, file, false)); break;
    default: failUnknown(directive, file, 'vrrp_instance', KNOWN);
  }
}

/**
 * Reports each required line that is missing, and the rules between lines.
 * @param {Partial<InstanceConfig>} instance
 * @param {Directive} block
 * @param {string} file
 * @param {ConfigError[]} errors
 * @param {Set<string>} written the directives of the block: one written with a wrong value has its own error already
 * @returns {InstanceConfig}
 */
function checkComplete(instance, block, file, errors, written) {
  const missing = (/** @type {string} */ what, /** @type {string} */ hint) => {
    if (!written.has(what)) errors.push(new ConfigError({ file, line: block.line, directive: block.name }, `'${instance.name}' has no ${what}`, hint));
  };
  if (instance.interface === undefined) missing('interface', 'add: interface eth0 (the network card that carries the virtual IP on a real host)');
  if (instance.virtualRouterId === undefined) missing('virtual_router_id', 'add: virtual_router_id 51 (the same number on every router of this pair)');
  if (instance.virtualAddresses?.length === 0) missing('virtual_ipaddress', 'add: virtual_ipaddress { 10.0.0.100/24 }');
  if (instance.unicastSrcIp === undefined) {
    missing('unicast_src_ip', 'the lab has no multicast: add unicast_src_ip with this router\'s own address, e.g. unicast_src_ip 10.0.0.11');
  }
  if (instance.unicastPeers?.length === 0) {
    missing('unicast_peer', 'the lab has no multicast: add unicast_peer { 10.0.0.12 } with the other router\'s address');
  }
  const self = instance.unicastPeers?.find((peer) => peer.address === instance.unicastSrcIp?.address);
  if (self) {
    errors.push(new ConfigError({ file, line: self.line, directive: 'unicast_peer' },
      `${self.address} is this router's own address (unicast_src_ip)`, 'list only the other routers in unicast_peer'));
  }
  const nopreemptAt = instance.nopreemptAt;
  if (nopreemptAt && instance.state === 'MASTER') {
    collect(errors, () => fail(nopreemptAt, file, 'does not work with state MASTER: keepalived clears it and `keepalived -t` fails',
      'write state BACKUP on both routers; the higher priority still wins the first election'));
  }
  return /** @type {InstanceConfig} */ (instance);
}

/**
 * @param {Directive} directive
 * @param {string} file
 * @returns {'MASTER' | 'BACKUP'}
 */
function readState(directive, file) {
  const value = singleValue(directive, file);
  if (value !== 'MASTER' && value !== 'BACKUP') fail(directive, file, `unknown state '${value}'`, 'write state MASTER or state BACKUP');
  return value;
}

/**
 * advert_int in seconds. keepalived speaks VRRP version 2 unless told otherwise, and version 2 carries whole
 * seconds only (keepalived rounds 0.2 to 1 and `-t` fails); version 3 carries hundredths, up to 40.95 s.
 * @param {Directive} directive
 * @param {string} file
 * @param {2 | 3} version
 */
function readAdvertInt(directive, file, version) {
  const text = singleValue(directive, file);
  if (!/^\d+(\.\d{1,2})?$/.test(text)) {
    fail(directive, file, `'${text}' is not a number of seconds`, 'write seconds with at most two decimals, e.g. advert_int 1 or advert_int 0.2');
  }
  const seconds = Number(text);
  if (version === 2 && !Number.isInteger(seconds)) {
    fail(directive, file, `${text}: VRRP version 2 (keepalived's default) sends whole seconds only`,
      'for fractions of a second add vrrp_version 3 to global_defs (version 3 has no authentication block), or use 1 to 255');
  }
  const [min, max] = version === 2 ? [1, 255] : [0.01, 40.95];
  if (seconds < min || seconds > max) fail(directive, file, `${text} is out of range`, `VRRP version ${version} allows ${min} to ${max} seconds`);
  return seconds;
}

/**
 * The `authentication` block (auth_type PASS, auth_pass SECRET): the password every advertisement must carry.
 * @param {Directive} block
 * @param {string} file
 * @param {2 | 3} version
 */
function readAuthentication(block, file, version) {
  if (version === 3) {
    fail(block, file, 'VRRP version 3 has no authentication: keepalived ignores the block and `keepalived -t` fails',
      'remove the authentication block, or the vrrp_version 3 line (version 2 needs a whole-second advert_int)');
  }
  let type = '';
  let pass = '';
  for (const directive of blockOf(block, file)) {
    if (directive.name === 'auth_type') {
      type = singleValue(directive, file);
      if (type !== 'PASS') fail(directive, file, `the lab supports auth_type PASS only, not '${type}'`, 'write auth_type PASS');
    } else if (directive.name === 'auth_pass') {
      pass = singleValue(directive, file);
      if (pass.length > 8) fail(directive, file, 'is longer than 8 characters: keepalived cuts it to 8 and `keepalived -t` fails', 'use at most 8 characters');
    } else {
      failUnknown(directive, file, 'authentication', ['auth_type', 'auth_pass']);
    }
  }
  if (!type || !pass) fail(block, file, 'needs both auth_type and auth_pass', 'write auth_type PASS and auth_pass SECRET inside the block, each on its own line');
  return pass;
}

/**
 * One line of `virtual_ipaddress { }`: `10.0.0.100/24 [dev eth0]`.
 * @param {Directive} line
 * @param {string} file
 */
function readVirtualAddress(line, file) {
  const [address, bits = '32'] = line.name.split('/');
  ipv4(line, file, address);
  const prefix = Number(bits);
  if (!/^\d+$/.test(bits) || prefix > 32) fail(line, file, `'/${bits}' is not a prefix length`, 'write a prefix from 0 to 32, as in 10.0.0.100/24');
  const devOnly = line.args.length === 0 || (line.args.length === 2 && line.args[0] === 'dev');
  if (line.children || !devOnly) fail(line, file, 'the lab reads an address, its prefix and dev only', 'write it as: 10.0.0.100/24 dev eth0');
  return { address, prefix, line: line.line };
}

/**
 * One line of a list block: an address in `unicast_peer { }`, a script name in `track_script { }`.
 * @param {Directive} line
 * @param {string} file
 * @param {boolean} isAddress
 */
function readListed(line, file, isAddress) {
  if (line.children || line.args.length > 0) {
    fail(line, file, 'write one name alone on each line of this block',
      isAddress ? 'write each peer address on its own line' : 'set the weight in the vrrp_script block; the lab reads only the name here');
  }
  return { address: isAddress ? ipv4(line, file, line.name) : line.name, line: line.line };
}
