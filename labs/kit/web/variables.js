// @ts-check
/**
 * nginx variables: `$host`, `$remote_addr`, ... in the values of `add_header`, `proxy_set_header`, `return`,
 * `try_files` and `error_page`. A name outside this list is an error when the file is read, as in nginx
 * (`unknown "hostnam" variable`), so that a typo never becomes an empty header at run time.
 */
import os from 'node:os';
import { ConfigError, supportedHint } from '../lib/config-error.js';

/**
 * What a variable can be computed from: the request and what the web tier learned about it.
 * @typedef {object} VariableSource
 * @property {import('node:http').IncomingMessage} req
 * @property {string} uri          the normalized path ($uri)
 * @property {string} args         the query string without `?`
 * @property {string} requestUri   the path and query as the client sent them
 * @property {string} host
 * @property {string} serverName   the first `server_name` of the chosen server
 * @property {number} serverPort   the port as the configuration wrote it (80), not the lab's loopback port
 * @property {string} proxyHost    the host part of `proxy_pass`, while proxying
 */

/** @type {Record<string, (s: VariableSource) => string>} */
const VARIABLES = {
  uri: (s) => s.uri,
  document_uri: (s) => s.uri,
  request_uri: (s) => s.requestUri,
  args: (s) => s.args,
  query_string: (s) => s.args,
  is_args: (s) => (s.args ? '?' : ''),
  host: (s) => s.host,
  // In a lab every "machine" shares one real host, so the name comes from LAB_SERVER (web-01); on a real
  // machine it is the host name, as in nginx. `add_header X-Served-By $hostname;` works in both.
  hostname: () => process.env.LAB_SERVER || os.hostname(),
  remote_addr: (s) => s.req.socket.remoteAddress ?? '',
  remote_port: (s) => String(s.req.socket.remotePort ?? ''),
  scheme: () => 'http',
  request_method: (s) => s.req.method ?? '',
  server_name: (s) => s.serverName,
  server_port: (s) => String(s.serverPort),
  server_protocol: (s) => `HTTP/${s.req.httpVersion}`,
  proxy_host: (s) => s.proxyHost,
  proxy_add_x_forwarded_for: (s) => {
    const before = s.req.headers['x-forwarded-for'];
    const address = s.req.socket.remoteAddress ?? '';
    return before ? `${before}, ${address}` : address;
  },
};

/** `$name` or `${name}`, as nginx writes them. */
const REFERENCE = /\$(?:\{(\w+)\}|(\w+))/g;

/**
 * Throws a ConfigError for a value that names an unknown variable.
 * @param {string} value
 * @param {{ file: string, line: number, directive: string }} where
 */
export function checkVariables(value, where) {
  for (const match of value.matchAll(REFERENCE)) {
    const name = match[1] ?? match[2];
    if (!isKnown(name)) {
      throw new ConfigError(where, `unknown "${name}" variable`,
        supportedHint(name, [...Object.keys(VARIABLES), 'http_NAME (any request header)'].map((n) => `$${n}`)));
    }
  }
}

/**
 * Replaces every variable in a value.
 * @param {string} value
 * @param {VariableSource} source
 */
export function expand(value, source) {
  if (!value.includes('$')) return value;
  return value.replace(REFERENCE, (_, braced, plain) => lookup(braced ?? plain, source));
}

/** @param {string} name */
function isKnown(name) {
  return Object.hasOwn(VARIABLES, name) || (name.startsWith('http_') && name.length > 5);
}

/**
 * @param {string} name
 * @param {VariableSource} source
 */
function lookup(name, source) {
  if (Object.hasOwn(VARIABLES, name)) return VARIABLES[name](source);
  // $http_user_agent is the User-Agent header: nginx lower-cases the name and turns '-' into '_'.
  const header = source.req.headers[name.slice('http_'.length).replace(/_/g, '-')];
  return Array.isArray(header) ? header.join(', ') : header ?? '';
}
