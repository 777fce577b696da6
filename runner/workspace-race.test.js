// @ts-check
/**
 * The workspace changes under the runner: a process of the lab swaps a symbolic link between a folder inside the
 * workspace and one outside it, as fast as it can, while the runner reads and writes through that link. Checking a
 * path and then opening it by name loses this race thousands of times a second; the runner must lose it never.
 * This file imports nothing of the runner but workspace-files.js, so that it can be run against another copy of it.
 */
import assert from 'node:assert/strict';
import { link, mkdir, mkdtemp, readFile, readdir, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { readInside, writeInside } from './workspace-files.js';

const RACE_MS = 3000;
const SECRET = 'outside the workspace';

/**
 * A thread that, until stopped, makes `link` point at `inside`, then at `outside`, then back, each swap one atomic
 * rename. A thread of its own, so that the swaps land between the runner's own system calls.
 * @param {string} link
 * @param {string} inside
 * @param {string} outside
 */
function startSwapping(link, inside, outside) {
  const worker = new Worker(`
    const { symlinkSync, renameSync, rmSync } = require('node:fs');
    const { workerData: { link, targets }, parentPort } = require('node:worker_threads');
    let stop = false;
    parentPort.on('message', () => { stop = true; });
    const spare = link + '.next';
    const loop = () => {
      for (let i = 0; i < 100; i++) {
        rmSync(spare, { force: true });
        symlinkSync(targets[i % 2], spare);
        renameSync(spare, link);
      }
      if (stop) parentPort.close(); else setImmediate(loop);
    };
    loop();
  `, { eval: true, workerData: { link, targets: [inside, outside] } });
  return {
    stop() {
      worker.postMessage('stop');
      return new Promise((resolve, reject) => { worker.once('exit', resolve); worker.once('error', reject); });
    },
  };
}

test('reads and writes through a link swapped in and out of the workspace never reach outside it', async (t) => {
  const base = await realpath(await mkdtemp(path.join(tmpdir(), 'lab-race-')));
  t.after(() => rm(base, { recursive: true, force: true }));
  const root = path.join(base, 'workspace');
  const outside = path.join(base, 'outside');
  await mkdir(path.join(root, 'real'), { recursive: true });
  await mkdir(outside);
  await writeFile(path.join(root, 'real', 'notes.txt'), 'inside');
  await writeFile(path.join(outside, 'notes.txt'), SECRET);
  await symlink(path.join(root, 'real'), path.join(root, 'swapped'));

  const swapper = startSwapping(path.join(root, 'swapped'), path.join(root, 'real'), outside);
  const counts = { reads: 0, readInside: 0, leaked: 0, writes: 0, wroteInside: 0 };
  try {
    const deadline = Date.now() + RACE_MS;
    while (Date.now() < deadline) {
      counts.reads++;
      const content = await readInside(root, 'swapped/notes.txt').catch(() => undefined);
      if (content === SECRET) counts.leaked++;
      else if (content !== undefined) counts.readInside++;
      counts.writes++;
      const written = await writeInside(root, `swapped/notes.txt`, 'inside').then(() => true, () => false);
      if (written) counts.wroteInside++;
      await writeInside(root, `swapped/new-${counts.writes % 50}.txt`, 'new').catch(() => {});
    }
  } finally {
    await swapper.stop();
  }
  t.diagnostic(JSON.stringify(counts));
  assert.equal(counts.leaked, 0, `${counts.leaked} of ${counts.reads} reads returned the file outside the workspace`);
  assert.deepEqual(await readdir(outside), ['notes.txt'], 'a write created a file outside the workspace');
  assert.equal(await readFile(path.join(outside, 'notes.txt'), 'utf8'), SECRET, 'a write landed outside the workspace');
  // The race was run for real: some reads and writes went through while the link pointed inside.
  assert.ok(counts.readInside > 0 && counts.wroteInside > 0, `too few operations went through: ${JSON.stringify(counts)}`);
});

test('a hard link to a file outside the workspace is neither read nor overwritten', async (t) => {
  const base = await realpath(await mkdtemp(path.join(tmpdir(), 'lab-race-')));
  t.after(() => rm(base, { recursive: true, force: true }));
  const root = path.join(base, 'workspace');
  await mkdir(root);
  await writeFile(path.join(base, 'secret.txt'), SECRET);
  await link(path.join(base, 'secret.txt'), path.join(root, 'hard.txt'));
  await assert.rejects(readInside(root, 'hard.txt'), /"hard\.txt" has another name \(a hard link\)/);
  await assert.rejects(writeInside(root, 'hard.txt', 'overwritten'), /"hard\.txt" has another name \(a hard link\)/);
  assert.equal(await readFile(path.join(base, 'secret.txt'), 'utf8'), SECRET);
});
