// @ts-check
/**
 * Reads nginx.conf into what the web tier runs: the virtual servers with their locations, the upstream groups,
 * the MIME table and a few process-wide settings. Every mistake is a ConfigError naming file, line and directive.
 *
 *   main ── events { worker_connections }
 *        └─ http ── types { ... }          (usually through `include mime.types;`)
 *                ├─ upstream NAME { server ADDR ...; }
 *                └─ server { listen; server_name; location PATH { ... } }
 *
 * Relative paths follow nginx: `include` is relative to the configuration file's folder, `root` and
 * `access_log` to the prefix (`-p`; the working directory by default, where nginx has a compiled-in folder).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseBraceConfig } from '../lib/brace-config.js';
import { ConfigError } from '../lib/config-error.js';
import { checkBlock, children, readTime, where } from './directives.js';
import { addTypes, BUILT_IN_TYPES, KIT_MIME_TYPES } from './mime.js';
import { defaultSettings, readServer, readSettings } from './config-server.js';
import { readUpstream } from './config-upstream.js';
import { groupByPort } from './route.js';

/**
 * @typedef {import('./directives.js').Entry} Entry
 * @typedef {object} Config
 * @property {string} file
 * @property {number} workerConnections
 * @property {number} keepaliveTimeoutMs      0 turns keep-alive off
 * @property {number | undefined} clientHeaderTimeoutMs  undefined: the kit's default (lib/http-server.js)
 * @property {Map<string, string>} types      file extension -> MIME type
 * @property {import('./config-server.js').VirtualServer[]} servers
 * @property {import('./route.js').Port[]} ports  the sockets to listen on, and the server blocks on each
 */

const MAX_INCLUDE_DEPTH = 10;

/**
 * @param {string} file    the configuration file, as the user named it
 * @param {object} options
 * @param {string} options.prefix   the folder that relative `root` and `access_log` paths start from
 * @param {import('../lib/network.js').Network} options.network
 * @returns {Config}
 */
export function loadConfig(file, { prefix, network }) {
  const main = readEntries(file, path.dirname(file), 0);
  checkBlock(main, 'main');
  const events = main.find((e) => e.name === 'events');
  const http = main.find((e) => e.name === 'http');
  if (!events) throw new ConfigError({ file, line: 0 }, 'no "events" section in configuration', 'add: events { worker_connections 512; }');
  if (!http) throw new ConfigError({ file, line: 0 }, 'no "http" block: there is nothing to serve', 'add: http { server { listen 80; root www; } }');
  const workerConnections = readEvents(children(events));
  const workers = main.find((e) => e.name === 'worker_processes');
  if (workers && workers.args[0] !== 'auto' && !/^[1-9]\d*$/.test(workers.args[0])) {
    throw new ConfigError(where(workers), `invalid value "${workers.args[0]}"`, 'write a number of processes, or auto');
  }

  const entries = children(http);
  checkBlock(entries, 'http');
  const settings = readSettings(entries, defaultSettings(prefix), prefix);
  const types = new Map();
  for (const entry of entries.filter((e) => e.name === 'types')) addTypes(types, children(entry));
  const keepalive = entries.find((e) => e.name === 'keepalive_timeout');
  const headerTimeout = entries.find((e) => e.name === 'client_header_timeout');

  const upstreams = new Map();
  for (const entry of entries.filter((e) => e.name === 'upstream')) {
    if (upstreams.has(entry.args[0])) {
      throw new ConfigError(where(entry), `duplicate upstream "${entry.args[0]}"`, 'give every upstream block its own name');
    }
    upstreams.set(entry.args[0], readUpstream(entry, network));
  }
  const servers = entries.filter((e) => e.name === 'server').map((entry) => readServer(entry, { settings, upstreams, network, prefix }));
  if (servers.length === 0) throw new ConfigError(where(http), 'the http block has no server block', 'add: server { listen 80; root www; }');
  return {
    file,
    workerConnections,
    keepaliveTimeoutMs: keepalive ? readTime(keepalive, keepalive.args[0]) : 75_000,
    clientHeaderTimeoutMs: headerTimeout ? readTime(headerTimeout, headerTimeout.args[0]) : undefined,
    types: types.size > 0 ? types : BUILT_IN_TYPES,
    servers,
    ports: groupByPort(servers),
  };
}

/** @param {Entry[]} entries */
function readEvents(entries) {
  checkBlock(entries, 'events');
  const entry = entries.find((e) => e.name === 'worker_connections');
  if (!entry) return 512;
  const count = Number(entry.args[0]);
  if (!Number.isInteger(count) || count < 1) {
    throw new ConfigError(where(entry), `invalid number "${entry.args[0]}"`, 'worker_connections takes a whole number, such as 512');
  }
  return count;
}

/**
 * Reads a file and puts the contents of every `include` where the include stood.
 * @param {string} file      as it should appear in messages
 * @param {string} folder    the main configuration file's folder: includes are relative to it
 * @param {number} depth
 * @param {Entry} [include]  the include that names the file: a file that cannot be read is an error on its line, as in nginx
 * @returns {Entry[]}
 */
function readEntries(file, folder, depth, include) {
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const { code, message } = /** @type {NodeJS.ErrnoException} */ (error);
    const why = code === 'EISDIR' ? 'it is a folder, not a file' : code === 'ENOENT' ? 'no such file' : message;
    throw include
      ? new ConfigError(where(include), `open() "${file}" failed: ${why}`, 'check the name: the path of an include starts from the folder of the main configuration file')
      : new ConfigError({ file, line: 0 }, `cannot read the file: ${why}`, 'check the path given to -c');
  }
  /** @type {(d: import('../lib/brace-config.js').Directive) => Entry} */
  const mark = (d) => ({ ...d, file, children: d.children?.map(mark) });
  return expandIncludes(parseBraceConfig(text, { file, end: 'semicolon' }).map(mark), folder, depth);
}

/**
 * @param {Entry[]} entries
 * @param {string} folder
 * @param {number} depth
 * @returns {Entry[]}
 */
function expandIncludes(entries, folder, depth) {
  return entries.flatMap((entry) => {
    if (entry.name !== 'include') {
      return [{ ...entry, children: entry.children && expandIncludes(entry.children, folder, depth) }];
    }
    if (entry.args.length !== 1 || entry.children) {
      throw new ConfigError(where(entry), 'include takes one file name', 'write: include mime.types;');
    }
    if (/[*?[]/.test(entry.args[0])) {
      throw new ConfigError(where(entry), 'wildcards in include are outside the subset', 'include one file by its name');
    }
    if (depth >= MAX_INCLUDE_DEPTH) throw new ConfigError(where(entry), 'includes nest too deep', 'does a file include itself?');
    return readEntries(includedFile(entry.args[0], folder), folder, depth + 1, entry);
  });
}

/**
 * The file an include names. A mime.types that is not there is the kit's own copy: a lab folder need not carry
 * one, and `include /etc/nginx/mime.types;` from a real machine works in a learner's container too.
 * @param {string} name
 * @param {string} folder
 */
function includedFile(name, folder) {
  const file = path.isAbsolute(name) ? name : path.join(folder, name);
  return !existsSync(file) && path.basename(file) === 'mime.types' ? KIT_MIME_TYPES : file;
}
