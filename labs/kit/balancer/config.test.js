// @ts-check
/**
 * Configuration errors: `node balancer -c -f FILE` names the file, the line and the directive, and gives a hint.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Network } from '../lib/network.js';
import { parseConfig } from './config.js';
import { checkConfig, writeConfig } from './test-support/harness.js';

const EXAMPLES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'examples');

const GOOD = `global
    log stdout format raw local0
defaults
    mode http
    timeout connect 5s
    timeout client 30s
    timeout server 30s
frontend www
    bind *:80
    acl is_api path_beg /api
    use_backend app if is_api
    default_backend web
backend web
    server web-01 127.0.0.1:8081 check
backend app
    server app-01 127.0.0.1:8082
`;

/** Broken variants of GOOD: the change, the line the error must name, and words the message and hint must hold. */
const BROKEN = [
  { what: 'a wrong directive', edit: (/** @type {string} */ c) => c.replace('    default_backend web', '    default_backnd web'),
    line: 12, says: [/'default_backnd'/, /did you mean 'default_backend'\?/] },
  { what: 'an unknown backend in default_backend', edit: (/** @type {string} */ c) => c.replace('default_backend web', 'default_backend wbe'),
    line: 12, says: [/no backend named 'wbe'/, /did you mean 'web'\?/] },
  { what: 'an unknown backend in use_backend', edit: (/** @type {string} */ c) => c.replace('use_backend app', 'use_backend api'),
    line: 11, says: [/no backend named 'api'/, /supported here: web, app/] },
  { what: 'a bad address', edit: (/** @type {string} */ c) => c.replace('127.0.0.1:8081', '127.0.0.1:80810'),
    line: 14, says: [/'server'/, /out of range/, /hint: write the address as host:port/] },
  { what: 'a missing frontend section', edit: (/** @type {string} */ c) => c.replace(/frontend www[\s\S]*?(?=\nbackend web)/, ''),
    line: 0, says: [/no frontend or listen section/, /hint: add a frontend/] },
  { what: 'a bad number', edit: (/** @type {string} */ c) => c.replace('check', 'check fall often'),
    line: 14, says: [/'often' is not a valid number/, /whole number from 1 to 1000/] },
  { what: 'a bad time', edit: (/** @type {string} */ c) => c.replace('timeout client 30s', 'timeout client 30 seconds'),
    line: 6, says: [/'timeout': too many arguments: 'seconds'/] },
  { what: 'a server outside a backend', edit: (/** @type {string} */ c) => c.replace('    default_backend web', '    server web-09 127.0.0.1:9'),
    line: 12, says: [/'server' is not allowed in a 'frontend' section/, /it belongs in: backend, listen/] },
  { what: 'an undeclared acl', edit: (/** @type {string} */ c) => c.replace('if is_api', 'if is_apl'),
    line: 11, says: [/no acl named 'is_apl'/, /did you mean 'is_api'\?/] },
  { what: 'http-check rules without option httpchk', edit: (/** @type {string} */ c) => c.replace('\nbackend web\n', '\nbackend web\n    http-check expect status 200\n'),
    line: 14, says: [/'http-check' rules have no effect without 'option httpchk'/, /hint: add 'option httpchk' to backend web/] },
  { what: 'a backend option in a frontend', edit: (/** @type {string} */ c) => c.replace('    default_backend web', '    option redispatch\n    default_backend web'),
    line: 12, says: [/'option redispatch' has no effect in a 'frontend' section/, /it belongs in: defaults, backend, listen/] },
  { what: 'an unsupported algorithm', edit: (/** @type {string} */ c) => c.replace('\nbackend web\n', '\nbackend web\n    balance random\n'),
    line: 14, says: [/unknown or unsupported algorithm 'random'/, /roundrobin/] },
  { what: 'an address that is no IPv4 address', edit: (/** @type {string} */ c) => c.replace('127.0.0.1:8081', '300.1.1.1:8081'),
    line: 14, says: [/'300\.1\.1\.1' is not a valid IPv4 address/, /four numbers from 0 to 255/] },
  { what: 'a no-break space', edit: (/** @type {string} */ c) => c.replace('    default_backend web', '    default_backend\u00a0web'),
    line: 12, says: [/a no-break space \(U\+00A0\) at position 20/, /hint: retype it as an ordinary space/] },
  { what: 'a byte-order mark', edit: (/** @type {string} */ c) => `\uFEFF${c}`,
    line: 1, says: [/a byte-order mark \(U\+FEFF\) at position 1/, /without a byte-order mark/] },
  { what: 'a NUL byte, even in a comment', edit: (/** @type {string} */ c) => c.replace('defaults', '# \0\ndefaults'),
    line: 3, says: [/a NUL byte \(U\+0000\) at position 3: this is not a text file/, /UTF-16/] },
];

test('a correct file passes -c with "Configuration file is valid"', async (t) => {
  const result = await checkConfig(writeConfig(t, GOOD));
  assert.equal(result.status, 0, result.output);
  assert.equal(result.output, 'Configuration file is valid\n');
});

for (const { what, edit, line, says } of BROKEN) {
  test(`-c refuses ${what}, naming file and line, with a hint`, async (t) => {
    const file = writeConfig(t, edit(GOOD));
    const { status, output } = await checkConfig(file);
    assert.equal(status, 1, output);
    assert.ok(output.startsWith(`balancer: ${file}${line ? `:${line}` : ''}: `), output);
    for (const pattern of says) assert.match(output, pattern);
    if (line) assert.match(output, /\n  hint: /);
  });
}

test('time units: a bare number is milliseconds; us, ms, s, m, h, d', () => {
  const timeouts = (/** @type {string} */ connect) => parseConfig(GOOD.replace('timeout connect 5s', `timeout connect ${connect}`), 'x.cfg', new Network()).backends[0].timeouts.connect;
  assert.equal(timeouts('5000'), 5000);
  assert.equal(timeouts('5s'), 5000);
  assert.equal(timeouts('2m'), 120_000);
  assert.equal(timeouts('250ms'), 250);
  assert.equal(timeouts('1h'), 3_600_000);
});

test('a lab name resolves through the network table; -c refuses a name the table lacks', async (t) => {
  const network = new Network({ hosts: { 'web-01': '10.0.0.21' }, ports: { 'web-01:80': 21121, 'lb-01:80': 20121 } }, 'lb-01');
  const config = parseConfig(GOOD.replace('127.0.0.1:8081', 'web-01:80').replace('127.0.0.1:8082', '10.0.0.21:80'), 'x.cfg', network);
  assert.deepEqual(config.frontends[0].binds[0].endpoint, { host: '127.0.0.1', port: 20121 });
  assert.deepEqual(config.backends[0].servers[0].endpoint, { host: '127.0.0.1', port: 21121 });
  assert.deepEqual(config.backends[1].servers[0].endpoint, { host: '127.0.0.1', port: 21121 });
  const { status, output } = await checkConfig(writeConfig(t, GOOD.replace('127.0.0.1:8081', 'web-07:80')));
  assert.equal(status, 1);
  assert.match(output, /:14: 'server': cannot resolve 'web-07'/);
});

test('every example configuration passes our -c', async () => {
  const examples = readdirSync(EXAMPLES).filter((f) => f.endsWith('.cfg'));
  assert.ok(examples.length >= 2);
  for (const example of examples) {
    const { status, output } = await checkConfig(path.join(EXAMPLES, example));
    assert.equal(status, 0, `${example}: ${output}`);
  }
});

test('-c reports every error of the file in one run, then exits 1', async (t) => {
  const broken = GOOD.replace('timeout client 30s', 'timeout clinet 30s').replace('    default_backend web', '    default_backnd web')
    .replace('\nbackend web\n', '\nbackend web\n    balance fastest\n');
  const file = writeConfig(t, broken);
  const { status, output } = await checkConfig(file);
  assert.equal(status, 1, output);
  const named = [...output.matchAll(/^balancer: .*?:(\d+): /gm)].map((m) => Number(m[1]));
  assert.deepEqual(named, [6, 12, 14], output);
  assert.match(output, /^balancer: 3 errors in .*haproxy\.cfg: fix them all/m);
});

test('form feeds and vertical tabs separate words, and CR LF line ends are fine, as in HAProxy', () => {
  const text = GOOD.replace('default_backend web', 'default_backend\fweb').replace(/\n/g, '\r\n')
    .replace('timeout connect 5s', 'timeout\vconnect 5s');
  assert.equal(parseConfig(text, 'x.cfg', new Network()).frontends[0].defaultBackend?.name, 'web');
});
