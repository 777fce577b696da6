// @ts-check
/**
 * The files written for the lab are complete for the real keepalived: when keepalived is installed, its own
 * `keepalived -t -f FILE` accepts the examples and the configurations the tests run; and on every file of the corpus
 * (testing/config-cases.js) it still gives the verdict recorded there: exit status, lines named, what it says
 * (bytes read as Latin-1, as it prints them).
 *
 * keepalived -t checks that each `interface` exists, so it runs inside a network namespace of its own that has
 * an `eth0`: creating one needs root and the `ip` command. Without them, or without keepalived, the tests skip.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CASES, EXAMPLES } from './testing/config-cases.js';
import { keepalivedConf } from './testing/keepalived-conf.js';
import { createNamespace, keepalivedCheck, keepalivedSkipReason } from './testing/real-keepalived.js';

const VRRP = fileURLToPath(new URL('.', import.meta.url));
const NAMESPACE = `vrrp-test-${process.pid}`;

/** @typedef {import('./testing/real-keepalived.js').Namespace} Namespace */

describe('the real keepalived -t', { skip: keepalivedSkipReason() }, () => {
  let dir = '';
  /** @type {Namespace} */
  let namespace;

  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'vrrp-real-'));
    namespace = createNamespace(NAMESPACE);
  });
  after(() => {
    namespace?.remove();
    rmSync(dir, { recursive: true, force: true });
  });

  /** @param {string} file */
  const realTest = (file) => keepalivedCheck(namespace, file);
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

  test('accepts every script line the lab runs, and both accept or both refuse each invisible character', () => {
    const example = readFileSync(fileURLToPath(EXAMPLES[0]), 'utf8');
    const lines = ['pidof haproxy', '/usr/bin/pgrep -x haproxy', 'systemctl is-active haproxy', '/bin/true', '/bin/false', 'killall -0 haproxy',
      '/usr/bin/curl -sf -o /dev/null http://10.0.0.11:80/'];
    for (const line of lines) {
      const file = write('script.conf', example.replace('/usr/bin/killall -0 haproxy', line));
      assert.equal(labTest(file).status, 0, `${line}: ${labTest(file).stderr}`);
      assert.equal(realTest(file).status, 0, `${line}: ${realTest(file).stderr}`);
    }
    /** @type {Array<[string, string, boolean]>} where, what, accepted */
    const characters = [['priority 101', 'priority\f101', true], ['priority 101', 'priority\v101', true],
      ['priority 101', 'priority\t101', true], ['priority 101', 'priority 101\r', true],
      ['priority 101', 'priority\u00a0101', false], ['global_defs', '\ufeffglobal_defs', false], ['priority 101', 'prio\0rity 101', false]];
    for (const [from, to, accepted] of characters) {
      const file = write('character.conf', example.replace(from, to));
      assert.equal(labTest(file).status, accepted ? 0 : 5, `${JSON.stringify(to)}: ${labTest(file).stderr}`);
      // keepalived exits 5 for most errors, 6 for some (a byte-order mark): any status but 0 is a refusal.
      const real = realTest(file);
      assert.equal(real.status === 0, accepted, `${JSON.stringify(to)}: ${real.stderr}`);
    }
  });

  for (const { name, text, folder, real } of CASES) {
    test(`gives the recorded verdict on ${name}: ${real.status === 0 ? 'accepted' : `status ${real.status}`}, lines [${real.lines}]`, () => {
      const file = path.join(dir, `${name.replace(/\W+/g, '-')}.conf`);
      if (folder) mkdirSync(file, { recursive: true });
      else writeFileSync(file, text);
      const [program, ...args] = namespace.command(['keepalived', '-t', '-f', file]);
      const result = spawnSync(program, args, { encoding: 'latin1', timeout: 30_000 });
      const output = `${result.stdout}${result.stderr}`;
      assert.equal(result.status ?? result.signal, real.status, output);
      // `(FILE: Line 27)`, or `(Line 27)` in its first reading of the file.
      const lines = [...new Set([...output.matchAll(/\((?:[^()]*: )?Line (\d+)\)/g)].map((m) => Number(m[1])))].sort((x, y) => x - y);
      assert.deepEqual(lines, real.lines, output);
      if (real.says) assert.ok(output.includes(real.says), `expected "${real.says}" in:\n${output}`);
    });
  }
});
