// @ts-check
/**
 * The commands a `vrrp_script` may run in the lab. On a real host keepalived runs the script line as a program;
 * a learner's browser container has no system programs (no killall, no curl, no shell), so the miniature carries
 * its own version of the common checks that keepalived guides show, and refuses any other line when the file is
 * loaded. The same line keeps its meaning on a real host, where it is the real command:
 *
 *   /usr/bin/killall -0 haproxy, pidof haproxy,          is HAProxy running on this server?
 *   pgrep [-x] haproxy, systemctl is-active haproxy
 *   /usr/bin/curl -sf -o /dev/null http://10.0.0.11:80/  does this URL answer without an HTTP error?
 *   /bin/true, /bin/false                                always succeeds, always fails (to try a failover)
 *
 * A check resolves to the exit status the real command would give, so that the log reads like keepalived's.
 */
import http from 'node:http';
import net from 'node:net';
import { ConfigError } from '../lib/config-error.js';

/**
 * `killall -0 haproxy` sends no signal: it only asks whether a process named haproxy exists, as pidof, pgrep and
 * `systemctl is-active` do in their ways. In the lab HAProxy is a port, not a process name, so for all four the
 * miniature asks one question: does port 80 of this server (the port every lab's HAProxy binds) accept a
 * connection? That holds exactly while the balancer runs, in the browser and on a laptop alike.
 */
export const BALANCER_PORT = 80;

/**
 * What each "is HAProxy running?" program exits with when it is not: killall, pidof and pgrep 1; systemctl
 * is-active 3, the LSB status "program is not running".
 * @type {Record<string, number>}
 */
const NOT_RUNNING = { killall: 1, pidof: 1, pgrep: 1, systemctl: 3 };

/** curl's own exit statuses, as documented in `man curl`. */
const CURL_COULD_NOT_CONNECT = 7;
const CURL_HTTP_ERROR = 22;
const CURL_RECEIVE_ERROR = 56;
const CURL_TIMED_OUT = 28;

const CURL_USAGE = 'curl [-s] [-S] [-f] [-o /dev/null] [-m SECONDS] http://HOST:PORT/PATH';
const ALIVE_USAGE = 'killall -0 haproxy, pidof haproxy, pgrep haproxy, systemctl is-active haproxy';
const SUPPORTED = `the lab runs these commands: ${ALIVE_USAGE}; ${CURL_USAGE}; /bin/true; /bin/false`;

/**
 * The ways of asking "does a process named haproxy run here?", each with the arguments it takes in the lab.
 * @type {Record<string, (args: string[]) => boolean>}
 */
const ALIVE_FORMS = {
  killall: (args) => args.length === 2 && args[0] === '-0' && args[1] === 'haproxy',
  pidof: (args) => args.length === 1 && args[0] === 'haproxy',
  pgrep: (args) => (args.length === 1 || (args.length === 2 && args[0] === '-x')) && args[args.length - 1] === 'haproxy',
  systemctl: (args) => args[0] === 'is-active' && ['haproxy', 'haproxy.service'].includes(args[args.length - 1])
    && args.slice(1, -1).every((arg) => arg === '--quiet' || arg === '-q') && args.length <= 3,
};

/**
 * @typedef {{ kind: 'balancer-alive', notRunning: number }
 *   | { kind: 'exit', status: number }
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
  const alive = ALIVE_FORMS[name];
  if (alive) {
    if (!alive(args)) {
      refuse(`the lab runs ${name} only to ask whether HAProxy runs on this server, not as '${text}'`,
        `write one of: ${ALIVE_USAGE}; to check another service, ask it over HTTP: ${CURL_USAGE}`);
    }
    return { kind: 'balancer-alive', notRunning: NOT_RUNNING[name] };
  }
  if (name === 'true' || name === 'false') {
    if (args.length > 0) refuse(`${name} takes no arguments here`, `write: /bin/${name}`);
    return { kind: 'exit', status: name === 'true' ? 0 : 1 };
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
    const { notRunning } = command;
    return async (timeoutMs) => {
      const status = await acceptsConnection(balancer, timeoutMs);
      return status === 1 ? notRunning : status;
    };
  }
  if (command.kind === 'exit') {
    const { status } = command;
    return async () => status;
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
