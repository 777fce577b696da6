// @ts-check
/**
 * The way of one request through a server block, in nginx's order:
 *
 *   1. a `return` of the server block answers before any location is chosen;
 *   2. the location is chosen (route.js);
 *   3. its `return`, else its `try_files`, else its `proxy_pass`, else the static file under `root`.
 *
 * A handler may move the request to another path (an index file, the last argument of try_files, an error
 * page): that is an internal redirect, and the location is chosen again for the new path. nginx stops a loop
 * after 10 of them with a 500, and so does the miniature. An error status becomes the `error_page` for it, if
 * there is one, once: an error while serving the error page gets nginx's built-in page.
 */
import { logError } from './logs.js';
import { proxyPass } from './proxy.js';
import { answerReturn, sendSlashRedirect, sendStatusPage } from './respond.js';
import { needsSlash, pickLocation } from './route.js';
import { serveStatic, tryFiles } from './static.js';
import { resolveDots } from './uri.js';

/**
 * @typedef {import('./exchange.js').Exchange} Exchange
 * @typedef {import('./respond.js').Outcome} Outcome
 */

const MAX_INTERNAL_REDIRECTS = 10;

/**
 * @param {Exchange} ex
 * @param {Outcome} [start]  an outcome decided before routing, such as `{ error: 400 }` for a malformed path
 */
export async function handle(ex, start) {
  let outcome = start ?? (ex.server.ret ? answerReturn(ex, ex.server.ret) : await route(ex));
  while (outcome) {
    outcome = 'redirect' in outcome ? await redirect(ex, outcome.redirect) : await answerError(ex, outcome.error);
  }
}

/**
 * @param {Exchange} ex
 * @returns {Promise<Outcome>}
 */
async function route(ex) {
  const location = pickLocation(ex.server, ex.uri);
  ex.location = location;
  if (needsSlash(ex.server, ex.uri)) {
    sendSlashRedirect(ex);
    return undefined;
  }
  if (location.ret) return answerReturn(ex, location.ret);
  if (location.tryFiles) return tryFiles(ex, location.tryFiles);
  if (location.proxyPass) return proxyPass(ex, location.proxyPass);
  return serveStatic(ex);
}

/**
 * @param {Exchange} ex
 * @param {string} target  a path, optionally with its own query string
 * @returns {Promise<Outcome>}
 */
async function redirect(ex, target) {
  ex.redirects++;
  const question = target.indexOf('?');
  const uri = resolveDots(question === -1 ? target : target.slice(0, question));
  if (ex.redirects > MAX_INTERNAL_REDIRECTS || uri === undefined) {
    logError(`rewrite or internal redirection cycle while internally redirecting to "${target}", request: "${ex.method} ${ex.requestUri}"`);
    return answerError(ex, 500);
  }
  ex.uri = uri;
  if (question !== -1) ex.args = target.slice(question + 1);
  ex.redirected = true;
  return route(ex);
}

/**
 * @param {Exchange} ex
 * @param {number} status
 * @returns {Promise<Outcome>}
 */
async function answerError(ex, status) {
  const page = ex.location.settings.errorPages.get(status);
  if (page && ex.errorStatus === undefined) {
    ex.errorStatus = page.status ?? status;
    // nginx serves an error page with GET, whatever the method of the request was (HEAD stays HEAD).
    if (ex.method !== 'HEAD') ex.method = 'GET';
    return redirect(ex, page.uri);
  }
  sendStatusPage(ex, status);
  return undefined;
}
