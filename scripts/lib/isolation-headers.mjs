// @ts-check
/**
 * The response headers that make a page cross-origin isolated (`crossOriginIsolated === true`), which the labs need:
 * a WebContainer uses SharedArrayBuffer, and browsers only allow it on an isolated page.
 *
 * COEP is `require-corp` rather than `credentialless`: every browser that can isolate a page supports it (Safari does
 * not support `credentialless`), and the site loads nothing from other origins. The price: a resource from another
 * origin (an image, a script, an iframe) loads only if its server sends `Cross-Origin-Resource-Policy` (or CORS,
 * or COEP for an iframe). WebContainer previews do.
 *
 * The same two headers are written, in the formats that hosts read, in static/_headers, vercel.json and
 * static/coi-worker.js; src/isolation.test.ts checks that they agree with this file.
 */
export const isolationHeaders = Object.freeze({
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
});
