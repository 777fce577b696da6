// @ts-check
/**
 * The application's driver for a real MySQL or MariaDB server, used when the lab runs on the real programs
 * (`lab export`; DB_PROTOCOL=mysql). It has the interface of db-client.js, which speaks the miniature's JSON
 * protocol, and speaks the MySQL client/server protocol instead: the handshake, mysql_native_password, COM_QUERY
 * with text results, COM_PING. Small on purpose: no TLS, no prepared statements (the `?` are filled in here, with
 * the quoting a MySQL driver uses), no compression. Connections are kept open between queries, as a pool does.
 */
import { createHash } from 'node:crypto';
import net from 'node:net';
import { DbError, DbUnreachable, describe } from './db-client.js';

const TIMEOUT_MS = 5000;
/** LONG_PASSWORD, LONG_FLAG, CONNECT_WITH_DB, PROTOCOL_41, TRANSACTIONS, SECURE_CONNECTION, PLUGIN_AUTH */
const CAPABILITIES = 0x1 | 0x4 | 0x8 | 0x200 | 0x2000 | 0x8000 | 0x80000;
const UTF8MB4 = 45;
/** Column types whose text is a number: TINY, SHORT, LONG, FLOAT, DOUBLE, LONGLONG, INT24, YEAR. */
const NUMERIC = new Set([1, 2, 3, 4, 5, 8, 9, 13]);

/**
 * @param {object} options  as db-client.js's createDbClient (clientHost is not needed: the server sees it)
 * @param {string} options.address
 * @param {import('../lib/network.js').Endpoint} options.endpoint
 * @param {string} options.user
 * @param {string} options.password
 * @param {string} options.database
 * @param {(message: string) => void} options.log
 */
export function createMysqlClient({ address, endpoint, user, password, database, log }) {
  /** @type {Connection[]} */
  const idle = [];
  let reachable = true;

  /** @param {(connection: Connection) => Promise<import('./db-client.js').DbReply>} work */
  async function withConnection(work) {
    for (let attempt = 0; ; attempt++) {
      const reused = idle.pop();
      /** @type {Connection | undefined} */
      let connection = reused;
      try {
        connection ??= await connect(endpoint, { user, password, database });
        const reply = await work(connection);
        idle.push(connection);
        if (!reachable) log(`the database at ${address} answers again`);
        reachable = true;
        return reply;
      } catch (error) {
        connection?.close();
        if (error instanceof DbError) throw error;
        // A kept connection that the server closed meanwhile (it restarted): once more, on a new one.
        if (reused && attempt === 0) continue;
        const reason = describe(/** @type {NodeJS.ErrnoException} */ (error));
        if (reachable) log(`the database at ${address} cannot be reached: ${reason}`);
        reachable = false;
        throw new DbUnreachable(`the database at ${address} cannot be reached: ${reason}`);
      }
    }
  }

  return {
    address,
    /** @param {string} sql @param {Array<string | number>} [params] */
    query: (sql, params = []) => withConnection((c) => c.query(fillIn(sql, params))),
    ping: () => withConnection((c) => c.ping()),
  };
}

/**
 * @typedef {{ query: (sql: string) => Promise<import('./db-client.js').DbReply>,
 *   ping: () => Promise<import('./db-client.js').DbReply>, close: () => void }} Connection
 */

/**
 * Opens a connection, logs in, and asks the server its name (for the page, as the miniature's replies give it).
 * @param {import('../lib/network.js').Endpoint} endpoint
 * @param {{ user: string, password: string, database: string }} login
 * @returns {Promise<Connection>}
 */
async function connect({ host, port }, { user, password, database }) {
  const socket = net.connect(port, host);
  // The time limit holds while the server owes an answer, not while the connection waits in the pool.
  socket.setTimeout(TIMEOUT_MS);
  socket.on('timeout', () => socket.destroy(Object.assign(new Error(`no answer within ${TIMEOUT_MS / 1000} s`), { code: 'ETIMEDOUT' })));
  try {
    return await logIn(socket, { user, password, database });
  } catch (error) {
    socket.destroy();
    throw error;
  }
}

/**
 * @param {net.Socket} socket
 * @param {{ user: string, password: string, database: string }} login
 * @returns {Promise<Connection>}
 */
async function logIn(socket, { user, password, database }) {
  const packets = packetReader(socket);
  const greeting = await packets.next();
  if (greeting[0] === 0xff) throw serverError(greeting);
  const { scramble, plugin } = readGreeting(greeting);
  const auth = plugin === 'mysql_native_password' ? nativePassword(password, scramble) : Buffer.alloc(0);
  const response = Buffer.concat([u32(CAPABILITIES), u32(1 << 24), Buffer.from([UTF8MB4]), Buffer.alloc(23),
    cString(user), Buffer.from([auth.length]), auth, cString(database), cString('mysql_native_password')]);
  send(socket, response, 1);
  let answer = await packets.next();
  if (answer[0] === 0xfe) {
    // Authentication switch: the server wants another method, with a new scramble.
    const nameEnd = answer.indexOf(0, 1);
    const method = answer.toString('utf8', 1, nameEnd);
    if (method !== 'mysql_native_password') throw new DbError(`ERROR 1251 (08004): the server asks for ${method}, which this small driver does not speak`, 1251);
    send(socket, nativePassword(password, answer.subarray(nameEnd + 1, nameEnd + 21)), 3);
    answer = await packets.next();
  }
  if (answer[0] === 0xff) throw serverError(answer);

  /** @param {Buffer} command */
  const exchange = async (command) => {
    socket.setTimeout(TIMEOUT_MS);
    send(socket, command, 0);
    const reply = await answerTo(packets);
    socket.setTimeout(0);
    return reply;
  };
  const [{ hostname }] = /** @type {Array<{ hostname: string }>} */ ((await exchange(query('SELECT @@hostname AS hostname'))).rows);
  return {
    query: async (sql) => ({ ...(await exchange(query(sql))), server: hostname }),
    ping: async () => ({ ...(await exchange(Buffer.from([0x0e]))), server: hostname, alive: true }),
    close: () => socket.destroy(),
  };
}

/**
 * The answer to a command: OK (with the id of an inserted row), an error, or a result set of rows.
 * @param {ReturnType<typeof packetReader>} packets
 */
async function answerTo(packets) {
  const first = await packets.next();
  if (first[0] === 0xff) throw serverError(first);
  if (first[0] === 0x00) {
    const affected = lengthEncoded(first, 1);
    return { rows: [], insertId: lengthEncoded(first, affected.end).value };
  }
  const columns = [];
  for (let n = lengthEncoded(first, 0).value; n > 0; n--) columns.push(readColumn(await packets.next()));
  await packets.next();
  const rows = [];
  for (let row = await packets.next(); !(row[0] === 0xfe && row.length < 9); row = await packets.next()) {
    if (row[0] === 0xff) throw serverError(row);
    rows.push(readRow(row, columns));
  }
  return { rows, insertId: 0 };
}

/**
 * Splits the socket's bytes into MySQL packets (3 bytes of length, 1 of sequence, then the payload).
 * @param {net.Socket} socket
 */
function packetReader(socket) {
  let buffer = Buffer.alloc(0);
  /** @type {Array<{ resolve: (packet: Buffer) => void, reject: (error: Error) => void }>} */
  const waiting = [];
  /** @type {Error | undefined} */
  let failure;
  const deliver = () => {
    while (waiting.length > 0 && buffer.length >= 4 && buffer.length >= 4 + buffer.readUIntLE(0, 3)) {
      const length = buffer.readUIntLE(0, 3);
      const packet = buffer.subarray(4, 4 + length);
      buffer = buffer.subarray(4 + length);
      waiting.shift()?.resolve(packet);
    }
    if (failure) for (const waiter of waiting.splice(0)) waiter.reject(failure);
  };
  socket.on('data', (chunk) => { buffer = Buffer.concat([buffer, chunk]); deliver(); });
  socket.on('error', (error) => { failure = error; deliver(); });
  socket.on('close', () => {
    failure ??= Object.assign(new Error('the server closed the connection'), { code: 'ECONNRESET' });
    deliver();
  });
  return { next: () => /** @type {Promise<Buffer>} */ (new Promise((resolve, reject) => { waiting.push({ resolve, reject }); deliver(); })) };
}

/** @param {Buffer} packet  the server's first packet, Handshake V10 */
function readGreeting(packet) {
  let at = packet.indexOf(0, 1) + 1 + 4;
  const first = packet.subarray(at, at + 8);
  at += 8 + 1 + 2 + 1 + 2 + 2;
  const dataLength = packet[at];
  at += 1 + 10;
  const secondLength = Math.max(13, dataLength - 8);
  const second = packet.subarray(at, at + 12);
  at += secondLength;
  const end = packet.indexOf(0, at);
  return { scramble: Buffer.concat([first, second]), plugin: packet.toString('utf8', at, end < 0 ? packet.length : end) };
}

/**
 * SHA1(password) XOR SHA1(scramble + SHA1(SHA1(password))): what mysql_native_password sends.
 * @param {string} password
 * @param {Buffer} scramble
 */
function nativePassword(password, scramble) {
  if (password === '') return Buffer.alloc(0);
  const sha1 = (/** @type {Buffer} */ data) => createHash('sha1').update(data).digest();
  const once = sha1(Buffer.from(password, 'utf8'));
  const mask = sha1(Buffer.concat([scramble.subarray(0, 20), sha1(once)]));
  return Buffer.from(once.map((byte, i) => byte ^ mask[i]));
}

/**
 * The server's error as the mysql client prints it: `ERROR 1130 (HY000): Host '10.0.0.21' is not allowed ...`.
 * @param {Buffer} packet
 */
function serverError(packet) {
  const errno = packet.readUInt16LE(1);
  const marked = packet[3] === 0x23;
  const state = marked ? packet.toString('utf8', 4, 9) : 'HY000';
  return new DbError(`ERROR ${errno} (${state}): ${packet.toString('utf8', marked ? 9 : 3)}`, errno);
}

/** @param {Buffer} packet  a column definition: its name, and its type for reading values */
function readColumn(packet) {
  let at = 0;
  const strings = [];
  for (let i = 0; i < 6; i++) {
    const { value, end } = lengthEncoded(packet, at);
    strings.push(packet.toString('utf8', end, end + value));
    at = end + value;
  }
  return { name: strings[4], type: packet[at + 1 + 2 + 4] };
}

/**
 * @param {Buffer} packet
 * @param {Array<{ name: string, type: number }>} columns
 */
function readRow(packet, columns) {
  /** @type {Record<string, unknown>} */
  const row = {};
  let at = 0;
  for (const column of columns) {
    if (packet[at] === 0xfb) {
      row[column.name] = null;
      at += 1;
      continue;
    }
    const { value, end } = lengthEncoded(packet, at);
    const text = packet.toString('utf8', end, end + value);
    row[column.name] = NUMERIC.has(column.type) ? Number(text) : text;
    at = end + value;
  }
  return row;
}

/**
 * A length-encoded integer at `at`: its value, and where what follows it starts.
 * @param {Buffer} packet
 * @param {number} at
 */
function lengthEncoded(packet, at) {
  const first = packet[at];
  if (first < 0xfb) return { value: first, end: at + 1 };
  if (first === 0xfc) return { value: packet.readUInt16LE(at + 1), end: at + 3 };
  if (first === 0xfd) return { value: packet.readUIntLE(at + 1, 3), end: at + 4 };
  return { value: Number(packet.readBigUInt64LE(at + 1)), end: at + 9 };
}

/**
 * The statement with each `?` replaced by its value, quoted as a MySQL driver quotes it.
 * @param {string} sql
 * @param {Array<string | number>} params
 */
export function fillIn(sql, params) {
  const parts = sql.split('?');
  if (parts.length - 1 !== params.length) throw new Error(`the statement has ${parts.length - 1} ? and ${params.length} values: ${sql}`);
  return parts.map((part, i) => (i === 0 ? part : `${literal(params[i - 1])}${part}`)).join('');
}

/** @param {string | number} value */
function literal(value) {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`${value} is not a number MySQL can store`);
    return String(value);
  }
  const escapes = { '\0': '\\0', '\n': '\\n', '\r': '\\r', '\b': '\\b', '\t': '\\t', '\x1a': '\\Z', "'": "\\'", '"': '\\"', '\\': '\\\\' };
  return `'${value.replace(/[\0\n\r\b\t\x1a'"\\]/g, (c) => escapes[/** @type {keyof typeof escapes} */ (c)])}'`;
}

/** @param {string} sql */
const query = (sql) => Buffer.concat([Buffer.from([0x03]), Buffer.from(sql, 'utf8')]);
/** @param {number} n */
const u32 = (n) => { const b = Buffer.alloc(4); b.writeUInt32LE(n); return b; };
/** @param {string} text */
const cString = (text) => Buffer.concat([Buffer.from(text, 'utf8'), Buffer.from([0])]);

/**
 * @param {net.Socket} socket
 * @param {Buffer} payload
 * @param {number} sequence
 */
function send(socket, payload, sequence) {
  const header = Buffer.alloc(4);
  header.writeUIntLE(payload.length, 0, 3);
  header[3] = sequence;
  socket.write(Buffer.concat([header, payload]));
}
