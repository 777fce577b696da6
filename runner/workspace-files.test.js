// @ts-check
import assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { PathError, folderInside, pathInside, readInside, writeFiles, writeInside } from './workspace-files.js';

/** A workspace and, beside it, a folder outside it that must never change. */
async function setUp(/** @type {import('node:test').TestContext} */ t) {
  const base = await realpath(await mkdtemp(path.join(tmpdir(), 'lab-files-')));
  t.after(() => rm(base, { recursive: true, force: true }));
  const root = path.join(base, 'workspace');
  const outside = path.join(base, 'outside');
  await mkdir(root);
  await mkdir(outside);
  await writeFile(path.join(outside, 'secret.txt'), 'secret');
  return { root, outside };
}

test('relative paths map into the workspace', () => {
  assert.equal(pathInside('/ws', 'lb-01/haproxy.cfg'), path.join('/ws', 'lb-01', 'haproxy.cfg'));
  assert.equal(pathInside('/ws', './a//b'), path.join('/ws', 'a', 'b'));
});

test('absolute paths, "..", NUL and backslashes are refused before touching the disk', () => {
  for (const [bad, why] of [['../x', /"\.\."/], ['a/../../x', /"\.\."/], ['/etc/x', /absolute/], ['C:/x', /absolute/],
    ['a\0b', /NUL/], ['..\\x', /use \//], ['', /missing/]]) {
    assert.throws(() => pathInside('/ws', /** @type {string} */ (bad)), (error) => error instanceof PathError && /** @type {RegExp} */ (why).test(error.message), String(bad));
  }
  assert.throws(() => pathInside('/ws', /** @type {any} */ (42)), PathError);
});

test('a map with one bad path writes nothing at all', async (t) => {
  const { root } = await setUp(t);
  await assert.rejects(writeFiles(root, { 'good.txt': 'yes', '../evil.txt': 'no' }), /refused the path "\.\.\/evil\.txt"/);
  assert.equal(existsSync(path.join(root, 'good.txt')), false);
  assert.equal(existsSync(path.join(root, '..', 'evil.txt')), false);
});

test('files are written with their folders, and scripts are made executable', async (t) => {
  const { root } = await setUp(t);
  await writeFiles(root, { 'kit/bin/lab': '#!/bin/sh\necho lab\n', 'web-01/www/index.html': '<h1>hi</h1>' });
  assert.equal(await readInside(root, 'web-01/www/index.html'), '<h1>hi</h1>');
  if (process.platform !== 'win32') {
    assert.equal(statSync(path.join(root, 'kit/bin/lab')).mode & 0o111, 0o111);
    assert.equal(statSync(path.join(root, 'web-01/www/index.html')).mode & 0o111, 0);
  }
  await writeInside(root, 'web-01/www/index.html', 'changed');
  assert.equal(await readInside(root, 'web-01/www/index.html'), 'changed');
});

test('a symbolic link that leads out of the workspace is refused for writing and reading', async (t) => {
  const { root, outside } = await setUp(t);
  await symlink(outside, path.join(root, 'escape'));
  await symlink(path.join(outside, 'secret.txt'), path.join(root, 'secret-link'));
  await assert.rejects(writeFiles(root, { 'escape/new.txt': 'x' }), /leads out of the lab's workspace/);
  await assert.rejects(writeInside(root, 'secret-link', 'overwritten'), /leads out of the lab's workspace/);
  await assert.rejects(readInside(root, 'escape/secret.txt'), /leads out of the lab's workspace/);
  await assert.rejects(readInside(root, 'secret-link'), /leads out of the lab's workspace/);
  await assert.rejects(folderInside(root, 'escape'), /leads out of the lab's workspace/);
  assert.equal(existsSync(path.join(outside, 'new.txt')), false);
  assert.equal(await readFile(path.join(outside, 'secret.txt'), 'utf8'), 'secret');
});

test('a link that stays inside the workspace is followed for reading', async (t) => {
  const { root } = await setUp(t);
  await writeFiles(root, { 'real/file.txt': 'inside' });
  await symlink(path.join(root, 'real'), path.join(root, 'alias'));
  assert.equal(await readInside(root, 'alias/file.txt'), 'inside');
  assert.equal(await folderInside(root, 'alias'), path.join(root, 'alias'));
});

test('reading says what is missing', async (t) => {
  const { root } = await setUp(t);
  await mkdir(path.join(root, 'folder'));
  await assert.rejects(readInside(root, 'nothing.txt'), /there is no file "nothing.txt"/);
  await assert.rejects(readInside(root, 'folder'), /"folder" is not a file/);
  await assert.rejects(folderInside(root, 'nothing'), /there is no folder "nothing"/);
});
