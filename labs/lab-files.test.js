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
const LARGEST = fileURLToPath(new URL('./06-scaled-up', import.meta.url));

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

test('a workspace holds the one-file builds of the programs its lab runs, and no others', () => {
  const files = labWorkspaceFiles(LAB);
  const builds = Object.keys(files).filter((file) => file.endsWith(`/${BUILD_FILE}`)).sort();
  assert.deepEqual(builds, ['kit/balancer/bundle.js', 'kit/web/bundle.js']);
});

test('every tier of the largest lab is there twice: its sources, and a one-file build of them that answers as they do', (t) => {
  const files = labWorkspaceFiles(LARGEST);
  const home = mkdtempSync(path.join(tmpdir(), 'lab-files-'));
  t.after(() => rmSync(home, { recursive: true, force: true }));
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(home, file)), { recursive: true });
    writeFileSync(path.join(home, file), content);
  }
  const kit = path.join(home, 'kit');
  /** Runs a tier from its sources and from its build, in a server's folder, as the supervisor does. */
  const both = (/** @type {string} */ tier, /** @type {string} */ server, /** @type {string[]} */ args) => [path.join(kit, tier), path.join(kit, tier, BUILD_FILE)]
    .map((file) => {
      const env = { ...process.env, LAB_HOME: home, LAB_NETWORK: path.join(home, 'network.json'), LAB_SERVER: server };
      const { status, stdout, stderr } = spawnSync(process.execPath, [file, ...args], { cwd: path.join(home, server), env, encoding: 'utf8', timeout: 10_000 });
      return { status, stdout, stderr };
    });
  for (const tier of TIERS) {
    assert.deepEqual(programFile(kit, tier), { file: path.join(kit, tier, BUILD_FILE), changed: null }, `kit/${tier}/${BUILD_FILE} matches the sources beside it`);
    const [sources, built] = both(tier, 'lb-01', ['-h']);
    assert.deepEqual(built, sources, `kit/${tier} -h`);
  }
  // The configuration checks, of the lab's files and of broken ones: the same words, file and line, and status.
  const checks = /** @type {[string, string, string, string[]][]} */ ([
    ['balancer', 'lb-01', 'haproxy.cfg', ['-c', '-f', 'haproxy.cfg']],
    ['web', 'web-01', 'nginx.conf', ['-t', '-c', 'nginx.conf']],
    ['vrrp', 'lb-01', 'keepalived.conf', ['-t', '-f', 'keepalived.conf']],
  ]);
  for (const [tier, server, file, args] of checks) {
    const [good, goodBuilt] = both(tier, server, args);
    assert.equal(good.status, 0, `${tier} ${args.join(' ')}: ${good.stderr}`);
    assert.deepEqual(goodBuilt, good);
    writeFileSync(path.join(home, server, file), `${readFileSync(path.join(home, server, file), 'utf8')}\nmisspelt_directive on;\n`);
    const [bad, badBuilt] = both(tier, server, args);
    assert.notEqual(bad.status, 0, `${tier} refuses the broken ${file}`);
    assert.match(bad.stderr, new RegExp(`${file.replace('.', '\\.')}:\\d+`), `${tier} names the file and line`);
    assert.deepEqual(badBuilt, bad);
  }
  writeFileSync(path.join(home, 'db-01', 'my.cnf'), `${readFileSync(path.join(home, 'db-01', 'my.cnf'), 'utf8')}\nmisspelt-option = 1\n`);
  const [db, dbBuilt] = both('db', 'db-01', ['--defaults-file=my.cnf']);
  assert.equal(db.status, 1, `db refuses the broken my.cnf: ${db.stderr}`);
  assert.deepEqual(dbBuilt, db);
});
