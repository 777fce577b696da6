// @ts-check
/**
 * The directives of the `defaults`, `frontend`, `backend` and `listen` sections, one small reader each.
 * A reader fills in a ProxyConfig; `defaults` is a ProxyConfig too, copied into every proxy declared after it.
 * SECTIONS_OF says where each directive may appear: d(efaults) f(rontend) b(ackend) l(isten).
 */
import { ConfigError, supportedHint } from '../lib/config-error.js';
import { parseAcl, parseCondition } from './acl.js';
import { parseServerOptions, SERVER_DEFAULTS } from './server-line.js';
import { parseInteger, parseTime } from './units.js';

/**
 * @typedef {import('../lib/network.js').Endpoint} Endpoint
 * @typedef {import('../lib/network.js').Network} Network
 * @typedef {import('./server-line.js').ServerOptions} ServerOptions
 * @typedef {ServerOptions & { name: string, address: string, endpoint: Endpoint, line: number }} ServerConfig
 * @typedef {'conn-failure' | 'empty-response' | 'junk-response' | 'response-timeout' | '0rtt-rejected'} RetryableFailure
 * @typedef {{ failures: Set<RetryableFailure>, statuses: Set<number> }} RetryOn
 * @typedef {{ method: string, uri: string, version: string, headers: string[] }} HttpCheck
 * @typedef {{ connect?: number, client?: number, server?: number, check?: number, httpRequest?: number, httpKeepAlive?: number }} Timeouts
 * @typedef {object} ProxyConfig
 * @property {'defaults' | 'frontend' | 'backend' | 'listen'} kind
 * @property {string} name
 * @property {number} line
 * @property {{ address: string, endpoint: Endpoint, line: number }[]} binds
 * @property {{ name: string, line: number } | undefined} defaultBackend
 * @property {{ backend: string, line: number, condition: import('./acl.js').Condition }[]} rules
 * @property {import('./acl.js').Acls} acls
 * @property {{ uri: string, refreshMs: number } | undefined} stats
 * @property {ServerConfig[]} servers
 * @property {ServerOptions} serverDefaults
 * @property {'roundrobin' | 'static-rr' | 'leastconn' | 'source' | 'first'} balance
 * @property {Timeouts} timeouts
 * @property {number} retries
 * @property {boolean} redispatch
 * @property {RetryOn} retryOn
 * @property {boolean} forwardFor
 * @property {boolean} httpCheckEnabled  `option httpchk`: checks are HTTP requests, not bare connects
 * @property {HttpCheck} httpCheck  the check request (`option httpchk GET /health`, `http-check send ...`)
 * @property {number | undefined} httpCheckRuleLine  where the first `http-check` rule is, to report it if unused
 * @property {[number, number][] | undefined} expectStatus  `http-check expect status`; by default 2xx and 3xx pass
 * @typedef {{ file: string, line: number, directive: string }} Where
 * @typedef {(proxy: ProxyConfig, args: string[], where: Where, network: Network) => void} Reader
 */

/** @returns {ProxyConfig} HAProxy's built-in defaults */
export function builtinDefaults() {
  return {
    kind: 'defaults', name: '', line: 0, binds: [], defaultBackend: undefined, rules: [], acls: new Map(), stats: undefined,
    servers: [], serverDefaults: { ...SERVER_DEFAULTS }, balance: 'roundrobin', timeouts: {}, retries: 3, redispatch: false,
    retryOn: { failures: new Set(['conn-failure']), statuses: new Set() }, forwardFor: false, httpCheckEnabled: false,
    httpCheck: { method: 'OPTIONS', uri: '/', version: 'HTTP/1.0', headers: [] }, httpCheckRuleLine: undefined, expectStatus: undefined,
  };
}

const BALANCE = /** @type {const} */ (['roundrobin', 'static-rr', 'leastconn', 'source', 'first']);
const TIMEOUTS = /** @type {Record<string, keyof Timeouts | null>} */ ({
  connect: 'connect', client: 'client', server: 'server', check: 'check', 'http-request': 'httpRequest',
  'http-keep-alive': 'httpKeepAlive', queue: null, // accepted and ignored: the miniature has no queue
});
const RETRY_FAILURES = /** @type {const} */ (['conn-failure', 'empty-response', 'junk-response', 'response-timeout', '0rtt-rejected']);
const RETRY_STATUSES = [401, 403, 404, 408, 425, 500, 501, 502, 503, 504];

/** @type {Record<string, Reader>} */
const OPTIONS = {
  forwardfor: (proxy, args, where) => {
    if (args.length > 0) throw new ConfigError(where, `'option forwardfor ${args.join(' ')}' is not supported`, 'write just: option forwardfor');
    proxy.forwardFor = true;
  },
  redispatch: (proxy, args, where) => {
    if (args.length > 0) {
      throw new ConfigError(where, `'option redispatch ${args.join(' ')}': the miniature does not read a redispatch interval`,
        'write just: option redispatch (HAProxy\'s default interval, see the balancer\'s README: Retries)');
    }
    proxy.redispatch = true;
  },
  httpchk: (proxy, args, where) => {
    if (args.length > 3) throw new ConfigError(where, 'too many words', 'write: option httpchk GET /health');
    proxy.httpCheckEnabled = true;
    if (args.length === 0) return;
    const [method, uri, version] = args.length === 1 ? ['OPTIONS', args[0], undefined] : args;
    proxy.httpCheck = { method, uri: uri ?? '/', version: version ?? 'HTTP/1.0', headers: proxy.httpCheck.headers };
  },
  httplog: () => {}, // the miniature always logs in (simplified) httplog format
  dontlognull: () => {}, // it logs requests only, so there are no "null" connections to leave out
  'http-keep-alive': () => {}, // HAProxy's default mode, and the only one here
};

/** Where each option has an effect, when not everywhere: d(efaults), f(rontend), b(ackend), l(isten). */
const OPTION_SECTIONS = /** @type {Record<string, string>} */ ({ redispatch: 'dbl', httpchk: 'dbl', httplog: 'dfl', dontlognull: 'dfl' });
export const SECTION_LETTER = /** @type {const} */ ({ defaults: 'd', frontend: 'f', backend: 'b', listen: 'l' });

/** The sections that `letters` stand for, for a hint: 'dbl' -> "defaults, backend, listen". @param {string} letters */
export function sectionNames(letters) {
  return Object.entries(SECTION_LETTER).filter(([, letter]) => letters.includes(letter)).map(([kind]) => kind).join(', ');
}

/** @type {Record<string, { sections: string, maxArgs?: number, read: Reader }>} */
export const KEYWORDS = {
  mode: { sections: 'dfbl', maxArgs: 1, read: (_proxy, args, where) => {
    if (args[0] !== 'http') throw new ConfigError(where, `mode '${args[0] ?? ''}' is not supported: the miniature balances HTTP only`, 'write: mode http');
  } },
  log: { sections: 'dfbl', read: () => {} }, // every request is logged to standard output, whatever the target
  timeout: { sections: 'dfbl', maxArgs: 2, read: (proxy, [kind, value], where) => {
    if (!(kind in TIMEOUTS)) throw new ConfigError(where, `unknown timeout '${kind ?? ''}'`, supportedHint(kind ?? '', Object.keys(TIMEOUTS)));
    const key = TIMEOUTS[kind];
    const ms = parseTime(value, where);
    if (key) proxy.timeouts[key] = ms;
  } },
  option: { sections: 'dfbl', read: (proxy, [name, ...args], where, network) => {
    const read = OPTIONS[name ?? ''];
    if (!read) throw new ConfigError(where, `unknown option '${name ?? ''}'`, supportedHint(name ?? '', Object.keys(OPTIONS)));
    // HAProxy ignores, with a warning, an option in a section that cannot use it ("requires backend capability");
    // the miniature says so as an error, so that a learner does not believe the option works.
    const sections = OPTION_SECTIONS[name ?? ''] ?? 'dfbl';
    if (!sections.includes(SECTION_LETTER[proxy.kind])) {
      throw new ConfigError(where, `'option ${name}' has no effect in a '${proxy.kind}' section`, `it belongs in: ${sectionNames(sections)}`);
    }
    read(proxy, args, where, network);
  } },
  retries: { sections: 'dbl', maxArgs: 1, read: (proxy, [value], where) => { proxy.retries = parseInteger(value, where, 0, 100); } },
  'retry-on': { sections: 'dbl', read: (proxy, args, where) => { proxy.retryOn = parseRetryOn(args, where); } },
  balance: { sections: 'dbl', maxArgs: 1, read: (proxy, [name], where) => {
    const known = BALANCE.find((b) => b === name);
    if (!known) throw new ConfigError(where, `unknown or unsupported algorithm '${name ?? ''}'`, supportedHint(name ?? '', BALANCE));
    proxy.balance = known;
  } },
  'default-server': { sections: 'dbl', read: (proxy, args, where) => { proxy.serverDefaults = parseServerOptions(args, proxy.serverDefaults, where); } },
  server: { sections: 'bl', read: (proxy, [name, address, ...options], where, network) => {
    if (!name || !address) throw new ConfigError(where, 'a server needs a name and an address', 'write: server web-01 web-01:80 check');
    if (proxy.servers.some((s) => s.name === name)) throw new ConfigError(where, `a server named '${name}' already exists in ${proxy.name}`, 'give each server its own name');
    checkIpAddress(address, where);
    const endpoint = resolve(() => network.resolve(address), where);
    proxy.servers.push({ name, address, endpoint, line: where.line, ...parseServerOptions(options, proxy.serverDefaults, where) });
  } },
  'http-check': { sections: 'dbl', read: (proxy, args, where) => readHttpCheck(proxy, args, where) },
  bind: { sections: 'fl', read: (proxy, [address, ...rest], where, network) => {
    if (!address) throw new ConfigError(where, 'bind needs an address', 'write: bind *:80');
    if (rest.length > 0) throw new ConfigError(where, `bind options are not supported ('${rest.join(' ')}')`, 'write just: bind *:80 (no TLS in the miniature)');
    checkIpAddress(address, where);
    proxy.binds.push({ address, endpoint: resolve(() => network.listen(address), where), line: where.line });
  } },
  default_backend: { sections: 'dfl', maxArgs: 1, read: (proxy, [name], where) => {
    if (!name) throw new ConfigError(where, 'default_backend needs a backend name', 'write: default_backend web');
    proxy.defaultBackend = { name, line: where.line };
  } },
  use_backend: { sections: 'fl', read: (proxy, [name, ...condition], where) => {
    if (!name) throw new ConfigError(where, 'use_backend needs a backend name and a condition', 'write: use_backend app if is_api');
    proxy.rules.push({ backend: name, line: where.line, condition: parseCondition(condition, proxy.acls, where) });
  } },
  acl: { sections: 'fbl', read: (proxy, args, where) => {
    const { name, test } = parseAcl(args, where);
    proxy.acls.set(name, [...(proxy.acls.get(name) ?? []), test]);
  } },
  stats: { sections: 'fbl', maxArgs: 2, read: (proxy, [what, value], where) => {
    const stats = proxy.stats ?? { uri: '/haproxy?stats', refreshMs: 0 };
    if (what === 'enable') proxy.stats = stats;
    else if (what === 'uri' && value) proxy.stats = { ...stats, uri: value };
    else if (what === 'refresh') proxy.stats = { ...stats, refreshMs: parseTime(value, where) };
    else throw new ConfigError(where, `'stats ${what ?? ''}' is not supported`, 'supported here: stats enable, stats uri /stats, stats refresh 10s');
  } },
};

/**
 * @param {string[]} args
 * @param {Where} where
 * @returns {RetryOn}
 */
function parseRetryOn(args, where) {
  /** @type {RetryOn} */
  const retryOn = { failures: new Set(), statuses: new Set() };
  if (args.length === 0) throw new ConfigError(where, 'retry-on needs at least one keyword', 'write: retry-on conn-failure empty-response response-timeout');
  for (const word of args) {
    const failure = RETRY_FAILURES.find((f) => f === word);
    if (failure) retryOn.failures.add(failure);
    else if (RETRY_STATUSES.includes(Number(word))) retryOn.statuses.add(Number(word));
    else if (word === 'all-retryable-errors') {
      for (const f of RETRY_FAILURES) retryOn.failures.add(f);
      for (const s of [500, 502, 503, 504]) retryOn.statuses.add(s);
    } else if (word !== 'none') {
      throw new ConfigError(where, `unknown retry-on keyword '${word}'`, supportedHint(word, [...RETRY_FAILURES, ...RETRY_STATUSES.map(String), 'all-retryable-errors', 'none']));
    }
  }
  return retryOn;
}

/**
 * `http-check send meth GET uri /health [ver HTTP/1.1] [hdr Host example.com]` and `http-check expect status 200`.
 * @param {ProxyConfig} proxy
 * @param {string[]} args
 * @param {Where} where
 */
function readHttpCheck(proxy, [action, ...args], where) {
  proxy.httpCheckRuleLine ??= where.line;
  if (action === 'expect') {
    const codes = args[0] === 'status' && args.length === 2 ? parseStatusList(args[1]) : undefined;
    if (!codes) throw new ConfigError(where, `'http-check expect ${args.join(' ')}' is not supported`, 'write: http-check expect status 200 (or a list: 200,301-308)');
    proxy.expectStatus = codes;
    return;
  }
  if (action !== 'send') throw new ConfigError(where, `'http-check ${action ?? ''}' is not supported`, 'supported here: http-check send meth GET uri /health, http-check expect status 200');
  const check = { ...proxy.httpCheck };
  const words = [...args];
  while (words.length > 0) {
    const name = /** @type {string} */ (words.shift());
    const value = words.shift();
    if (value === undefined) throw new ConfigError(where, `'${name}' needs a value`, 'write: http-check send meth GET uri /health');
    if (name === 'meth') check.method = value;
    else if (name === 'uri') check.uri = value;
    else if (name === 'ver') check.version = value;
    else if (name === 'hdr' && words.length > 0) check.headers = [...check.headers, value, /** @type {string} */ (words.shift())];
    else throw new ConfigError(where, `unknown http-check send argument '${name}'`, supportedHint(name, ['meth', 'uri', 'ver', 'hdr']));
  }
  proxy.httpCheck = check;
}

/**
 * @param {string} text e.g. `200` or `200,301-308`
 * @returns {[number, number][] | undefined}
 */
function parseStatusList(text) {
  /** @type {[number, number][]} */
  const ranges = [];
  for (const part of text.split(',')) {
    const match = /^(\d{3})(?:-(\d{3}))?$/.exec(part);
    if (!match) return undefined;
    ranges.push([Number(match[1]), Number(match[2] ?? match[1])]);
  }
  return ranges;
}

/**
 * Runs an address lookup of lib/network.js and turns its error into a ConfigError at the line.
 * @param {() => Endpoint} lookup
 * @param {Where} where
 */
function resolve(lookup, where) {
  try {
    return lookup();
  } catch (error) {
    throw new ConfigError(where, /** @type {Error} */ (error).message,
      'write the address as host:port (web-01:80, 10.0.0.21:80, 127.0.0.1:8080); in a lab, a name must be in network.json');
  }
}

/**
 * An address written with digits and dots must be an IPv4 address: four numbers from 0 to 255. HAProxy would hand
 * `300.1.1.1` to the name resolver, which fails ("could not resolve address"); without this check the miniature would
 * try to connect to it at every request. (HAProxy also takes the short forms `127.1` and `10.1`, which the miniature
 * refuses: nobody means them on purpose.)
 * @param {string} address
 * @param {Where} where
 */
function checkIpAddress(address, where) {
  const host = address.slice(0, Math.max(0, address.lastIndexOf(':')));
  if (!/^[\d.]+$/.test(host)) return;
  const parts = host.split('.');
  if (parts.length !== 4 || parts.some((part) => !/^\d{1,3}$/.test(part) || Number(part) > 255)) {
    throw new ConfigError(where, `'${host}' is not a valid IPv4 address`,
      'an IPv4 address is four numbers from 0 to 255 separated by dots, like 10.0.0.21; in a lab, use an address of network.json');
  }
}
