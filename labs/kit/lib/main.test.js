// @ts-check
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

const MAIN = new URL('./main.js', import.meta.url).href;

test('a bug prints its stack; from a one-file build, also how to see it in the sources', (t) => {
  const kit = mkdtempSync(path.join(os.tmpdir(), 'lib-main-'));
  t.after(() => rmSync(kit, { recursive: true, force: true }));
  mkdirSync(path.join(kit, 'web'));
  const program = `import { runMain } from ${JSON.stringify(MAIN)};\nrunMain('nginx', () => { null.listen(); });\n`;
  for (const file of ['index.js', 'bundle.js']) writeFileSync(path.join(kit, 'web', file), program);
  const env = { ...process.env, LAB_SERVER: 'web-01' };
  const run = (/** @type {string} */ file) => spawnSync(process.execPath, [path.join(kit, 'web', file), '-c', 'nginx.conf'], { encoding: 'utf8', env });
  const sources = run('index.js');
  assert.equal(sources.status, 1);
  assert.match(sources.stderr, /^nginx: TypeError: Cannot read properties of null[\s\S]*index\.js:2/);
  assert.doesNotMatch(sources.stderr, /hint/);
  const built = run('bundle.js');
  assert.equal(built.status, 1);
  assert.match(built.stderr, /hint: this ran kit\/web\/bundle\.js, the kit's web built into one file, whose stack names no source lines: delete that file and `lab restart web-01` to run the sources/);
});
