/**
 * Our own ways of serving the site, each checked for what the labs need (cross-origin isolation), and the preview
 * server for what any static server must do (types, 404s, and nothing outside build/).
 */
import {request as httpRequest} from 'node:http';
import {expect, test, type APIResponse} from '@playwright/test';
import {siteUrl} from './support/pages';
import {freePort, startPreview, startServer, type RunningServer} from './support/processes';

test('the preview server sends the isolation headers, content types, and the 404 page', async ({request}) => {
  const page = await request.get(siteUrl('/'));
  expect(page.status()).toBe(200);
  expect(page.headers()['cross-origin-opener-policy']).toBe('same-origin');
  expect(page.headers()['cross-origin-embedder-policy']).toBe('require-corp');
  expect(page.headers()['content-type']).toBe('text/html; charset=utf-8');

  const html = await page.text();
  const script = /<script src="?([^" >]+\.js)/.exec(html)![1];
  const javascript = await request.get(siteUrl(script));
  expect(javascript.headers()['content-type']).toBe('text/javascript; charset=utf-8');
  expect(javascript.headers()['cross-origin-embedder-policy']).toBe('require-corp');

  const missing = await request.get(siteUrl('/no-such-page'));
  expect(missing.status()).toBe(404);
  expect(await missing.text()).toContain('<html');
});

test('the preview server serves nothing outside build/, however the path is spelled', async () => {
  // Raw request paths, sent as they are (a browser or fetch() would normalise them first).
  const attempts = [
    '/../package.json',
    '/../../../../etc/passwd',
    '/..%2fpackage.json',
    '/%2e%2e/package.json',
    '/%2e%2e%2fpackage.json',
    '/assets/..%2f..%2fpackage.json',
    '/..%5cpackage.json',
    '/%00/../package.json',
  ];
  for (const path of attempts) {
    const {status, body} = await rawGet(siteUrl('/'), path);
    expect([400, 404], `status for ${path}`).toContain(status);
    expect(body, `body for ${path}`).not.toContain('"devDependencies"');
    expect(body, `body for ${path}`).not.toContain('root:');
  }
});

test('the development server sends the isolation headers, and its pages are isolated', async ({page}) => {
  test.setTimeout(240_000);
  const port = await freePort();
  let dev: RunningServer | undefined;
  try {
    dev = await startServer('npm', ['run', 'dev', '--', '--port', String(port), '--host', 'localhost', '--no-open'], {
      ready: /running at:?\s*(http:\/\/\S+)/,
      timeoutMs: 180_000,
    });
    // Docusaurus says where it runs a moment before it listens there.
    const url = dev.url;
    let response: APIResponse | undefined;
    await expect
      .poll(async () => (response = await page.request.head(url, {timeout: 180_000}).catch(() => undefined))?.status(), {
        timeout: 30_000,
      })
      .toBe(200);
    expect(response!.headers()['cross-origin-opener-policy']).toBe('same-origin');
    expect(response!.headers()['cross-origin-embedder-policy']).toBe('require-corp');
    await page.goto(dev.url, {timeout: 180_000});
    expect(await page.evaluate(() => window.crossOriginIsolated)).toBe(true);
  } finally {
    await dev?.stop();
  }
});

test('where the host sends no headers (GitHub Pages), the service worker isolates the page', async ({page}) => {
  const bare = await startPreview(['--no-isolation']);
  try {
    const response = await page.goto(bare.url);
    expect(response?.headers()['cross-origin-embedder-policy']).toBeUndefined();
    // coi-register.js installs the worker and reloads the page once, through it.
    await expect
      .poll(() => page.evaluate(() => window.crossOriginIsolated).catch(() => false), {timeout: 20_000})
      .toBe(true);
    expect(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL)).toMatch(/coi-worker\.js$/);
  } finally {
    await bare.stop();
  }
});

/** GET with the path sent byte for byte as given. */
function rawGet(base: string, path: string): Promise<{status: number; body: string}> {
  const {hostname, port} = new URL(base);
  return new Promise((resolve, reject) => {
    const request = httpRequest({hostname, port, path, method: 'GET', timeout: 5000}, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({status: response.statusCode ?? 0, body}));
    });
    request.on('timeout', () => request.destroy(new Error(`GET ${path} timed out`)));
    request.on('error', reject);
    request.end();
  });
}
