// @ts-check
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { PathError, folderInside, pathInside, readInside, writeFiles, writeInside, writeLinks } from './workspace-files.js';

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
  await assert.rejects(writeInside(root, 'secret-link', 'overwritten'), /"secret-link": it is a symbolic link/);
  await assert.rejects(readInside(root, 'escape/secret.txt'), /leads out of the lab's workspace/);
  await assert.rejects(readInside(root, 'secret-link'), /"secret-link": it is a symbolic link/);
  await assert.rejects(writeLinks(root, { 'escape/lab': '../lab.json' }), /leads out of the lab's workspace/);
  await assert.rejects(folderInside(root, 'escape'), /leads out of the lab's workspace/);
  assert.equal(existsSync(path.join(outside, 'new.txt')), false);
  assert.equal(await readFile(path.join(outside, 'secret.txt'), 'utf8'), 'secret');
});

test('a folder that is a link inside the workspace is followed; a file that is a link is not', async (t) => {
  const { root } = await setUp(t);
  await writeFiles(root, { 'real/file.txt': 'inside' });
  await symlink(path.join(root, 'real'), path.join(root, 'alias'));
  await symlink('file.txt', path.join(root, 'real', 'file-link.txt'));
  assert.equal(await readInside(root, 'alias/file.txt'), 'inside');
  assert.equal(await folderInside(root, 'alias'), path.join(root, 'alias'));
  await writeInside(root, 'alias/file.txt', 'through the alias');
  assert.equal(await readFile(path.join(root, 'real', 'file.txt'), 'utf8'), 'through the alias');
  await assert.rejects(readInside(root, 'real/file-link.txt'), /it is a symbolic link, and the runner follows none at the end of a path/);
  await assert.rejects(writeInside(root, 'real/file-link.txt', 'x'), /it is a symbolic link/);
  assert.equal(await readFile(path.join(root, 'real', 'file.txt'), 'utf8'), 'through the alias');
});

test('what is not a plain file is refused, and a named pipe does not hold the runner', async (t) => {
  const { root } = await setUp(t);
  await mkdir(path.join(root, 'folder'));
  await writeFile(path.join(root, 'file.txt'), 'x');
  await assert.rejects(writeInside(root, 'folder', 'x'), /"folder" is not a file/);
  await assert.rejects(writeInside(root, 'file.txt/inner.txt', 'x'), /"file.txt" is a file, not a folder/);
  await assert.rejects(writeInside(root, '.', 'x'), /the workspace folder itself/);
  await symlink('nowhere', path.join(root, 'dangling'));
  await assert.rejects(writeInside(root, 'dangling/x.txt', 'x'), /"dangling" is a symbolic link that leads nowhere/);
  await assert.rejects(writeInside(root, 'dangling', 'x'), /it is a symbolic link/);
  if (process.platform === 'win32') return;
  execFileSync('mkfifo', [path.join(root, 'pipe')]);
  await assert.rejects(readInside(root, 'pipe'), /"pipe" is not a file/);
  await assert.rejects(writeInside(root, 'pipe', 'x'), /"pipe" is not a file/);
});

test('the working directory is the same after every walk, even one that fails', async (t) => {
  const { root } = await setUp(t);
  const before = process.cwd();
  await writeFiles(root, { 'a/b/c.txt': 'x' });
  await readInside(root, 'a/b/c.txt');
  await assert.rejects(readInside(root, 'a/missing/c.txt'), /there is no file "a\/missing\/c.txt"/);
  assert.equal(process.cwd(), before);
});

test('reading says what is missing', async (t) => {
  const { root } = await setUp(t);
  await mkdir(path.join(root, 'folder'));
  await assert.rejects(readInside(root, 'nothing.txt'), /there is no file "nothing.txt"/);
  await assert.rejects(readInside(root, 'folder'), /"folder" is not a file/);
  await assert.rejects(folderInside(root, 'nothing'), /there is no folder "nothing"/);
});
