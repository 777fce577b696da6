// @ts-check
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { BUILD_FILE, programFile } from './kit/lab/program-file.js';
import { WORKSPACE_LINKS, labWorkspaceFiles, listLabs } from './lab-files.js';
import { TIERS } from './tier-bundles.js';

const LABS = fileURLToPath(new URL('.', import.meta.url));
const LAB = fileURLToPath(new URL('./02-load-balancer', import.meta.url));

test('listLabs names the lab folders in order, and not the kit', () => {
  const labs = listLabs(LABS);
  assert.ok(labs.includes('02-load-balancer'));
  assert.ok(!labs.includes('kit'));
  assert.deepEqual(labs, [...labs].sort());
});

test('a workspace holds the kit without its tests, the manifest, the checks and the starter files twice', () => {
  const files = labWorkspaceFiles(LAB);
  assert.ok(files['kit/lab/index.js']);
  assert.ok(files['kit/lib/network.js']);
  assert.ok(files['kit/lab/index.js'].startsWith('#!/usr/bin/env node\n'), 'index.js runs as a command through the link');
  const testSupport = /\.test\.js$|\/(fixtures|testing|test-support)\/|\/(harness|testing|corpus)\.js$/;
  assert.deepEqual(Object.keys(files).filter((file) => testSupport.test(file)), []);
  assert.equal(files['lab.json'], readFileSync(`${LAB}/lab.json`, 'utf8'));
  assert.ok(files['network.json']);
  assert.ok(files['checks/round-robin.js']);
  const starter = readFileSync(`${LAB}/files/lb-01/haproxy.cfg`, 'utf8');
  assert.equal(files['lb-01/haproxy.cfg'], starter);
  assert.equal(files['.lab/starter/lb-01/haproxy.cfg'], starter);
  assert.ok(files['web-01/www/index.html']);
});

test('with { solution: true } the solution overlay replaces the starter files at the top only', () => {
  const files = labWorkspaceFiles(LAB, { solution: true });
  assert.equal(files['lb-01/haproxy.cfg'], readFileSync(`${LAB}/solution/lb-01/haproxy.cfg`, 'utf8'));
  assert.equal(files['.lab/starter/lb-01/haproxy.cfg'], readFileSync(`${LAB}/files/lb-01/haproxy.cfg`, 'utf8'));
  assert.equal(files['web-01/nginx.conf'], readFileSync(`${LAB}/files/web-01/nginx.conf`, 'utf8'));
});

test('the workspace\'s links lead to files of the workspace: `lab` on the PATH is kit/lab/index.js', () => {
  const files = labWorkspaceFiles(LAB);
  assert.deepEqual(WORKSPACE_LINKS, { 'kit/bin/lab': '../lab/index.js' });
  for (const [link, target] of Object.entries(WORKSPACE_LINKS)) {
    const resolved = new URL(target, `file:///${link}`).pathname.slice(1);
    assert.ok(files[resolved], `${link} -> ${target} leads to ${resolved}, a file of the workspace`);
    assert.equal(files[link], undefined, `${link} is a link, not a file`);
  }
});

test('every tier is in the workspace twice: its sources, and a one-file build of them that answers as they do', (t) => {
  const files = labWorkspaceFiles(LAB);
  const home = mkdtempSync(path.join(tmpdir(), 'lab-files-'));
  t.after(() => rmSync(home, { recursive: true, force: true }));
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(home, file)), { recursive: true });
    writeFileSync(path.join(home, file), content);
  }
  const kit = path.join(home, 'kit');
  const run = (/** @type {string} */ file, /** @type {string[]} */ args) => {
    const { status, stdout, stderr } = spawnSync(process.execPath, [file, ...args], { cwd: path.join(home, 'lb-01'), encoding: 'utf8' });
    return { status, stdout, stderr };
  };
  for (const tier of TIERS) {
    assert.ok(files[`kit/${tier}/index.js`], `kit/${tier}'s sources`);
    assert.deepEqual(programFile(kit, tier), { file: path.join(kit, tier, BUILD_FILE), built: true, changed: false },
      `kit/${tier}/${BUILD_FILE} was built from the sources beside it`);
    assert.deepEqual(run(path.join(kit, tier, BUILD_FILE), ['-h']), run(path.join(kit, tier), ['-h']), `kit/${tier} -h`);
  }
  // A configuration check reads the lab's file through the network table, as the servers do.
  const check = ['-c', '-f', 'haproxy.cfg'];
  assert.deepEqual(run(path.join(kit, 'balancer', BUILD_FILE), check), run(path.join(kit, 'balancer'), check));
  assert.equal(run(path.join(kit, 'balancer', BUILD_FILE), check).status, 0);
});
