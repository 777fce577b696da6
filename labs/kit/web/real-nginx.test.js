// @ts-check
/**
 * The same files on the real nginx, when it is installed: the example passes `nginx -t`, and the traversal table gets
 * the same statuses from a real nginx serving a copy of fixtures/site. The broken files are real-corpus.test.js's.
 *
 * nginx -t creates its temporary folders (compiled in as /var/lib/nginx/... on Debian), so every copy gets
 * `*_temp_path` directives on its `http {` line, which keeps nginx inside the test's folder without moving
 * any line. The example includes mime.types, which the miniature takes from the kit when the folder has none;
 * for nginx the kit's copy is put beside it.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import {
  FIXTURES, NGINX, NGINX_SKIP, NGINX_TEMP_PATHS, WEB_DIR, copyFixture, freePort, prepareForNginx, protocolCases, protocolMismatch, rawRequest,
  runNginx, statusOf, waitFor,
} from './harness.js';

const skip = NGINX_SKIP;

test('the real nginx -t accepts the example', { skip }, async (t) => {
  const dir = await copyFixture(t, '../examples');
  const file = await prepareForNginx(path.join(WEB_DIR, 'examples', 'nginx.conf'), dir);
  const { code, output } = await runNginx(dir, ['-t', '-p', `${dir}/`, '-c', file, '-e', 'stderr']);
  assert.equal(code, 0, output);
  assert.match(output, /syntax is ok/);
  assert.match(output, /test is successful/);
});

test('the real nginx answers the traversal table as the miniature does', { skip }, async (t) => {
  const { dir, port } = await serveSite(t);
  /** @type {Array<{ target: string, status: number }>} */
  const table = JSON.parse(await readFile(path.join(FIXTURES, 'traversals.json'), 'utf8')).cases;
  // nginx follows symbolic links by default: those rows are the miniature's own rule.
  for (const { target, status } of table.filter((c) => !/link-out|dir-out/.test(c.target))) {
    const response = await rawRequest(port, `GET ${target} HTTP/1.1\r\nHost: site.test\r\nConnection: close\r\n\r\n`);
    assert.equal(statusOf(response), status, target);
    assert.ok(!response.includes('the secret'), target);
  }
  assert.ok(existsSync(path.join(dir, 'secret.txt')));
});

test('the real nginx answers fixtures/protocol.json as the miniature does', { skip }, async (t) => {
  const { port } = await serveSite(t);
  for (const protocolCase of await protocolCases()) assert.equal(await protocolMismatch(port, protocolCase), '');
});

test('a symbolic link out of the root: nginx follows it by default, the miniature does not', { skip }, async (t) => {
  const { port } = await serveSite(t);
  const response = await rawRequest(port, 'GET /link-out HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n');
  assert.equal(statusOf(response), 200);
  assert.ok(response.includes('the secret'), 'this is why the miniature refuses such links (hardening.test.js)');
});

/**
 * A real nginx serving a copy of fixtures/site, with secret.txt beside www/ and www/link-out pointing at it:
 * one process without a master (so no switching of users), in the foreground, on loopback.
 * @param {import('node:test').TestContext} t
 */
async function serveSite(t) {
  const dir = await copyFixture(t, 'site');
  await writeFile(path.join(dir, 'secret.txt'), 'the secret\n');
  await symlink(path.join(dir, 'secret.txt'), path.join(dir, 'www', 'link-out'));
  await mkdir(path.join(dir, 'tmp'));
  const port = await freePort();
  await writeFile(path.join(dir, 'real.conf'), [
    'daemon off;', 'master_process off;', 'error_log stderr;', `pid ${dir}/nginx.pid;`, 'events {}',
    `http { ${NGINX_TEMP_PATHS} access_log off; server { listen 127.0.0.1:${port}; root ${dir}/www; error_page 404 /404.html; } }`,
  ].join('\n'));
  const child = spawn(/** @type {string} */ (NGINX), ['-p', `${dir}/`, '-c', path.join(dir, 'real.conf'), '-e', 'stderr'], { stdio: 'ignore' });
  t.after(() => { child.kill('SIGKILL'); });
  const probe = 'GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n';
  await waitFor(async () => statusOf(await rawRequest(port, probe, 500)) === 200, 'nginx to listen');
  return { dir, port };
}
