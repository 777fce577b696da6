// @ts-check
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { BUILD_FILE, buildHeader, programFile, sourcesDigest } from './program-file.js';

/** A kit with a tier `web` of two sources and, unless told otherwise, its build made from them. */
function kit({ built = true } = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'program-file-'));
  mkdirSync(path.join(dir, 'web'));
  mkdirSync(path.join(dir, 'lib'));
  writeFileSync(path.join(dir, 'web', 'index.js'), "import '../lib/main.js';\n");
  writeFileSync(path.join(dir, 'lib', 'main.js'), 'export {};\n');
  const sources = ['lib/main.js', 'web/index.js'];
  if (built) writeFileSync(path.join(dir, 'web', BUILD_FILE), `${buildHeader(sources, sourcesDigest(dir, sources))}console.log('built');\n`);
  return dir;
}

test('a tier runs from its one-file build while the build matches its sources', (t) => {
  const dir = kit();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  assert.deepEqual(programFile(dir, 'web'), { file: path.join(dir, 'web', BUILD_FILE), built: true, changed: false });
});

test('a tier without a build runs from its sources, and nothing is said', (t) => {
  const dir = kit({ built: false });
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  assert.deepEqual(programFile(dir, 'web'), { file: path.join(dir, 'web'), built: false, changed: false });
  assert.deepEqual(programFile(dir, 'nothing-here'), { file: path.join(dir, 'nothing-here'), built: false, changed: false });
});

test('a learner who changes a source runs what they changed: the build is passed over', (t) => {
  const dir = kit();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(path.join(dir, 'lib', 'main.js'), 'export {}; // changed\n');
  assert.deepEqual(programFile(dir, 'web'), { file: path.join(dir, 'web'), built: false, changed: true });
});

test('a build whose source is gone, or whose first line is not a header, is passed over', (t) => {
  const gone = kit();
  const garbled = kit();
  t.after(() => { rmSync(gone, { recursive: true, force: true }); rmSync(garbled, { recursive: true, force: true }); });
  rmSync(path.join(gone, 'lib', 'main.js'));
  assert.equal(programFile(gone, 'web').changed, true);
  writeFileSync(path.join(garbled, 'web', BUILD_FILE), '// kit build {"sources": [\nconsole.log(1);\n');
  assert.deepEqual(programFile(garbled, 'web'), { file: path.join(garbled, 'web'), built: false, changed: true });
  writeFileSync(path.join(garbled, 'web', BUILD_FILE), 'console.log(1);\n');
  assert.deepEqual(programFile(garbled, 'web'), { file: path.join(garbled, 'web'), built: false, changed: false });
});
