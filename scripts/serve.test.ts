import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {createServer, request, type IncomingHttpHeaders, type Server} from 'node:http';
import os from 'node:os';
import path from 'node:path';
import {brotliDecompressSync, gunzipSync} from 'node:zlib';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {acceptedEncoding, staticSite} from './serve.mjs';

// The server listens on a socket file, not a port: nothing to collide with the labs' ports or another test's.
let folder: string;
let socketPath: string;
let server: Server;
const script = `console.log(${JSON.stringify('a chapter '.repeat(200))});\n`;

beforeAll(async () => {
  folder = mkdtempSync(path.join(os.tmpdir(), 'serve-test-'));
  const root = path.join(folder, 'build');
  mkdirSync(path.join(root, 'assets', 'js'), {recursive: true});
  mkdirSync(path.join(root, 'glossary'));
  writeFileSync(path.join(root, 'index.html'), `<!doctype html><title>Home</title>${'<p>text</p>'.repeat(100)}`);
  writeFileSync(path.join(root, 'glossary', 'index.html'), '<!doctype html><title>Glossary</title>');
  writeFileSync(path.join(root, 'assets', 'js', 'main.0123abcd.js'), script);
  writeFileSync(path.join(root, 'assets', 'logo.0123abcd.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
  writeFileSync(path.join(root, '404.html'), '<!doctype html><title>Not found</title>');
  socketPath = path.join(folder, 'serve.sock');
  server = createServer(staticSite({root, baseUrl: '/', isolation: true}));
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(folder, {recursive: true, force: true});
});

function get(pathname: string, acceptEncoding?: string): Promise<{status: number; headers: IncomingHttpHeaders; body: Buffer}> {
  return new Promise((resolve, reject) => {
    const headers = acceptEncoding === undefined ? {} : {'Accept-Encoding': acceptEncoding};
    request({socketPath, path: pathname, headers}, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({status: response.statusCode!, headers: response.headers, body: Buffer.concat(chunks)}));
    })
      .on('error', reject)
      .end();
  });
}

describe('npm run serve', () => {
  test('sends text as brotli when the browser accepts it, and says that the encoding varies', async () => {
    const response = await get('/assets/js/main.0123abcd.js', 'gzip, deflate, br');
    expect(response.headers['content-encoding']).toBe('br');
    expect(response.headers.vary).toBe('Accept-Encoding');
    expect(Number(response.headers['content-length'])).toBe(response.body.length);
    expect(response.body.length).toBeLessThan(script.length / 4);
    expect(brotliDecompressSync(response.body).toString()).toBe(script);
  });

  test('sends gzip to a browser that accepts only gzip, and the file as it is to one that accepts neither', async () => {
    const gzipped = await get('/', 'gzip');
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzipped.body).toString()).toContain('<title>Home</title>');
    const plain = await get('/');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString()).toContain('<title>Home</title>');
  });

  test('does not compress what is compressed already', async () => {
    const response = await get('/assets/logo.0123abcd.png', 'br, gzip');
    expect(response.headers['content-encoding']).toBeUndefined();
    expect(response.headers['content-length']).toBe('4');
  });

  test('lets a browser keep hashed assets for a year, and makes it ask again for a page', async () => {
    expect((await get('/assets/js/main.0123abcd.js', 'br')).headers['cache-control']).toBe(
      'public, max-age=31536000, immutable',
    );
    expect((await get('/assets/logo.0123abcd.png')).headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect((await get('/glossary', 'br')).headers['cache-control']).toBe('no-cache');
    const missing = await get('/no-such-page', 'gzip');
    expect(missing.status).toBe(404);
    expect(missing.headers['cache-control']).toBe('no-cache');
    expect(gunzipSync(missing.body).toString()).toContain('Not found');
  });

  test('keeps the cross-origin isolation headers on a compressed response', async () => {
    const response = await get('/', 'br');
    expect(response.headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(response.headers['cross-origin-embedder-policy']).toBe('require-corp');
  });

  test('reads Accept-Encoding as a browser writes it, weights and refusals included', () => {
    expect(acceptedEncoding('gzip, deflate, br, zstd')).toBe('br');
    expect(acceptedEncoding('br;q=0, gzip;q=0.8')).toBe('gzip');
    expect(acceptedEncoding('identity')).toBeUndefined();
    expect(acceptedEncoding('*')).toBe('gzip');
    expect(acceptedEncoding(undefined)).toBeUndefined();
  });
});
