/**
 * Makes every page of the site cross-origin isolated, wherever it is served:
 * - the development server sends the isolation headers (a plugin's `configureWebpack` may return `devServer`
 *   options, which Docusaurus merges into its own, with Webpack and with Rspack alike);
 * - every page loads coi-register.js first, which, only where the host did not send the headers (GitHub Pages
 *   cannot), installs coi-worker.js, a service worker that adds them, and reloads the page once.
 * Production hosts that can send headers read static/_headers or vercel.json; `npm run serve` sends them itself.
 */
import type {LoadContext, Plugin} from '@docusaurus/types';
import type {Configuration} from 'webpack';
import {isolationHeaders} from '../../scripts/lib/isolation-headers.mjs';

export default function crossOriginIsolation(context: LoadContext): Plugin {
  return {
    name: 'cross-origin-isolation',
    configureWebpack(_config, isServer) {
      if (isServer) {
        return undefined;
      }
      // The bundler's config type does not declare `devServer`; Docusaurus reads it and merges it into its options.
      const devServer = {headers: {...isolationHeaders}};
      return {devServer} as Configuration;
    },
    injectHtmlTags() {
      return {
        headTags: [{tagName: 'script', attributes: {src: `${context.siteConfig.baseUrl}coi-register.js`}}],
      };
    },
  };
}
