// @ts-check
/**
 * Static files under `root`: the file for a path, the `index` file for a directory, `try_files`, and the
 * answers nginx gives around them (301 to add a directory's slash, 403, 404, 405, 304 Not Modified).
 *
 * Safety: uri.js has already refused a path that climbs above `/`. Here the file is looked up again on the
 * real file system, where a symbolic link may point anywhere: a file whose real path is outside the root's real
 * path is refused with 404. nginx follows such links unless `disable_symlinks` says otherwise; the miniature
 * refuses them always, because a lab folder is a learner's own files and nothing outside it should be served.
 */
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { logError } from './logs.js';
import { contentTypeOf } from './mime.js';
import { sendSlashRedirect, startResponse } from './respond.js';
import { expand } from './variables.js';

/**
 * @typedef {import('./exchange.js').Exchange} Exchange
 * @typedef {import('./respond.js').Outcome} Outcome
 * @typedef {{ kind: 'file' | 'dir', real: string, stats: import('node:fs').Stats }
 *   | { kind: 'missing' | 'forbidden' | 'outside' }} Found
 */

/**
 * @param {Exchange} ex
 * @returns {Promise<Outcome>}
 */
export async function serveStatic(ex) {
  // As nginx: a POST finds its file first (404 if there is none) and is refused only then; other methods at once.
  if (ex.method !== 'GET' && ex.method !== 'HEAD' && ex.method !== 'POST') return { error: 405 };
  const { root, index } = ex.location.settings;
  if (ex.uri.endsWith('/')) {
    for (const name of index) {
      // nginx serves an index file by an internal redirect: `/` becomes `/index.html` and picks its location anew.
      if ((await findFile(root, ex.uri + name)).kind === 'file') return { redirect: ex.uri + name };
    }
    const found = await findFile(root, ex.uri);
    if (found.kind === 'dir') logError(`directory index of "${found.real}/" is forbidden, request: "${ex.method} ${ex.requestUri}"`);
    return { error: found.kind === 'dir' || found.kind === 'forbidden' ? 403 : 404 };
  }
  const found = await findFile(root, ex.uri);
  if (found.kind === 'file') return ex.method === 'POST' ? { error: 405 } : sendFile(ex, found.real, found.stats);
  if (found.kind === 'dir') {
    sendSlashRedirect(ex);
    return undefined;
  }
  if (found.kind === 'outside') logError(`refused "${ex.uri}": its real path is outside the root ${root}`);
  return { error: found.kind === 'forbidden' ? 403 : 404 };
}

/**
 * `try_files $uri $uri/ /index.html;`: the first that exists is served (a name ending in `/` must be a
 * directory, any other a file); otherwise the last argument is a path to redirect to internally, or `=CODE`.
 * @param {Exchange} ex
 * @param {string[]} list
 * @returns {Promise<Outcome>}
 */
export async function tryFiles(ex, list) {
  for (const item of list.slice(0, -1)) {
    const candidate = `/${expand(item, ex)}`.replace(/\/{2,}/g, '/');
    const found = await findFile(ex.location.settings.root, candidate);
    if (found.kind === (item.endsWith('/') ? 'dir' : 'file')) {
      // As nginx: a folder found by `$uri/` goes on without that slash, so `/docs` gets its 301 to `/docs/`.
      ex.uri = item.endsWith('/') ? `/${expand(item, ex).slice(0, -1)}`.replace(/\/{2,}/g, '/') : candidate;
      return serveStatic(ex);
    }
  }
  const last = expand(list[list.length - 1], ex);
  return /^=\d{3}$/.test(last) ? { error: Number(last.slice(1)) } : { redirect: last };
}

/**
 * Where a path leads under a root, following symbolic links, and whether that is still inside the root.
 * @param {string} root
 * @param {string} uri  a normalized path that starts with `/`
 * @returns {Promise<Found>}
 */
export async function findFile(root, uri) {
  const base = path.resolve(root);
  const target = path.resolve(base, `.${uri}`);
  if (!isInside(base, target)) return { kind: 'outside' };
  try {
    const [realBase, real] = await Promise.all([realpath(base), realpath(target)]);
    if (!isInside(realBase, real)) return { kind: 'outside' };
    const stats = await stat(real);
    if (stats.isFile()) return { kind: 'file', real, stats };
    if (stats.isDirectory()) return { kind: 'dir', real, stats };
    return { kind: 'forbidden' };
  } catch (error) {
    const code = /** @type {NodeJS.ErrnoException} */ (error).code;
    return { kind: code === 'EACCES' || code === 'EPERM' ? 'forbidden' : 'missing' };
  }
}

/**
 * @param {string} base
 * @param {string} target
 */
function isInside(base, target) {
  const relative = path.relative(base, target);
  return relative === '' || (relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative));
}

/**
 * @param {Exchange} ex
 * @param {string} file  the real path
 * @param {import('node:fs').Stats} stats
 * @returns {Promise<Outcome>}
 */
async function sendFile(ex, file, stats) {
  const seconds = Math.floor(stats.mtimeMs / 1000);
  // nginx's ETag: the modification time and the size, in hexadecimal.
  const etag = `"${seconds.toString(16)}-${stats.size.toString(16)}"`;
  const lastModified = new Date(seconds * 1000).toUTCString();
  if (ex.errorStatus === undefined && isNotModified(ex.req.headers, etag, seconds)) {
    startResponse(ex, 304, { 'Last-Modified': lastModified, ETag: etag });
    ex.res.end();
    return undefined;
  }
  startResponse(ex, ex.errorStatus ?? 200, {
    'Content-Type': contentTypeOf(ex.uri, ex.config.types, ex.location.settings.defaultType),
    'Content-Length': stats.size,
    'Last-Modified': lastModified,
    ETag: etag,
  });
  if (ex.method === 'HEAD') {
    ex.res.end();
    return undefined;
  }
  const stream = createReadStream(file);
  stream.on('data', (chunk) => { ex.bytesSent += chunk.length; });
  await pipeline(stream, ex.res).catch((error) => {
    if (error.code !== 'ERR_STREAM_PREMATURE_CLOSE') logError(`reading "${file}" failed: ${error.message}`);
    ex.res.destroy();
  });
  return undefined;
}

/**
 * nginx answers 304 when every validator the client sent matches: If-None-Match against the ETag, and
 * If-Modified-Since against the modification time, to the second (`if_modified_since exact`).
 * @param {import('node:http').IncomingHttpHeaders} headers
 * @param {string} etag
 * @param {number} seconds
 */
function isNotModified(headers, etag, seconds) {
  const noneMatch = headers['if-none-match'];
  const modifiedSince = headers['if-modified-since'];
  if (noneMatch === undefined && modifiedSince === undefined) return false;
  if (modifiedSince !== undefined && Date.parse(modifiedSince) !== seconds * 1000) return false;
  if (noneMatch === undefined || noneMatch.trim() === '*') return true;
  return noneMatch.split(',').map((tag) => tag.trim().replace(/^W\//, '')).includes(etag);
}
