// @ts-check
/**
 * `node kit/vrrp -t -f FILE`: the examples pass; every file of the corpus (testing/config-cases.js) is accepted or
 * refused as keepalived -t does, with exit status 5 (keepalived -t's), the file and the line keepalived names first,
 * what is wrong, and a hint; a file with several errors shows every one of them.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CASES, EXAMPLES } from './testing/config-cases.js';

const VRRP = fileURLToPath(new URL('.', import.meta.url));
const dir = mkdtempSync(path.join(tmpdir(), 'vrrp-config-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/**
 * @param {string} file
 * @param {NodeJS.ProcessEnv} [env]
 */
function testFile(file, env = {}) {
  const inherited = { ...process.env };
  delete inherited.LAB_NETWORK;
  return spawnSync(process.execPath, [VRRP, '-t', '-f', file], { encoding: 'utf8', env: { ...inherited, ...env } });
}

/** @param {string} name @param {string} text */
function write(name, text) {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

for (const example of EXAMPLES) {
  test(`-t accepts ${path.basename(example.pathname)}`, () => {
    const result = testFile(fileURLToPath(example));
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /is valid/);
  });
}

test('the corpus has at least 25 files that keepalived refuses', () => {
  assert.ok(CASES.filter((c) => c.real.status !== 0).length >= 25);
});

for (const { name, text, folder, line, message, real, differs } of CASES) {
  test(`-t on ${name}: ${message ? 'refused, naming file, line and a hint' : 'accepted'}${differs ? ' (a documented difference)' : ''}`, () => {
    const file = path.join(dir, `${name.replace(/\W+/g, '-')}.conf`);
    if (folder) mkdirSync(file);
    else writeFileSync(file, text);
    const result = testFile(file);
    const output = `${result.stdout}${result.stderr}`;
    assert.doesNotMatch(output, /\n\s+at /, `a stack trace:\n${output}`);
    // The corpus's claim: the miniature agrees with keepalived -t, unless the case says why not.
    if (!differs) {
      assert.equal(message === undefined, real.status === 0, `keepalived ${real.status === 0 ? 'accepts' : 'refuses'} it`);
      if (message && real.lines.length > 0) assert.equal(line, real.lines[0], 'the first line keepalived names');
    }
    if (!message) {
      assert.equal(result.status, 0, output);
      return;
    }
    // keepalived -t's status for errors in the file; a file that cannot be read at all ends the run at once.
    assert.equal(result.status, folder ? 1 : 5, `exit status: ${output}`);
    // The first error that names a line (one about the whole file, such as "no vrrp_instance", may come before it).
    const errors = result.stderr.split('\n').filter((l) => l.startsWith(`vrrp: ${file}`));
    const first = line > 0 ? errors.find((l) => /^:\d+: /.test(l.slice(`vrrp: ${file}`.length))) : errors[0];
    assert.ok(first?.startsWith(`vrrp: ${file}:${line > 0 ? `${line}:` : ''} `), `expected ${file}:${line} first, got:\n${result.stderr}`);
    assert.match(result.stderr, message);
    assert.match(result.stderr, /\n {2}hint: \S/);
  });
}

test('-t suggests the directive that was meant', () => {
  const result = testFile(write('typo.conf', String(CASES.find((c) => c.name === 'an unknown directive')?.text ?? '')));
  assert.match(result.stderr, /did you mean 'priority'\?/);
});

test('-t reports every error of the file in one run, a script the lab cannot run among them', () => {
  const example = readFileSync(fileURLToPath(EXAMPLES[0]), 'utf8');
  const copy = example.slice(example.indexOf('vrrp_instance VI_1 {')).replace('virtual_router_id 51', 'virtual_router_id 52');
  const text = example
    .replace('/usr/bin/killall -0 haproxy', '/etc/keepalived/check_haproxy.sh')
    .replace('priority 101', 'priorty 101')
    .replace('advert_int 1', 'advert_int 0.5')
    .replace('auth_pass s3cret', 'auth_pass s3cret\u00a0');
  const file = write('several.conf', `${text}${copy}`);
  const result = testFile(file);
  assert.equal(result.status, 5);
  const errors = result.stderr.split('\n').filter((line) => line.startsWith('vrrp: ') && !line.includes(' errors in '));
  const at = (/** @type {string} */ words) => `${file}:${readLineOf(file, words)}`;
  assert.deepEqual(errors.map((line) => line.split(': ').slice(1, 3).join(': ')), [
    `${at('check_haproxy')}: 'script'`,
    `${at('priorty')}: 'priorty'`,
    `${at('advert_int')}: 'advert_int'`,
    `${at('auth_pass')}: a no-break space (U+00A0) at column 25`,
    `${file}:${text.split('\n').length}: 'vrrp_instance'`,
  ], result.stderr);
  assert.match(result.stderr, /'vrrp_instance': vrrp instance VI_1 already defined at line \d+/);
  assert.match(result.stderr, /vrrp: 5 errors in .*several\.conf: fix them, then run again\n$/);
});

test('-t with LAB_NETWORK checks that the table gives every address a port, as keepalived -t checks the interface', () => {
  const example = fileURLToPath(EXAMPLES[0]);
  /** @type {Record<string, number>} */
  const ports = { '10.0.0.100:80': 23900, 'lb-01:80': 23901, 'lb-01:112': 23911, 'lb-02:112': 23912 };
  const hosts = { 'lb-01': '10.0.0.11', 'lb-02': '10.0.0.12' };
  const complete = write('network.json', JSON.stringify({ hosts, ports }));
  assert.equal(testFile(example, { LAB_NETWORK: complete, LAB_SERVER: 'lb-01' }).status, 0);

  const withoutListen = { ...ports };
  delete withoutListen['lb-01:112'];
  const partial = write('partial.json', JSON.stringify({ hosts, ports: withoutListen }));
  const result = testFile(example, { LAB_NETWORK: partial, LAB_SERVER: 'lb-01' });
  assert.equal(result.status, 1);
  const line = readLineOf(example, 'unicast_src_ip');
  assert.match(result.stderr, new RegExp(`${example}:${line}: 'unicast_src_ip': the lab network table has no port for 10\\.0\\.0\\.11:112`));
  assert.match(result.stderr, new RegExp(`hint: add "10\\.0\\.0\\.11:112": <a free port> to "ports" in ${partial}`));
});

test('a missing file is an error that names it', () => {
  const result = testFile(path.join(dir, 'nothing.conf'));
  assert.equal(result.status, 1);
  assert.match(result.stderr, /nothing\.conf: cannot read the configuration file/);
});

/**
 * @param {string} file
 * @param {string} text
 */
function readLineOf(file, text) {
  return readFileSync(file, 'utf8').split('\n').findIndex((line) => line.includes(text)) + 1;
}
