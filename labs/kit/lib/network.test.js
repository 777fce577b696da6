// @ts-check
/** The lab network table as a tier loads it: a table it cannot read is an error for a person, not a stack trace. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ConfigError } from './config-error.js';
import { loadNetwork } from './network.js';

test('a missing or broken LAB_NETWORK file is a ConfigError naming it and saying what to do', (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lab-network-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const broken = path.join(dir, 'network.json');
  writeFileSync(broken, '{ "ports": ');
  for (const file of [path.join(dir, 'missing.json'), broken]) {
    assert.throws(() => loadNetwork({ LAB_NETWORK: file }), (error) => error instanceof ConfigError
      && error.format().startsWith(`${file}: cannot read the lab network table (named by LAB_NETWORK)`)
      && /hint: point LAB_NETWORK at the lab's network.json/.test(error.format()));
  }
});

test('a tier started with a missing table says so in one line, without a stack trace', () => {
  const web = fileURLToPath(new URL('../web', import.meta.url));
  const run = spawnSync(process.execPath, [web, '-t', '-c', 'nginx.conf'], { env: { ...process.env, LAB_NETWORK: '/nonexistent/network.json' }, encoding: 'utf8' });
  assert.equal(run.status, 1);
  assert.match(run.stderr, /^nginx: \/nonexistent\/network\.json: cannot read the lab network table/);
  assert.doesNotMatch(run.stderr, /\n\s+at /);
});
