// @ts-check
/**
 * `server` and `location` blocks, and the settings they inherit. nginx's rule of inheritance, kept here: a
 * directive written in a block replaces the one from the enclosing block; list directives (`add_header`,
 * `proxy_set_header`, `error_page`, `access_log`) are inherited only by a block that writes none of its own.
 * So one `add_header` in a location drops every `add_header` of its server for that location.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../lib/config-error.js';
import { checkBlock, children, readSwitch, readTime, where } from './directives.js';
import { readListens } from './config-listen.js';
import { checkVariables } from './variables.js';
import { readProxyPass } from './config-upstream.js';
import { DEFAULT_NEXT_UPSTREAM, readNextUpstream, readTries } from './next-upstream.js';

/**
 * @typedef {import('./directives.js').Entry} Entry
 * @typedef {{ name: string, value: string, always: boolean }} Header
 * @typedef {{ code: number, value: string | undefined }} Return   value: the URL of a redirect or a text
 * @typedef {{ uri: string, status: number | undefined }} ErrorPage  status: the `=CODE` that replaces the error's
 * @typedef {object} Settings  what a location inherits from its server and a server from http
 * @property {string} root            an absolute path
 * @property {string[]} index
 * @property {string} defaultType
 * @property {Header[]} addHeaders
 * @property {Header[]} proxyHeaders
 * @property {string[]} accessLogs    absolute paths or /dev/stdout; empty for `access_log off`
 * @property {Map<number, ErrorPage>} errorPages
 * @property {number} proxyConnectTimeoutMs
 * @property {number} proxyReadTimeoutMs
 * @property {Set<string>} nextUpstream        the values of proxy_next_upstream (next-upstream.js)
 * @property {number} nextUpstreamTries        0: no limit
 * @property {number} nextUpstreamTimeoutMs    0: no limit
 * @typedef {object} Location
 * @property {'=' | '^~' | ''} modifier
 * @property {string} path
 * @property {Settings} settings
 * @property {string[] | undefined} tryFiles
 * @property {import('./config-upstream.js').ProxyPass | undefined} proxyPass
 * @property {Return | undefined} ret
 * @typedef {object} Listen
 * @property {string} address    as written: `80`, `*:80`, `10.0.0.21:80`
 * @property {string} socket     as nginx names it in messages: `0.0.0.0:80` for `80` and `*:80`
 * @property {number} port       as written ($server_port), not the lab's loopback port
 * @property {import('../lib/network.js').Endpoint} endpoint  where to listen for real
 * @property {boolean} defaultServer
 * @property {{ file: string, line: number, directive: string }} where
 * @typedef {object} VirtualServer
 * @property {string[]} names
 * @property {Listen[]} listens
 * @property {Return | undefined} ret    a server-level `return`: it answers before any location is chosen
 * @property {Location} fallback         the server's own settings, used when no location matches
 * @property {Location[]} locations
 * @typedef {{ settings: Settings, upstreams: Map<string, import('./upstream.js').Upstream>,
 *   network: import('../lib/network.js').Network, prefix: string }} Scope
 */

/** @param {string} prefix */
export function defaultSettings(prefix) {
  return {
    root: path.resolve(prefix, 'html'), index: ['index.html'], defaultType: 'text/plain', addHeaders: [], proxyHeaders: [],
    accessLogs: ['/dev/stdout'], errorPages: new Map(), proxyConnectTimeoutMs: 60_000, proxyReadTimeoutMs: 60_000,
    nextUpstream: new Set(DEFAULT_NEXT_UPSTREAM), nextUpstreamTries: 0, nextUpstreamTimeoutMs: 0,
  };
}

/**
 * The settings of one block: its own directives over the enclosing block's settings.
 * @param {Entry[]} entries
 * @param {Settings} outer
 * @param {string} prefix
 * @returns {Settings}
 */
export function readSettings(entries, outer, prefix) {
  /** @type {Partial<Settings>} */
  const own = {};
  for (const entry of entries) {
    const [first, second, third] = entry.args;
    switch (entry.name) {
      case 'root': own.root = path.resolve(prefix, first); break;
      case 'index': own.index = [...(own.index ?? []), ...entry.args]; break;
      case 'default_type': own.defaultType = first; break;
      case 'add_header':
        if (third !== undefined && third !== 'always') throw new ConfigError(where(entry), `invalid parameter "${third}"`, 'the only parameter after the value is: always');
        checkVariables(second, where(entry));
        own.addHeaders = [...(own.addHeaders ?? []), { name: first, value: second, always: third === 'always' }];
        break;
      case 'proxy_set_header':
        checkVariables(second, where(entry));
        own.proxyHeaders = [...(own.proxyHeaders ?? []), { name: first, value: second, always: false }];
        break;
      case 'access_log': own.accessLogs = [...(own.accessLogs ?? []), ...readAccessLog(entry, prefix)]; break;
      case 'error_page': own.errorPages = readErrorPage(entry, own.errorPages ?? new Map()); break;
      case 'proxy_connect_timeout': own.proxyConnectTimeoutMs = readTime(entry, first); break;
      case 'proxy_read_timeout': own.proxyReadTimeoutMs = readTime(entry, first); break;
      case 'proxy_next_upstream': own.nextUpstream = readNextUpstream(entry, own.nextUpstream); break;
      case 'proxy_next_upstream_tries': own.nextUpstreamTries = readTries(entry); break;
      case 'proxy_next_upstream_timeout': own.nextUpstreamTimeoutMs = readTime(entry, first); break;
      case 'sendfile': readSwitch(entry); break;
      case 'keepalive_timeout': entry.args.forEach((a) => readTime(entry, a)); break;
    }
  }
  return { ...outer, ...own };
}

/**
 * @param {Entry} block
 * @param {Scope} scope
 * @returns {VirtualServer}
 */
export function readServer(block, scope) {
  const entries = children(block);
  checkBlock(entries, 'server');
  const settings = readSettings(entries, scope.settings, scope.prefix);
  const listens = readListens(entries.filter((e) => e.name === 'listen'), block, scope.network);
  const names = entries.filter((e) => e.name === 'server_name').flatMap((entry) => {
    const regex = entry.args.find((n) => n.startsWith('~'));
    if (regex) throw new ConfigError(where(entry), `regular expression server names ("${regex}") are outside the subset`, 'use exact names or wildcards: example.com *.example.com www.example.*');
    return entry.args.map((n) => n.toLowerCase());
  });
  const ret = entries.find((e) => e.name === 'return');
  const tryFiles = entries.find((e) => e.name === 'try_files');
  const fallback = { modifier: /** @type {''} */ (''), path: '', settings, tryFiles: tryFiles && readTryFiles(tryFiles), proxyPass: undefined, ret: undefined };
  const locations = entries.filter((e) => e.name === 'location').map((e) => readLocation(e, { ...scope, settings }));
  for (const [i, location] of locations.entries()) {
    if (locations.slice(0, i).some((l) => l.path === location.path && (l.modifier === '=') === (location.modifier === '='))) {
      const entry = entries.filter((e) => e.name === 'location')[i];
      throw new ConfigError(where(entry), `duplicate location "${location.path}"`, 'merge the two blocks into one');
    }
  }
  return { names, listens, ret: ret && readReturn(ret), fallback, locations };
}

/**
 * @param {Entry} block
 * @param {Scope} scope
 * @returns {Location}
 */
function readLocation(block, scope) {
  const { modifier, path: locationPath } = splitLocation(block.args);
  if (modifier === '~' || modifier === '~*') {
    throw new ConfigError(where(block), 'regular expression locations (~ and ~*) are outside the subset',
      'use a prefix location (location /images/), an exact one (location = /) or ^~ (location ^~ /static/)');
  }
  if (locationPath.startsWith('@')) throw new ConfigError(where(block), 'named locations (@name) are outside the subset', 'use a prefix location');
  if (modifier !== '' && modifier !== '=' && modifier !== '^~') {
    throw new ConfigError(where(block), `invalid location modifier "${modifier}"`, 'supported: location /prefix, location = /exact, location ^~ /prefix');
  }
  const entries = children(block);
  checkBlock(entries, 'location');
  const proxy = entries.find((e) => e.name === 'proxy_pass');
  const tryFiles = entries.find((e) => e.name === 'try_files');
  const ret = entries.find((e) => e.name === 'return');
  return {
    modifier: /** @type {Location['modifier']} */ (modifier),
    path: locationPath,
    settings: readSettings(entries, scope.settings, scope.prefix),
    tryFiles: tryFiles && readTryFiles(tryFiles),
    proxyPass: proxy && readProxyPass(proxy, scope.upstreams, scope.network),
    ret: ret && readReturn(ret),
  };
}

/**
 * `location /x`, `location = /x`, `location ^~ /x`, and the same written without a space (`location =/x`).
 * @param {string[]} args
 */
function splitLocation(args) {
  if (args.length === 2) return { modifier: args[0], path: args[1] };
  const modifier = /^(=|\^~|~\*|~)?/.exec(args[0])?.[0] ?? '';
  return { modifier, path: args[0].slice(modifier.length) };
}

/**
 * `return CODE [TEXT]`, `return 301 URL`, `return URL` (a 302).
 * @param {Entry} entry
 * @returns {Return}
 */
function readReturn(entry) {
  const [first, second] = entry.args;
  entry.args.forEach((a) => checkVariables(a, where(entry)));
  if (entry.args.length === 1 && /^(https?:\/\/|\$scheme)/.test(first)) return { code: 302, value: first };
  const code = Number(first);
  if (!/^\d{3}$/.test(first) || code > 999) throw new ConfigError(where(entry), `invalid return code "${first}"`, 'write: return 404; or return 301 https://example.com$request_uri;');
  if ([301, 302, 303, 307, 308].includes(code) && second === undefined) {
    throw new ConfigError(where(entry), `return ${code} needs a URL`, `write: return ${code} /new-place;`);
  }
  return { code, value: second };
}

/**
 * `try_files FILE... URI` or `try_files FILE... =CODE`.
 * @param {Entry} entry
 */
function readTryFiles(entry) {
  entry.args.forEach((a) => checkVariables(a, where(entry)));
  const last = entry.args[entry.args.length - 1];
  if (last.startsWith('@')) throw new ConfigError(where(entry), 'named locations (@name) are outside the subset', 'end try_files with a URI (/index.html) or a code (=404)');
  if (!last.startsWith('/') && !/^=\d{3}$/.test(last) && !last.startsWith('$')) {
    throw new ConfigError(where(entry), `the last argument "${last}" is neither a URI nor =CODE`, 'end try_files with a URI (/index.html) or a code (=404)');
  }
  return entry.args;
}

/**
 * `error_page 404 /404.html;`, `error_page 500 502 503 504 /50x.html;`, `error_page 404 =200 /index.html;`
 * @param {Entry} entry
 * @param {Map<number, ErrorPage>} pages
 */
function readErrorPage(entry, pages) {
  const uri = entry.args[entry.args.length - 1];
  const codes = entry.args.slice(0, -1);
  const override = codes[codes.length - 1]?.startsWith('=') ? codes.pop() : undefined;
  if (!uri.startsWith('/')) throw new ConfigError(where(entry), `"${uri}" is outside the subset`, 'the page must be a path on this server, such as /50x.html');
  if (override !== undefined && !/^=\d{3}$/.test(override)) throw new ConfigError(where(entry), `invalid response code "${override}"`, 'write it as =200');
  for (const code of codes) {
    if (!/^\d{3}$/.test(code) || Number(code) < 300 || Number(code) > 599) {
      throw new ConfigError(where(entry), `value "${code}" must be between 300 and 599`, 'write: error_page 404 /404.html;');
    }
    pages.set(Number(code), { uri, status: override === undefined ? undefined : Number(override.slice(1)) });
  }
  return pages;
}

/**
 * `access_log PATH [combined]` or `access_log off`.
 * @param {Entry} entry
 * @param {string} prefix
 */
function readAccessLog(entry, prefix) {
  const [file, format] = entry.args;
  if (file === 'off') return [];
  if (format !== undefined && format !== 'combined') {
    throw new ConfigError(where(entry), `unknown log format "${format}"`, 'the miniature writes the predefined "combined" format only: access_log PATH combined;');
  }
  if (file === '/dev/stdout' || file === '/dev/stderr') return [file];
  const absolute = path.resolve(prefix, file);
  if (!existsSync(path.dirname(absolute))) {
    throw new ConfigError(where(entry), `open() "${absolute}" failed: the folder does not exist`, 'create the folder, or log to /dev/stdout');
  }
  return [absolute];
}
