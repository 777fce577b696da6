// @ts-check
/**
 * The keep-alive connections to one server. A request takes the idle connection used most recently (the least
 * likely to have been closed by the server meanwhile), or opens a new one; it gives the connection back once the
 * response was read whole, if both sides keep it open. `timeout connect` is applied where a connection is opened,
 * so that the many requests that travel on an already open connection pay nothing for it.
 */
import net from 'node:net';

/**
 * Who uses a connection while it is taken (server-request.js): the connection's events go to it.
 * @typedef {object} ConnectionUser
 * @property {(data: Buffer) => void} received
 * @property {() => void} timedOut  no byte moved for the time given to setTimeout
 * @property {() => void} closed  the connection closed, after an error or not
 */

export class ServerConnection {
  /** @param {net.Socket} socket */
  constructor(socket) {
    this.socket = socket;
    /** whether a request used it before: a failure on it may only mean that the server closed it meanwhile */
    this.reused = false;
    /** @type {number | undefined} milliseconds it took to open; undefined while it is not open */
    this.connectMs = undefined;
    /** @type {ConnectionUser | undefined} */
    this.user = undefined;
  }
}

export class ConnectionPool {
  /**
   * @param {import('../lib/network.js').Endpoint} endpoint
   * @param {number} connectTimeoutMs
   */
  constructor(endpoint, connectTimeoutMs) {
    this.endpoint = endpoint;
    this.connectTimeoutMs = connectTimeoutMs;
    /** @type {ServerConnection[]} the idle connections, the most recently used last */
    this.idle = [];
  }

  /** @param {ConnectionUser} user */
  take(user) {
    const connection = this.idle.pop() ?? this.open();
    connection.user = user;
    return connection;
  }

  /** @param {ServerConnection} connection */
  giveBack(connection) {
    connection.user = undefined;
    connection.reused = true;
    connection.socket.setTimeout(0);
    this.idle.push(connection);
  }

  /** Closes the idle connections (those in use close with their requests). */
  closeIdle() {
    for (const connection of this.idle) connection.socket.destroy();
  }

  /** @returns {ServerConnection} */
  open() {
    const started = Date.now();
    const socket = net.connect(this.endpoint.port, this.endpoint.host);
    socket.setNoDelay(true);
    const connection = new ServerConnection(socket);
    // `timeout connect`: give up; the request sees a connection that never opened (server-request.js).
    const timer = setTimeout(() => socket.destroy(), this.connectTimeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      connection.connectMs = Date.now() - started;
    });
    // Bytes from a server that was not asked anything: it is out of step, close the connection.
    socket.on('data', (data) => (connection.user ? connection.user.received(data) : socket.destroy()));
    socket.on('timeout', () => connection.user?.timedOut());
    socket.on('error', () => {}); // 'close' follows, and the user tells what failed by what it had received
    socket.on('close', () => {
      clearTimeout(timer);
      const idleAt = this.idle.indexOf(connection);
      if (idleAt >= 0) this.idle.splice(idleAt, 1);
      connection.user?.closed();
    });
    return connection;
  }
}
