/*
 * A service worker that makes the site cross-origin isolated on hosts that cannot send response headers
 * (GitHub Pages). The labs need isolation: a WebContainer uses SharedArrayBuffer, which browsers only allow on an
 * isolated page, and a page is isolated only if its own response carries COOP and COEP.
 *
 * A service worker sits between the page and the network, so it can hand the browser a copy of each of the site's
 * responses with the two headers added. It does not touch responses from other origins: it could not add headers
 * to those anyway (their content is opaque to it).
 *
 * coi-register.js installs it, and only where the page is not isolated already. The headers must match
 * scripts/lib/isolation-headers.mjs (a test checks).
 */
const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (new URL(request.url).origin !== self.location.origin) {
    return;
  }
  // A request that may only come from the cache cannot be repeated with fetch() from here.
  if (request.cache === 'only-if-cached' && request.mode !== 'same-origin') {
    return;
  }
  event.respondWith(fetch(request).then(withIsolationHeaders));
});

/** @param {Response} response */
function withIsolationHeaders(response) {
  // A redirect seen by a navigation is opaque (status 0): pass it on, the browser follows it and asks again.
  if (response.status === 0) {
    return response;
  }
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(ISOLATION_HEADERS)) {
    headers.set(name, value);
  }
  return new Response(response.body, {status: response.status, statusText: response.statusText, headers});
}
