// @ts-check
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { BUILD_FILE, buildHeader, buildSources, programFile, sourceDigest } from './program-file.js';

/** A kit with a tier `web` of two sources and, unless told otherwise, its build made from them. */
function kit({ built = true } = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'program-file-'));
  mkdirSync(path.join(dir, 'web'));
  mkdirSync(path.join(dir, 'lib'));
  writeFileSync(path.join(dir, 'web', 'index.js'), "import '../lib/main.js';\n");
  writeFileSync(path.join(dir, 'lib', 'main.js'), 'export {};\n');
  const sources = Object.fromEntries(['lib/main.js', 'web/index.js'].map((file) => [file, sourceDigest(readFileSync(path.join(dir, file)))]));
  if (built) writeFileSync(path.join(dir, 'web', BUILD_FILE), `${buildHeader(sources)}console.log('built');\n`);
  return dir;
}

test('a tier runs from its one-file build while the build matches its sources', (t) => {
  const dir = kit();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  assert.deepEqual(programFile(dir, 'web'), { file: path.join(dir, 'web', BUILD_FILE), changed: null });
});

test('a tier without a build runs from its sources, and nothing is said', (t) => {
  const dir = kit({ built: false });
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  assert.deepEqual(programFile(dir, 'web'), { file: path.join(dir, 'web'), changed: null });
  assert.deepEqual(programFile(dir, 'nothing-here'), { file: path.join(dir, 'nothing-here'), changed: null });
});

test('a learner who changes a source runs what they changed, and is told which source', (t) => {
  const dir = kit();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(path.join(dir, 'lib', 'main.js'), 'export {}; // changed\n');
  assert.deepEqual(programFile(dir, 'web'), { file: path.join(dir, 'web'), changed: 'lib/main.js' });
});

test('a build whose source is gone, or whose first line does not say what it was built from, is passed over', (t) => {
  const gone = kit();
  const garbled = kit();
  t.after(() => { rmSync(gone, { recursive: true, force: true }); rmSync(garbled, { recursive: true, force: true }); });
  rmSync(path.join(gone, 'web', 'index.js'));
  assert.deepEqual(programFile(gone, 'web'), { file: path.join(gone, 'web'), changed: 'web/index.js' });
  for (const text of ['// kit build {"sources": [\nconsole.log(1);\n', '// kit build {"sources":["web/index.js"]}\n', '// kit build {"sources":{}}\n', 'console.log(1);\n']) {
    writeFileSync(path.join(garbled, 'web', BUILD_FILE), text);
    assert.deepEqual(programFile(garbled, 'web'), { file: path.join(garbled, 'web'), changed: '?' }, text);
  }
});

test('a build header reads back as it was written', () => {
  const sources = { 'lib/main.js': sourceDigest('a'), 'web/index.js': sourceDigest('b') };
  assert.deepEqual(buildSources(`${buildHeader(sources)}code();\n`), sources);
  assert.equal(buildSources('code();\n'), null);
});
