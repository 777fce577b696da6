import {readFileSync} from 'node:fs';
import {describe, expect, test} from 'vitest';
import type {LoadContext, Plugin} from '@docusaurus/types';
import {isolationHeaders} from '../../scripts/lib/isolation-headers.mjs';
import crossOriginIsolation from './crossOriginIsolation';

const expected = Object.entries(isolationHeaders);

/** The isolation headers are written down in several formats, one per kind of host; they must all agree. */
describe('every place that sends the isolation headers sends the same ones', () => {
  test('static/_headers (Netlify, Cloudflare Pages)', () => {
    const file = readFileSync('static/_headers', 'utf8');
    const forAllPaths = file.split(/^\/\*$/m)[1];
    for (const [name, value] of expected) {
      expect(forAllPaths).toMatch(new RegExp(`^\\s+${name}: ${value}$`, 'm'));
    }
  });

  test('vercel.json', () => {
    const config = JSON.parse(readFileSync('vercel.json', 'utf8')) as {
      headers: Array<{source: string; headers: Array<{key: string; value: string}>}>;
    };
    const forAllPaths = config.headers.find((rule) => rule.source === '/(.*)');
    expect(Object.fromEntries(forAllPaths!.headers.map(({key, value}) => [key, value]))).toEqual(isolationHeaders);
  });

  test('static/coi-worker.js (GitHub Pages)', () => {
    const worker = readFileSync('static/coi-worker.js', 'utf8');
    for (const [name, value] of expected) {
      expect(worker).toContain(`'${name}': '${value}'`);
    }
  });

  test('the development server, through the plugin', () => {
    const plugin = crossOriginIsolation({siteConfig: {baseUrl: '/'}} as LoadContext) as Plugin & {
      configureWebpack: (...args: unknown[]) => {devServer?: {headers?: Record<string, string>}} | undefined;
    };
    expect(plugin.configureWebpack({}, false)?.devServer?.headers).toEqual(isolationHeaders);
    expect(plugin.configureWebpack({}, true)).toBeUndefined();
  });
});

test('every page loads the service worker registration from under the base URL', () => {
  const plugin = crossOriginIsolation({siteConfig: {baseUrl: '/scale-up/'}} as LoadContext);
  const tags = plugin.injectHtmlTags?.({content: undefined});
  expect(tags?.headTags).toEqual([{tagName: 'script', attributes: {src: '/scale-up/coi-register.js'}}]);
});
