// @ts-check
/**
 * `npm run serve`: serves the production build (build/) the way a real host would, with the cross-origin isolation
 * headers that the labs need. `docusaurus serve` cannot send custom headers, hence this small server.
 *
 *   node scripts/serve.mjs [--port 3000] [--host localhost] [--dir build] [--no-isolation]
 *
 * `--port 0` picks a free port. `--no-isolation` leaves the headers out, to try the site as GitHub Pages serves it
 * (the service worker in static/coi-worker.js then isolates the page). The first line on stdout is the address.
 *
 * Like a host, it compresses text (brotli, or gzip, as the browser accepts) and lets a browser keep the files in
 * assets/, whose names change with their content, for a year; everything else, HTML first, is checked every time.
 * So what is measured locally (bench/) is what a learner gets.
 */
import {createServer} from 'node:http';
import {createReadStream, existsSync} from 'node:fs';
import {readFile, stat} from 'node:fs/promises';
import path from 'node:path';
import {parseArgs} from 'node:util';
import {pathToFileURL} from 'node:url';
import {promisify} from 'node:util';
import {brotliCompress, constants as zlib, gzip} from 'node:zlib';
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

/** Types worth compressing: text, and formats made of text. Images and fonts are compressed already. */
const COMPRESSIBLE = /^(text\/|application\/(json|xml|manifest\+json|wasm)|image\/svg\+xml)/;

/** Files whose names carry a hash of their content (Docusaurus puts them in assets/): they never change. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** Everything else may change with the next build: the browser may keep it, but asks each time. */
const REVALIDATE = 'no-cache';

/**
 * The compressors, at the levels a host uses for compression on the fly (fast, and close to the smallest).
 * @type {Record<'br' | 'gzip', (data: Buffer) => Promise<Buffer>>}
 */
const COMPRESSORS = {
  br: (data) => promisify(brotliCompress)(data, {params: {[zlib.BROTLI_PARAM_QUALITY]: 6}}),
  gzip: (data) => promisify(gzip)(data, {level: 6}),
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
  const assetsPrefix = `${baseUrl}assets/`;
  /** Compressed files, by path, modification time and encoding: each is compressed once. */
  const compressed = new Map();
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
    const cacheControl = pathname.startsWith(assetsPrefix) ? IMMUTABLE : REVALIDATE;
    await send(file, 200, cacheControl, compressed, request, response);
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
 * @returns {Promise<ServedFile | undefined>}
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
      return {path: candidate, size: info.size, modified: info.mtimeMs};
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
    await send({path: page, size: info.size, modified: info.mtimeMs}, 404, REVALIDATE, new Map(), request, response);
  } else {
    response.writeHead(404, {'Content-Type': 'text/plain; charset=utf-8'}).end('Not found\n');
  }
}

/** @typedef {{path: string, size: number, modified: number}} ServedFile */

/**
 * Sends a file, compressed when it is text and the browser accepts brotli or gzip.
 * @param {ServedFile} file
 * @param {number} status
 * @param {string} cacheControl
 * @param {Map<string, Buffer>} compressed compressed bodies already made, by path, modification time and encoding
 * @param {import('node:http').IncomingMessage} request
 * @param {import('node:http').ServerResponse} response
 */
async function send(file, status, cacheControl, compressed, request, response) {
  const type = MIME_TYPES[path.extname(file.path).toLowerCase()] ?? 'application/octet-stream';
  const headers = {'Content-Type': type, 'Cache-Control': cacheControl};
  const compressible = COMPRESSIBLE.test(type);
  const encoding = compressible ? acceptedEncoding(request.headers['accept-encoding']) : undefined;
  if (compressible) {
    // A cache between the browser and this server must keep the compressed and the plain body apart.
    response.setHeader('Vary', 'Accept-Encoding');
  }
  if (encoding === undefined) {
    response.writeHead(status, {...headers, 'Content-Length': file.size});
    if (request.method === 'HEAD') {
      response.end();
      return;
    }
    createReadStream(file.path)
      .on('error', () => response.destroy())
      .pipe(response);
    return;
  }
  const key = `${file.path}\n${file.modified}\n${encoding}`;
  let body = compressed.get(key);
  if (body === undefined) {
    body = await COMPRESSORS[encoding](await readFile(file.path));
    compressed.set(key, body);
  }
  response.writeHead(status, {...headers, 'Content-Encoding': encoding, 'Content-Length': body.length});
  response.end(request.method === 'HEAD' ? undefined : body);
}

/**
 * The encoding to send, from the request's Accept-Encoding: brotli if accepted, else gzip, else none.
 * @param {string | undefined} header
 * @returns {'br' | 'gzip' | undefined}
 */
export function acceptedEncoding(header) {
  const accepted = new Set(
    (header ?? '')
      .split(',')
      .map((part) => part.trim().split(';'))
      .filter(([, ...params]) => !params.some((param) => /^\s*q=0(\.0*)?\s*$/.test(param)))
      .map(([name]) => name.trim().toLowerCase()),
  );
  if (accepted.has('br')) {
    return 'br';
  }
  return accepted.has('gzip') || accepted.has('*') ? 'gzip' : undefined;
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
