// @ts-check
/**
 * Loads haproxy.cfg: reads the sections (config-file.js), the directives of each (keywords.js), and checks what only
 * the whole file can tell: that something listens, and that every backend named in a rule exists.
 *
 * As in HAProxy, a `defaults` section applies to the proxies declared after it, until the next `defaults`;
 * a `listen` section is a frontend and a backend of the same name in one.
 */
import { readFileSync } from 'node:fs';
import { ConfigError, supportedHint } from '../lib/config-error.js';
import { readSections } from './config-file.js';
import { builtinDefaults, KEYWORDS, SECTION_LETTER, sectionNames } from './keywords.js';

/**
 * @typedef {import('./keywords.js').ProxyConfig} ProxyConfig
 * @typedef {{ file: string, proxies: ProxyConfig[], frontends: ProxyConfig[], backends: ProxyConfig[] }} Config
 */

/**
 * Global settings that are harmless to accept: they tune a real daemon (logging target, user, chroot, TLS defaults)
 * and mean nothing for one Node.js process. Anything else in `global` is an error.
 */
const GLOBAL_IGNORED = ['log', 'maxconn', 'daemon', 'user', 'group', 'chroot', 'pidfile', 'nbthread', 'stats', 'master-worker',
  'ca-base', 'crt-base', 'ssl-default-bind-ciphers', 'ssl-default-bind-ciphersuites', 'ssl-default-bind-options'];

/**
 * @param {string} path
 * @param {import('../lib/network.js').Network} network
 * @returns {Config}
 */
export function loadConfigFile(path, network) {
  let text;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError({ file: path, line: 0 }, `cannot read the configuration: ${/** @type {Error} */ (error).message}`,
      'check the path given with -f');
  }
  return parseConfig(text, path, network);
}

/**
 * @param {string} text
 * @param {string} file
 * @param {import('../lib/network.js').Network} network
 * @returns {Config}
 */
export function parseConfig(text, file, network) {
  /** @type {ProxyConfig[]} */
  const proxies = [];
  let defaults = builtinDefaults();
  for (const section of readSections(text, file)) {
    if (section.kind === 'global') {
      for (const d of section.directives) {
        if (!GLOBAL_IGNORED.includes(d.name)) {
          throw new ConfigError({ file, line: d.line, directive: d.name }, `unknown or unsupported keyword in the 'global' section`, supportedHint(d.name, GLOBAL_IGNORED));
        }
      }
      continue;
    }
    const proxy = section.kind === 'defaults' ? builtinDefaults() : copyDefaults(defaults, section.kind, section.name, section.line);
    const letter = SECTION_LETTER[section.kind];
    for (const d of section.directives) {
      const where = { file, line: d.line, directive: d.name };
      const keyword = KEYWORDS[d.name];
      if (!keyword) {
        const allowed = Object.keys(KEYWORDS).filter((k) => KEYWORDS[k].sections.includes(letter));
        throw new ConfigError(where, `unknown or unsupported keyword in a '${section.kind}' section`, supportedHint(d.name, allowed));
      }
      if (!keyword.sections.includes(letter)) {
        throw new ConfigError(where, `'${d.name}' is not allowed in a '${section.kind}' section`, `it belongs in: ${sectionNames(keyword.sections)}`);
      }
      if (keyword.maxArgs !== undefined && d.args.length > keyword.maxArgs) {
        throw new ConfigError(where, `too many arguments: '${d.args.slice(keyword.maxArgs).join(' ')}' is left over`,
          `'${d.name}' takes ${keyword.maxArgs === 1 ? 'one argument' : `${keyword.maxArgs} arguments`}`);
      }
      keyword.read(proxy, d.args, where, network);
    }
    if (proxy.httpCheckRuleLine !== undefined && !proxy.httpCheckEnabled && section.kind !== 'defaults') {
      // HAProxy accepts this with a warning and ignores the rules; a learner is better told.
      throw new ConfigError({ file, line: proxy.httpCheckRuleLine, directive: 'http-check' }, `'http-check' rules have no effect without 'option httpchk'`,
        `add 'option httpchk' to ${section.kind} ${proxy.name}`);
    }
    if (section.kind === 'defaults') {
      defaults = proxy;
    } else {
      const twin = proxies.find((p) => p.name === proxy.name && sameSide(p, proxy));
      if (twin) throw new ConfigError({ file, line: section.line, directive: section.kind }, `'${proxy.name}' is already declared on line ${twin.line}`, 'give every frontend and backend its own name');
      proxies.push(proxy);
    }
  }
  const frontends = proxies.filter((p) => p.kind !== 'backend');
  const backends = proxies.filter((p) => p.kind !== 'frontend');
  checkReferences(file, frontends, backends);
  return { file, proxies, frontends, backends };
}

/**
 * @param {ProxyConfig} defaults
 * @param {ProxyConfig['kind']} kind
 * @param {string} name
 * @param {number} line
 * @returns {ProxyConfig}
 */
function copyDefaults(defaults, kind, name, line) {
  return { ...defaults, kind, name, line, binds: [], rules: [], acls: new Map(), servers: [], stats: undefined,
    timeouts: { ...defaults.timeouts }, serverDefaults: { ...defaults.serverDefaults } };
}

/**
 * @param {string} file
 * @param {ProxyConfig[]} frontends
 * @param {ProxyConfig[]} backends
 */
function checkReferences(file, frontends, backends) {
  if (frontends.length === 0) {
    throw new ConfigError({ file, line: 0 }, 'no frontend or listen section: the balancer would listen nowhere',
      'add a frontend with a bind line and a default_backend, e.g.: frontend www / bind *:80 / default_backend web');
  }
  const names = backends.map((b) => b.name);
  for (const frontend of frontends) {
    if (frontend.binds.length === 0) {
      throw new ConfigError({ file, line: frontend.line, directive: frontend.kind }, `${frontend.kind} '${frontend.name}' has no bind line`,
        'add a line like: bind *:80 (or declare it as a backend if it should not listen)');
    }
    const named = [...frontend.rules.map((r) => ({ name: r.backend, line: r.line, directive: 'use_backend' })),
      ...(frontend.defaultBackend ? [{ ...frontend.defaultBackend, directive: 'default_backend' }] : [])];
    for (const ref of named) {
      if (!names.includes(ref.name)) {
        throw new ConfigError({ file, line: ref.line, directive: ref.directive }, `no backend named '${ref.name}'`,
          names.length ? supportedHint(ref.name, names) : `declare it: backend ${ref.name}`);
      }
    }
  }
}

/**
 * A frontend and a backend may share a name in HAProxy; two frontends (or two backends) may not.
 * @param {ProxyConfig} a
 * @param {ProxyConfig} b
 */
function sameSide(a, b) {
  return a.kind === 'listen' || b.kind === 'listen' || a.kind === b.kind;
}

