// @ts-check
/**
 * The keep-alive connections to one server: an http.Agent that keeps connections open from request to request,
 * reusing the most recent first. `timeout connect` is applied where a connection is opened, so that the many
 * requests that travel on an already open connection pay nothing for it.
 */
import http from 'node:http';
import net from 'node:net';

export const CONNECT_TIMEOUT = Object.assign(new Error('timeout connect'), { code: 'CONNECT_TIMEOUT' });

/** @type {WeakMap<net.Socket, number>} milliseconds each connection took to open */
const connectTimes = new WeakMap();

/** @param {number} connectTimeoutMs */
export function createPool(connectTimeoutMs) {
  const agent = new http.Agent({ keepAlive: true, scheduling: 'lifo' });
  /** @param {net.NetConnectOpts} options */
  const openConnection = (options) => {
    const started = Date.now();
    const socket = net.createConnection(options);
    const timer = setTimeout(() => socket.destroy(CONNECT_TIMEOUT), connectTimeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      connectTimes.set(socket, Date.now() - started);
    });
    socket.once('close', () => clearTimeout(timer));
    return socket;
  };
  Object.assign(agent, { createConnection: openConnection });
  return agent;
}

/**
 * How long the connection took to open: 0 for a reused one, undefined if it never opened.
 * @param {http.ClientRequest} request
 */
export function connectTime(request) {
  if (request.reusedSocket) return 0;
  return request.socket ? connectTimes.get(request.socket) : undefined;
}
