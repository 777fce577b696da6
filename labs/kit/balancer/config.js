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
    const { code, message } = /** @type {NodeJS.ErrnoException} */ (error);
    throw new ConfigError({ file: path, line: 0 }, code === 'EISDIR' ? 'this is a folder, not a file' : `cannot read the configuration: ${message}`,
      code === 'EISDIR' ? 'give the path of the haproxy.cfg file itself, after -f' : 'check the path given with -f');
  }
  return parseConfig(text, path, network);
}

/**
 * Every error in the file is collected, as HAProxy reports them all in one run. As in HAProxy, what only the whole
 * file can tell (is there a frontend, does every named backend exist) is checked once the lines themselves are right.
 * @param {string} text
 * @param {string} file
 * @param {import('../lib/network.js').Network} network
 * @returns {Config}
 * @throws {ConfigErrors} with every error, in the order of the lines
 */
export function parseConfig(text, file, network) {
  const { sections, errors } = readSections(text, file);
  /** @param {() => void} step */
  const collect = (step) => {
    try {
      step();
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      errors.push(error);
    }
  };
  /** @type {ProxyConfig[]} */
  const proxies = [];
  let defaults = builtinDefaults();
  for (const section of sections) {
    if (section.kind === 'global') {
      for (const d of section.directives) collect(() => readGlobal(d, file));
      continue;
    }
    const { kind } = section;
    const proxy = kind === 'defaults' ? builtinDefaults() : copyDefaults(defaults, kind, section.name, section.line);
    for (const d of section.directives) collect(() => readDirective(proxy, d, kind, file, network));
    if (proxy.httpCheckRuleLine !== undefined && !proxy.httpCheckEnabled && section.kind !== 'defaults') {
      // HAProxy accepts this with a warning and ignores the rules; a learner is better told.
      errors.push(new ConfigError({ file, line: proxy.httpCheckRuleLine, directive: 'http-check' }, `'http-check' rules have no effect without 'option httpchk'`,
        `add 'option httpchk' to ${section.kind} ${proxy.name}`));
    }
    if (section.kind === 'defaults') {
      defaults = proxy;
    } else if (proxy.name) {
      const twin = proxies.find((p) => p.name === proxy.name && sameSide(p, proxy));
      if (twin) errors.push(new ConfigError({ file, line: section.line, directive: section.kind }, `'${proxy.name}' is already declared on line ${twin.line}`, 'give every frontend and backend its own name'));
      proxies.push(proxy);
    }
  }
  const frontends = proxies.filter((p) => p.kind !== 'backend');
  const backends = proxies.filter((p) => p.kind !== 'frontend');
  if (errors.length === 0) errors.push(...checkReferences(file, frontends, backends));
  if (errors.length > 0) throw new ConfigErrors(errors.sort((a, b) => a.line - b.line));
  return { file, proxies, frontends, backends };
}

/**
 * Every error of one file. It is a ConfigError itself, the first one, so that a caller that shows one error still
 * can; the balancer's command line prints them all.
 */
export class ConfigErrors extends ConfigError {
  /** @param {ConfigError[]} errors at least one */
  constructor(errors) {
    const [first] = errors;
    super({ file: first.file, line: first.line, directive: first.directive }, first.message, first.hint);
    this.errors = errors;
  }

  format() {
    return this.errors.map((error) => error.format()).join('\n');
  }
}

/**
 * @param {import('./config-file.js').Directive} d
 * @param {string} file
 */
function readGlobal(d, file) {
  if (!GLOBAL_IGNORED.includes(d.name)) {
    throw new ConfigError({ file, line: d.line, directive: d.name }, `unknown or unsupported keyword in the 'global' section`, supportedHint(d.name, GLOBAL_IGNORED));
  }
}

/**
 * @param {ProxyConfig} proxy
 * @param {import('./config-file.js').Directive} d
 * @param {Exclude<import('./config-file.js').SectionKind, 'global'>} kind
 * @param {string} file
 * @param {import('../lib/network.js').Network} network
 */
function readDirective(proxy, d, kind, file, network) {
  const where = { file, line: d.line, directive: d.name };
  const letter = SECTION_LETTER[kind];
  const keyword = KEYWORDS[d.name];
  if (!keyword) {
    const allowed = Object.keys(KEYWORDS).filter((k) => KEYWORDS[k].sections.includes(letter));
    throw new ConfigError(where, `unknown or unsupported keyword in a '${kind}' section`, supportedHint(d.name, allowed));
  }
  if (!keyword.sections.includes(letter)) {
    throw new ConfigError(where, `'${d.name}' is not allowed in a '${kind}' section`, `it belongs in: ${sectionNames(keyword.sections)}`);
  }
  if (keyword.maxArgs !== undefined && d.args.length > keyword.maxArgs) {
    throw new ConfigError(where, `too many arguments: '${d.args.slice(keyword.maxArgs).join(' ')}' is left over`,
      `'${d.name}' takes ${keyword.maxArgs === 1 ? 'one argument' : `${keyword.maxArgs} arguments`}`);
  }
  keyword.read(proxy, d.args, where, network);
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
 * @returns {ConfigError[]}
 */
function checkReferences(file, frontends, backends) {
  if (frontends.length === 0) {
    return [new ConfigError({ file, line: 0 }, 'no frontend or listen section: the balancer would listen nowhere',
      'add a frontend with a bind line and a default_backend, e.g.: frontend www / bind *:80 / default_backend web')];
  }
  const errors = [];
  const names = backends.map((b) => b.name);
  for (const frontend of frontends) {
    if (frontend.binds.length === 0) {
      errors.push(new ConfigError({ file, line: frontend.line, directive: frontend.kind }, `${frontend.kind} '${frontend.name}' has no bind line`,
        'add a line like: bind *:80 (or declare it as a backend if it should not listen)'));
    }
    const named = [...frontend.rules.map((r) => ({ name: r.backend, line: r.line, directive: 'use_backend' })),
      ...(frontend.defaultBackend ? [{ ...frontend.defaultBackend, directive: 'default_backend' }] : [])];
    for (const ref of named) {
      if (!names.includes(ref.name)) {
        errors.push(new ConfigError({ file, line: ref.line, directive: ref.directive }, `no backend named '${ref.name}'`,
          names.length ? supportedHint(ref.name, names) : `declare it: backend ${ref.name}`));
      }
    }
  }
  return errors;
}

/**
 * A frontend and a backend may share a name in HAProxy; two frontends (or two backends) may not.
 * @param {ProxyConfig} a
 * @param {ProxyConfig} b
 */
function sameSide(a, b) {
  return a.kind === 'listen' || b.kind === 'listen' || a.kind === b.kind;
}

