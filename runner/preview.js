// @ts-check
/**
 * The preview: a page of the lab (its entry point, say 10.0.0.100:80, listening on loopback port 40280) shown in an
 * iframe of the course page. In a WebContainer the preview has an address of its own; here the runner forwards
 *   http://127.0.0.1:7300/preview/<session key>/<port>/<path>  ->  http://127.0.0.1:<port>/<path>
 * and adds the two headers an iframe needs inside a cross-origin isolated page. Only ports of the lab's network
 * table are forwarded: the key in the address is not a licence to reach any service on the machine.
 */
import http from 'node:http';
import { readInside } from './workspace-files.js';

/**
 * What a cross-origin isolated page (COEP require-corp) needs from a document before it shows it in an iframe.
 * Lower case, as Node gives the lab server's headers, so that these replace any the lab server sent.
 */
export const PREVIEW_HEADERS = Object.freeze({
  'cross-origin-resource-policy': 'cross-origin',
  'cross-origin-embedder-policy': 'require-corp',
});

const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer'];

/**
 * The loopback ports of the lab's network table (network.json in the workspace).
 * @param {string} home the workspace
 * @returns {Promise<Set<number>>}
 */
export async function labPorts(home) {
  try {
    const table = JSON.parse(await readInside(home, 'network.json'));
    return new Set(Object.values(table.ports ?? {}).filter((port) => Number.isInteger(port)));
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
  if (!req.headers.referer) return undefined;
  try {
    const referer = new URL(req.headers.referer);
    if (referer.host !== req.headers.host) return undefined;
    const from = parsePreviewPath(referer.pathname);
    return from ? `${from.prefix}${req.url}` : undefined;
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
  for (const name of HOP_BY_HOP) delete headers[name];
  const upstream = http.request({ host: '127.0.0.1', port, method: req.method, path: rest, headers }, (answer) => {
    /** @type {import('node:http').OutgoingHttpHeaders} */
    const out = { ...answer.headers, ...PREVIEW_HEADERS };
    for (const name of HOP_BY_HOP) delete out[name];
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
 * A redirect from the lab's server names its own address (`/login`, `http://127.0.0.1:40280/login`); in the
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
