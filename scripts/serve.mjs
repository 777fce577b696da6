// @ts-check
/**
 * `npm run serve`: serves the production build (build/) the way a real host would, with the cross-origin isolation
 * headers that the labs need. `docusaurus serve` cannot send custom headers, hence this small server.
 *
 *   node scripts/serve.mjs [--port 3000] [--host localhost] [--dir build] [--no-isolation]
 *
 * `--port 0` picks a free port. `--no-isolation` leaves the headers out, to try the site as GitHub Pages serves it
 * (the service worker in static/coi-worker.js then isolates the page). The first line on stdout is the address.
 */
import {createServer} from 'node:http';
import {createReadStream, existsSync} from 'node:fs';
import {stat} from 'node:fs/promises';
import path from 'node:path';
import {parseArgs} from 'node:util';
import {pathToFileURL} from 'node:url';
import {isolationHeaders} from './lib/isolation-headers.mjs';
import {resolveSite} from '../site.config.mjs';

/** @type {Record<string, string>} */
const MIME_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.webmanifest': 'application/manifest+json',
};

/**
 * @typedef {object} ServeOptions
 * @property {string} root       the folder to serve
 * @property {string} baseUrl    the path the site lives under ("/" or "/scale-up/")
 * @property {boolean} isolation send the cross-origin isolation headers
 */

/**
 * A request handler that serves `root` under `baseUrl`: files as they are, `/page` and `/page/` from
 * `page/index.html` (or `page.html`), anything else the site's 404 page with status 404.
 * @param {ServeOptions} options
 * @returns {import('node:http').RequestListener}
 */
export function staticSite({root, baseUrl, isolation}) {
  const rootDir = path.resolve(root);
  const headers = isolation ? isolationHeaders : {};
  return async (request, response) => {
    for (const [name, value] of Object.entries(headers)) {
      response.setHeader(name, value);
    }
    response.setHeader('X-Content-Type-Options', 'nosniff');
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, {Allow: 'GET, HEAD'}).end();
      return;
    }
    const pathname = decodedPathname(request.url ?? '/');
    if (pathname === undefined) {
      response.writeHead(400, {'Content-Type': 'text/plain; charset=utf-8'}).end('Bad request path\n');
      return;
    }
    if (!pathname.startsWith(baseUrl)) {
      if (`${pathname}/` === baseUrl || pathname === '/') {
        response.writeHead(302, {Location: baseUrl}).end();
      } else {
        await sendNotFound(rootDir, request, response);
      }
      return;
    }
    const file = await findFile(rootDir, pathname.slice(baseUrl.length));
    if (file === undefined) {
      await sendNotFound(rootDir, request, response);
      return;
    }
    send(file.path, file.size, 200, request, response);
  };
}

/**
 * The request's path, percent-decoded, or undefined when it cannot be served safely: undecodable, or with a NUL,
 * a backslash, or a `..` segment (which would lead out of the served folder).
 * @param {string} url
 */
function decodedPathname(url) {
  let pathname;
  try {
    pathname = decodeURIComponent(new URL(url, 'http://site.invalid').pathname);
  } catch {
    return undefined;
  }
  if (pathname.includes('\0') || pathname.includes('\\') || pathname.split('/').includes('..')) {
    return undefined;
  }
  return pathname;
}

/**
 * @param {string} rootDir
 * @param {string} relative the path below baseUrl, without a leading slash
 * @returns {Promise<{path: string, size: number} | undefined>}
 */
async function findFile(rootDir, relative) {
  const base = path.join(rootDir, relative);
  // Belt and braces: decodedPathname() already refused `..`, but nothing outside rootDir is ever served.
  if (base !== rootDir && !base.startsWith(rootDir + path.sep)) {
    return undefined;
  }
  const candidates = relative === '' || relative.endsWith('/')
    ? [path.join(base, 'index.html')]
    : [base, path.join(base, 'index.html'), `${base}.html`];
  for (const candidate of candidates) {
    const info = await stat(candidate).catch(() => undefined);
    if (info?.isFile()) {
      return {path: candidate, size: info.size};
    }
  }
  return undefined;
}

/**
 * @param {string} rootDir
 * @param {import('node:http').IncomingMessage} request
 * @param {import('node:http').ServerResponse} response
 */
async function sendNotFound(rootDir, request, response) {
  const page = path.join(rootDir, '404.html');
  const info = await stat(page).catch(() => undefined);
  if (info?.isFile()) {
    send(page, info.size, 404, request, response);
  } else {
    response.writeHead(404, {'Content-Type': 'text/plain; charset=utf-8'}).end('Not found\n');
  }
}

/**
 * @param {string} file
 * @param {number} size
 * @param {number} status
 * @param {import('node:http').IncomingMessage} request
 * @param {import('node:http').ServerResponse} response
 */
function send(file, size, status, request, response) {
  const type = MIME_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
  response.writeHead(status, {'Content-Type': type, 'Content-Length': size, 'Cache-Control': 'no-cache'});
  if (request.method === 'HEAD') {
    response.end();
    return;
  }
  createReadStream(file)
    .on('error', () => response.destroy())
    .pipe(response);
}

async function main() {
  const {values} = parseArgs({
    options: {
      port: {type: 'string', default: process.env.PORT ?? '3000'},
      host: {type: 'string', default: 'localhost'},
      dir: {type: 'string', default: 'build'},
      'no-isolation': {type: 'boolean', default: false},
    },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`--port must be a port number (0 picks a free one), not "${values.port}"`);
  }
  if (!existsSync(path.join(values.dir, 'index.html'))) {
    throw new Error(`No built site in ${values.dir}/: run \`npm run build\` first.`);
  }
  const {baseUrl} = resolveSite();
  const isolation = !values['no-isolation'];
  const server = createServer(staticSite({root: values.dir, baseUrl, isolation}));
  server.on('error', (error) => {
    const inUse = /** @type {NodeJS.ErrnoException} */ (error).code === 'EADDRINUSE';
    console.error(inUse ? `Port ${port} is in use: pass another with --port, or --port 0 for a free one.` : String(error));
    process.exit(1);
  });
  server.listen(port, values.host, () => {
    const address = /** @type {import('node:net').AddressInfo} */ (server.address());
    const mode = isolation ? 'cross-origin isolated' : 'without isolation headers, like GitHub Pages';
    console.log(`Serving ${values.dir}/ at http://${values.host}:${address.port}${baseUrl} (${mode}). Ctrl-C stops.`);
  });
  for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
    process.on(signal, () => {
      server.close();
      server.closeAllConnections();
    });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
