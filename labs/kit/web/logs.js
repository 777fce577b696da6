// @ts-check
/**
 * The two logs nginx keeps. The access log has a line per request in the predefined `combined` format:
 *
 *   127.0.0.1 - - [21/Nov/2026:05:41:46 +0000] "GET /index.html HTTP/1.1" 200 6 "-" "curl/8.5.0"
 *   $remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent"
 *
 * The error log gets what went wrong (`connect() failed ... while connecting to upstream`); the miniature
 * always writes it to standard error, which the lab supervisor keeps as the service's log.
 */
import { createWriteStream } from 'node:fs';

/**
 * @typedef {{ write(line: string): void, close(): Promise<void> }} AccessLog
 */

/**
 * Opens every access log file once, however many blocks name it.
 * @param {string[]} files absolute paths, or /dev/stdout and /dev/stderr
 * @returns {Map<string, AccessLog>}
 */
export function openAccessLogs(files) {
  return new Map([...new Set(files)].map((file) => [file, openAccessLog(file)]));
}

/** @param {string} file */
function openAccessLog(file) {
  if (file === '/dev/stdout' || file === '/dev/stderr') {
    const stream = file === '/dev/stdout' ? process.stdout : process.stderr;
    return { write: (/** @type {string} */ line) => { stream.write(line); }, close: async () => {} };
  }
  const stream = createWriteStream(file, { flags: 'a' });
  stream.on('error', (error) => logError(`cannot write the access log ${file}: ${error.message}`));
  return {
    write: (/** @type {string} */ line) => { stream.write(line); },
    close: () => new Promise((resolve) => { stream.end(resolve); }),
  };
}

/**
 * @param {object} entry
 * @param {string} entry.remoteAddress
 * @param {string} entry.requestLine   `GET /x HTTP/1.1`
 * @param {number} entry.status
 * @param {number} entry.bytes         body bytes sent
 * @param {string | undefined} entry.referer
 * @param {string | undefined} entry.userAgent
 * @param {Date} [entry.time]
 */
export function combinedLine({ remoteAddress, requestLine, status, bytes, referer, userAgent, time = new Date() }) {
  return `${remoteAddress} - - [${localTime(time)}] "${escape(requestLine)}" ${status} ${bytes} "${escape(referer || '-')}" "${escape(userAgent || '-')}"\n`;
}

/**
 * A line in nginx's error-log style: `2026/11/21 05:41:39 [error] connect() failed ...`.
 * @param {string} message
 * @param {'alert' | 'error' | 'warn' | 'notice'} [level]
 */
export function logError(message, level = 'error') {
  const time = new Date();
  const date = `${time.getFullYear()}/${pad(time.getMonth() + 1)}/${pad(time.getDate())}`;
  process.stderr.write(`${date} ${pad(time.getHours())}:${pad(time.getMinutes())}:${pad(time.getSeconds())} [${level}] ${message}\n`);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * `21/Nov/2026:05:41:46 +0000`, nginx's $time_local.
 * @param {Date} time
 */
function localTime(time) {
  const offset = -time.getTimezoneOffset();
  const zone = `${offset >= 0 ? '+' : '-'}${pad(Math.floor(Math.abs(offset) / 60))}${pad(Math.abs(offset) % 60)}`;
  return `${pad(time.getDate())}/${MONTHS[time.getMonth()]}/${time.getFullYear()}:${pad(time.getHours())}:${pad(time.getMinutes())}:${pad(time.getSeconds())} ${zone}`;
}

/** @param {number} n */
function pad(n) {
  return String(n).padStart(2, '0');
}

/**
 * nginx writes `"`, `\` and bytes outside printable ASCII as \xHH, so that a request cannot forge a log line.
 * @param {string} text
 */
function escape(text) {
  return text.replace(/["\\\x00-\x1f\x7f-\uffff]/g, (c) => `\\x${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}
