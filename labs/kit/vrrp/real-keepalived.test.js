// @ts-check
/**
 * The files written for the lab are complete for the real keepalived: when keepalived is installed, its own
 * `keepalived -t -f FILE` accepts the examples and the configurations the tests run, and refuses, with its own
 * message, each broken variant that breaks one of its rules (testing/config-cases.js), among them vrrp_script
 * without script security.
 *
 * keepalived -t checks that each `interface` exists, so it runs inside a network namespace of its own that has
 * an `eth0`: creating one needs root and the `ip` command. Without them, or without keepalived, the tests skip.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CASES, EXAMPLES } from './testing/config-cases.js';
import { keepalivedConf } from './testing/keepalived-conf.js';

const VRRP = fileURLToPath(new URL('.', import.meta.url));
const NAMESPACE = `vrrp-test-${process.pid}`;

/** @param {string[]} command */
function run(command) {
  const [program, ...args] = command;
  return spawnSync(program, args, { encoding: 'utf8' });
}

/** Why these tests cannot run here, or false when they can. */
function skipReason() {
  if (process.platform !== 'linux') return 'needs Linux network namespaces';
  if (run(['keepalived', '--version']).error) return 'keepalived is not installed';
  if (process.getuid?.() !== 0) return 'needs root, to create a network namespace with an eth0 interface';
  if (run(['ip', '-V']).error) return 'needs the ip command (iproute2)';
  if (!existsSync('/usr/bin/killall')) return 'keepalived disables a script whose program is missing: install psmisc for /usr/bin/killall';
  return false;
}

describe('the real keepalived -t', { skip: skipReason() }, () => {
  let dir = '';

  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'vrrp-real-'));
    const created = run(['ip', 'netns', 'add', NAMESPACE]);
    assert.equal(created.status, 0, created.stderr);
    // A dummy interface needs the dummy kernel module; a veth pair is always there.
    const dummy = run(['ip', '-n', NAMESPACE, 'link', 'add', 'eth0', 'type', 'dummy']);
    if (dummy.status !== 0) {
      const veth = run(['ip', '-n', NAMESPACE, 'link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', 'eth0-peer']);
      assert.equal(veth.status, 0, veth.stderr);
    }
  });
  after(() => {
    run(['ip', 'netns', 'delete', NAMESPACE]);
    rmSync(dir, { recursive: true, force: true });
  });

  /** @param {string} file */
  const realTest = (file) => run(['ip', 'netns', 'exec', NAMESPACE, 'keepalived', '-t', '-f', file]);
  /** @param {string} file */
  const labTest = (file) => spawnSync(process.execPath, [VRRP, '-t', '-f', file], { encoding: 'utf8' });
  /** @param {string} name @param {string} text */
  const write = (name, text) => {
    const file = path.join(dir, name);
    writeFileSync(file, text);
    return file;
  };

  for (const example of EXAMPLES) {
    test(`accepts ${path.basename(example.pathname)}`, () => {
      const result = realTest(fileURLToPath(example));
      assert.equal(result.status, 0, result.stderr);
    });
  }

  test('accepts the files the lab tests run: vrrp_version 3 for fractions of a second, version 2 for a password', () => {
    const files = [
      keepalivedConf({ server: 'lb-01', state: 'MASTER', priority: 101, advertInt: 0.2, track: { weight: -20 } }),
      keepalivedConf({ server: 'lb-02', priority: 100, advertInt: 0.2, nopreempt: true }),
      keepalivedConf({ server: 'lb-01', state: 'MASTER', priority: 101, advertInt: 1, authPass: 's3cret' }),
    ];
    files.forEach((text, i) => {
      const file = write(`lab-${i}.conf`, text);
      assert.equal(labTest(file).status, 0, labTest(file).stderr);
      const result = realTest(file);
      assert.equal(result.status, 0, `${text}\n${result.stderr}`);
    });
  });

  for (const { name, text, message, realSays } of CASES) {
    if (!realSays) continue;
    test(`refuses ${name}, as the lab does`, () => {
      const file = write(`${name.replace(/\W+/g, '-')}.conf`, text);
      const result = realTest(file);
      assert.notEqual(result.status, 0, `the real keepalived accepted it:\n${text}`);
      assert.match(result.stderr, realSays);
      assert.match(labTest(file).stderr, message);
    });
  }
});
