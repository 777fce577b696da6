// @ts-check
/**
 * The answers the balancer writes itself, word for word HAProxy's built-in error pages (HAProxy can replace them
 * with `errorfile`, which the miniature does not read).
 */

/** @type {Record<number, [string, string]>} status -> reason and explanation */
const PAGES = {
  400: ['Bad request', 'Your browser sent an invalid request.'],
  502: ['Bad Gateway', 'The server returned an invalid or incomplete response.'],
  503: ['Service Unavailable', 'No server is available to handle this request.'],
  504: ['Gateway Time-out', "The server didn't respond in time."],
};

/**
 * @param {import('node:http').ServerResponse} res
 * @param {400 | 502 | 503 | 504} status
 * @returns {number} the bytes of the body
 */
export function sendErrorPage(res, status) {
  const [reason, text] = PAGES[status];
  const body = `<html><body><h1>${status} ${reason}</h1>\n${text}\n</body></html>\n`;
  res.writeHead(status, reason, ['content-length', String(Buffer.byteLength(body)), 'cache-control', 'no-cache', 'content-type', 'text/html']);
  res.end(body);
  return body.length;
}
