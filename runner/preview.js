// @ts-check
/**
 * The preview: a page of the lab (its entry point, say 10.0.0.100:80, listening on loopback port 20280) shown in an
 * iframe of the course page. In a WebContainer the preview has an address of its own; here the runner forwards
 *   http://127.0.0.1:7300/preview/<session key>/<port>/<path>  ->  http://127.0.0.1:<port>/<path>
 * and adds the two headers an iframe needs inside a cross-origin isolated page. Only ports of the lab's network
 * table are forwarded: the key in the address is not a licence to reach any service on the machine. The table is
 * read once, when the session's lab starts (session.js): a network.json written later cannot add a port.
 *
 * The preview's address is on 127.0.0.1, and a browser sends a host's cookies to all its ports: the cookies of
 * every other local service (a notebook, a database console) would go to the lab's servers, and a cookie a lab
 * server set would go to them. So the proxy forwards no credentials (Cookie, Authorization, Proxy-Authorization)
 * and no Set-Cookie; no lab uses cookies (the kit has no cookie persistence). The Referer names the lab server's
 * own address instead of the preview's, whose key the lab's access logs have no need of. Everything else that
 * describes the request (method, path, Accept..., Content-Type, caching validators, User-Agent) goes as it came:
 * the lab's servers log it and answer by it.
 */
import http from 'node:http';

/**
 * What a cross-origin isolated page (COEP require-corp) needs from a document before it shows it in an iframe.
 * Lower case, as Node gives the lab server's headers, so that these replace any the lab server sent.
 */
export const PREVIEW_HEADERS = Object.freeze({
  'cross-origin-resource-policy': 'cross-origin',
  'cross-origin-embedder-policy': 'require-corp',
});

const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer'];
const CREDENTIALS = ['cookie', 'authorization', 'proxy-authorization'];

/**
 * The loopback ports of a lab's network table (the text of its network.json); none when it is not valid.
 * @param {string} text
 * @param {number} runnerPort never one of them: the runner does not preview itself
 * @returns {Set<number>}
 */
export function portsOf(text, runnerPort) {
  try {
    const ports = Object.values(JSON.parse(text).ports ?? {});
    return new Set(ports.filter((port) => Number.isInteger(port) && port > 0 && port < 65536 && port !== runnerPort));
  } catch {
    return new Set();
  }
}

/**
 * Splits a preview path: `/preview/<key>/<port>/rest?query`.
 * @param {string} url the request's path and query
 * @returns {{ key: string, port: number, prefix: string, rest: string } | undefined}
 */
export function parsePreviewPath(url) {
  const match = /^\/preview\/([A-Za-z0-9_-]+)\/(\d{1,5})(\/.*|\?.*)?$/.exec(url);
  if (!match) return undefined;
  const rest = match[3] ?? '/';
  return { key: match[1], port: Number(match[2]), prefix: `/preview/${match[1]}/${match[2]}`, rest: rest.startsWith('/') ? rest : `/${rest}` };
}

/**
 * A page in the preview that asks for `/style.css` (an absolute path) reaches the runner outside its prefix; the
 * Referer says which preview it came from, so it is sent back to the same place.
 * @param {import('node:http').IncomingMessage} req
 * @returns {string | undefined} the address to redirect to
 */
export function previewRedirect(req) {
  const from = refererPath(req.headers.referer, req.headers.host);
  return from ? `${from.prefix}${req.url}` : undefined;
}

/**
 * The preview a Referer names, when it is one of this runner's preview addresses.
 * @param {string | undefined} referer
 * @param {string | undefined} host the runner's own, as the request named it
 */
function refererPath(referer, host) {
  if (!referer) return undefined;
  try {
    const url = new URL(referer);
    return url.host === host ? parsePreviewPath(url.pathname + url.search) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Forwards one request to the lab's port and its answer back, with the preview headers.
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 * @param {{ port: number, prefix: string, rest: string }} target
 */
export function forward(req, res, { port, prefix, rest }) {
  /** @type {import('node:http').OutgoingHttpHeaders} */
  const headers = { ...req.headers, host: `127.0.0.1:${port}` };
  for (const name of [...HOP_BY_HOP, ...CREDENTIALS]) delete headers[name];
  const from = refererPath(req.headers.referer, req.headers.host);
  if (from?.port === port) headers.referer = `http://127.0.0.1:${port}${from.rest}`;
  else delete headers.referer;
  const upstream = http.request({ host: '127.0.0.1', port, method: req.method, path: rest, headers }, (answer) => {
    /** @type {import('node:http').OutgoingHttpHeaders} */
    const out = { ...answer.headers, ...PREVIEW_HEADERS };
    for (const name of [...HOP_BY_HOP, 'set-cookie']) delete out[name];
    if (answer.headers.location) out.location = rewriteLocation(answer.headers.location, port, prefix);
    res.writeHead(answer.statusCode ?? 502, out);
    answer.pipe(res);
  });
  upstream.on('error', () => {
    if (res.headersSent) return res.destroy();
    res.writeHead(502, { 'content-type': 'text/plain; charset=utf-8', ...PREVIEW_HEADERS });
    res.end(`Nothing answers on port ${port} of the lab yet. Start the lab (lab up), then reload the preview.\n`);
  });
  req.on('error', () => upstream.destroy());
  req.pipe(upstream);
}

/**
 * A redirect from the lab's server names its own address (`/login`, `http://127.0.0.1:20280/login`); in the
 * preview it must stay under the preview's prefix.
 * @param {string} location
 * @param {number} port
 * @param {string} prefix
 */
function rewriteLocation(location, port, prefix) {
  if (location.startsWith('/') && !location.startsWith('//')) return `${prefix}${location}`;
  const match = /^https?:\/\/(?:127\.0\.0\.1|localhost):(\d+)(\/.*)?$/i.exec(location);
  return match && Number(match[1]) === port ? `${prefix}${match[2] ?? '/'}` : location;
}
