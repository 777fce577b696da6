// @ts-check
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { WORKSPACE_LINKS, labWorkspaceFiles, listLabs } from './lab-files.js';

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
