// @ts-check
/**
 * Which headers cross the balancer. A proxy forwards end-to-end headers and drops hop-by-hop ones (RFC 9110 7.6.1):
 * those describe one connection (keep-alive, chunking) and the balancer has two, one on each side.
 * It works on Node's rawHeaders arrays ([name, value, name, value, ...]) to avoid building header objects.
 */

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade']);

/**
 * @param {string[]} raw rawHeaders of the incoming message
 * @returns {{ headers: string[], hasBody: boolean }} the headers to send on, and whether a body follows
 */
export function endToEndHeaders(raw) {
  /** @type {string[]} */
  const headers = [];
  let hasBody = false;
  let listed = '';
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i].toLowerCase();
    if (HOP_BY_HOP.has(name)) {
      if (name === 'transfer-encoding') hasBody = true;
      else if (name === 'connection') listed = raw[i + 1].toLowerCase();
      continue;
    }
    if (name === 'content-length') hasBody = raw[i + 1] !== '0';
    headers.push(raw[i], raw[i + 1]);
  }
  const namesOthers = listed !== '' && listed !== 'close' && listed !== 'keep-alive';
  return { headers: namesOthers ? dropListed(headers, listed) : headers, hasBody };
}

/**
 * `Connection: close, X-Trace` also makes X-Trace hop-by-hop: remove the headers the Connection header names.
 * @param {string[]} headers
 * @param {string} listed
 */
function dropListed(headers, listed) {
  const names = new Set(listed.split(',').map((n) => n.trim()));
  return headers.filter((_, i) => !names.has(headers[i - (i % 2)].toLowerCase()));
}

/**
 * The headers without those called `name`.
 * @param {string[]} headers
 * @param {string} name  in lower case
 */
export function withoutHeader(headers, name) {
  return headers.filter((_, i) => headers[i - (i % 2)].toLowerCase() !== name);
}

/**
 * The request line and headers as they go to the server. Always HTTP/1.1, so that the connection stays open.
 * Node's http server has already refused a method, target or header that could smuggle a line break in.
 * @param {string} method
 * @param {string} target  the path and query, as the client sent them
 * @param {string[]} headers
 */
export function requestHead(method, target, headers) {
  let head = `${method} ${target} HTTP/1.1\r\n`;
  for (let i = 0; i < headers.length; i += 2) head += `${headers[i]}: ${headers[i + 1]}\r\n`;
  return `${head}\r\n`;
}
