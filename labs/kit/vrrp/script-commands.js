// @ts-check
/**
 * The commands a `vrrp_script` may run in the lab. On a real host keepalived runs the script line as a program;
 * a learner's browser container has no system programs (no killall, no curl, no shell), so the miniature carries
 * its own version of two common checks and refuses any other line when the file is loaded. The same line keeps its
 * meaning on a real host, where it is the real command:
 *
 *   /usr/bin/killall -0 haproxy                          is HAProxy running on this server?
 *   /usr/bin/curl -sf -o /dev/null http://10.0.0.11:80/  does this URL answer without an HTTP error?
 *
 * A check resolves to the exit status the real command would give, so that the log reads like keepalived's.
 */
import http from 'node:http';
import net from 'node:net';
import { ConfigError } from '../lib/config-error.js';

/**
 * `killall -0 haproxy` sends no signal: it only asks whether a process named haproxy exists. In the lab HAProxy is
 * a port, not a process name, so the miniature asks whether port 80 of this server (the port every lab's HAProxy
 * binds) accepts a connection. That holds exactly while the balancer runs, in the browser and on a laptop alike.
 */
export const BALANCER_PORT = 80;

/** curl's own exit statuses, as documented in `man curl`. */
const CURL_COULD_NOT_CONNECT = 7;
const CURL_HTTP_ERROR = 22;
const CURL_RECEIVE_ERROR = 56;
const CURL_TIMED_OUT = 28;

const CURL_USAGE = 'curl [-s] [-S] [-f] [-o /dev/null] [-m SECONDS] http://HOST:PORT/PATH';
const SUPPORTED = `the lab runs these two commands: killall -0 haproxy, and ${CURL_USAGE}`;

/**
 * @typedef {{ kind: 'balancer-alive' }
 *   | { kind: 'http', address: string, path: string, failOnHttpError: boolean, maxTimeMs: number | undefined }} ScriptCommand
 * @typedef {(timeoutMs: number) => Promise<number | 'timeout'>} Check  runs once; 'timeout' when it took too long
 */

/**
 * Reads a vrrp_script's `script` line.
 * @param {string} text e.g. `/usr/bin/killall -0 haproxy`
 * @param {{ file: string, line: number }} where
 * @returns {ScriptCommand}
 */
export function parseScriptCommand(text, where) {
  const refuse = (/** @type {string} */ message, hint = SUPPORTED) => {
    throw new ConfigError({ ...where, directive: 'script' }, message, hint);
  };
  const [program = '', ...args] = text.trim().split(/\s+/);
  const name = program.slice(program.lastIndexOf('/') + 1);
  if (name === 'killall') {
    if (args.length !== 2 || args[0] !== '-0' || args[1] !== 'haproxy') {
      refuse(`the lab runs killall only as 'killall -0 haproxy', not '${text}'`,
        `to check another service, ask it over HTTP: ${CURL_USAGE}`);
    }
    return { kind: 'balancer-alive' };
  }
  if (name === 'curl') return parseCurl(args, refuse);
  return refuse(`'${program}' is not a command the lab can run: the browser lab has no shell and no system programs`);
}

/**
 * @param {string[]} args
 * @param {(message: string, hint?: string) => never} refuse
 * @returns {ScriptCommand}
 */
function parseCurl(args, refuse) {
  let failOnHttpError = false;
  /** @type {number | undefined} */
  let maxTimeMs;
  /** @type {URL | undefined} */
  let url;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (/^-[sSf]+$/.test(arg)) {
      failOnHttpError ||= arg.includes('f');
    } else if (arg === '--fail') {
      failOnHttpError = true;
    } else if (arg === '--silent' || arg === '--show-error') {
      continue;
    } else if (arg === '-o' || arg === '--output') {
      if (args[++i] !== '/dev/null') refuse('the lab writes no files: curl -o takes /dev/null only', `write: ${CURL_USAGE}`);
    } else if (arg === '-m' || arg === '--max-time') {
      const seconds = Number(args[++i]);
      if (!(seconds > 0)) refuse(`curl ${arg} needs a number of seconds`, `write: ${CURL_USAGE}`);
      maxTimeMs = seconds * 1000;
    } else if (arg.startsWith('-')) {
      refuse(`the lab's curl does not know the option '${arg}'`, `write: ${CURL_USAGE}`);
    } else if (url) {
      refuse('the lab\'s curl checks one URL at a time', `write: ${CURL_USAGE}`);
    } else {
      url = parseHttpUrl(arg, refuse);
    }
  }
  if (!url) return refuse('curl needs a URL to check', `write: ${CURL_USAGE}`);
  return { kind: 'http', address: `${url.hostname}:${url.port || 80}`, path: url.pathname + url.search, failOnHttpError, maxTimeMs };
}

/**
 * @param {string} text
 * @param {(message: string, hint?: string) => never} refuse
 */
function parseHttpUrl(text, refuse) {
  /** @type {URL | undefined} */
  let url;
  try {
    url = new URL(text);
  } catch {
    return refuse(`'${text}' is not a URL`, `write: ${CURL_USAGE}`);
  }
  if (url.protocol !== 'http:') refuse(`the lab's curl speaks plain http only, not ${url.protocol}`, `write: ${CURL_USAGE}`);
  return url;
}

/**
 * Turns a command into a check, resolving its address through the lab network table once, at start-up.
 * @param {ScriptCommand} command
 * @param {object} context
 * @param {import('../lib/network.js').Network} context.network
 * @param {string} context.home the server this daemon runs on: a name (LAB_SERVER) or its unicast_src_ip
 * @returns {Check}
 */
export function prepareCheck(command, { network, home }) {
  if (command.kind === 'balancer-alive') {
    const balancer = network.resolve(`${home}:${BALANCER_PORT}`);
    return (timeoutMs) => acceptsConnection(balancer, timeoutMs);
  }
  const target = network.resolve(command.address);
  return (timeoutMs) => fetchStatus(target, command, timeoutMs);
}

/**
 * @param {import('../lib/network.js').Endpoint} endpoint
 * @param {number} timeoutMs
 * @returns {Promise<number | 'timeout'>} 0 when something listens there, as killall exits 0 when the process exists
 */
function acceptsConnection({ host, port }, timeoutMs) {
  return new Promise((resolve) => {
    const socket = net.connect(port, host);
    const timer = setTimeout(() => { socket.destroy(); resolve('timeout'); }, timeoutMs);
    const finish = (/** @type {number} */ status) => { clearTimeout(timer); socket.destroy(); resolve(status); };
    socket.once('connect', () => finish(0));
    socket.once('error', () => finish(1));
  });
}

/**
 * @param {import('../lib/network.js').Endpoint} endpoint
 * @param {Extract<ScriptCommand, { kind: 'http' }>} command
 * @param {number} timeoutMs keepalived's `timeout` for the script
 * @returns {Promise<number | 'timeout'>} curl's exit status
 */
function fetchStatus({ host, port }, { address, path, failOnHttpError, maxTimeMs }, timeoutMs) {
  const curlGivesUpFirst = maxTimeMs !== undefined && maxTimeMs < timeoutMs;
  return new Promise((resolve) => {
    const request = http.get({ host, port, path, agent: false, headers: { host: address } }, (response) => {
      response.resume();
      response.on('end', () => finish(failOnHttpError && (response.statusCode ?? 500) >= 400 ? CURL_HTTP_ERROR : 0));
      response.on('error', () => finish(CURL_RECEIVE_ERROR));
    });
    const timer = setTimeout(() => finish(curlGivesUpFirst ? CURL_TIMED_OUT : 'timeout'), curlGivesUpFirst ? maxTimeMs : timeoutMs);
    const finish = (/** @type {number | 'timeout'} */ status) => { clearTimeout(timer); request.destroy(); resolve(status); };
    request.on('error', () => finish(CURL_COULD_NOT_CONNECT));
  });
}
