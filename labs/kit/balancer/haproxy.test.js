// @ts-check
/**
 * The miniature against the real HAProxy (Debian's haproxy 2.6 at /usr/sbin/haproxy, when it is installed): the
 * example configurations must be valid for both, both must refuse the same broken file at the same line, and both
 * must send the same requests to the same servers.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  HAPROXY, HAPROXY_SKIP, checkConfig, freePort, get, haproxyCheck, startBackends, startBalancer, waitFor, writeConfig,
} from './test-support/harness.js';

const EXAMPLES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'examples');
const skip = HAPROXY_SKIP;

test('the real HAProxy accepts every example configuration', { skip }, () => {
  for (const example of readdirSync(EXAMPLES).filter((f) => f.endsWith('.cfg'))) {
    const { status, output } = haproxyCheck(path.join(EXAMPLES, example));
    assert.equal(status, 0, `haproxy -c -f ${example}:\n${output}`);
  }
});

test('the real HAProxy and the miniature refuse the same broken file at the same line', { skip }, async (t) => {
  const good = readFileSync(path.join(EXAMPLES, 'two-web-servers.cfg'), 'utf8');
  const broken = good.replace('    default_backend web', '    default_backnd web');
  const line = broken.split('\n').findIndex((l) => l.includes('default_backnd')) + 1;
  const file = writeConfig(t, broken);
  const real = haproxyCheck(file);
  assert.equal(real.status, 1, real.output);
  assert.match(real.output, new RegExp(`\\[${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:${line}\\] : unknown keyword 'default_backnd'`));
  const ours = await checkConfig(file);
  assert.equal(ours.status, 1, ours.output);
  assert.match(ours.output, new RegExp(`:${line}: 'default_backnd': .*\\n  hint: did you mean 'default_backend'\\?`));
});

test('the real HAProxy and the miniature pick the same servers: weighted round robin and source hash', { skip }, async (t) => {
  const backends = await startBackends(t, ['s1', 's2', 's3']);
  const [oursPort, realPort] = [await freePort(), await freePort()];
  /** @param {number} port */
  const config = (port) => `defaults
    mode http
    timeout connect 1s
    timeout client 5s
    timeout server 5s
frontend www
    bind 127.0.0.1:${port}
    use_backend sticky if { path_beg /sticky }
    default_backend weighted
backend weighted
    balance roundrobin
${backends.map((b, i) => `    server ${b.name} 127.0.0.1:${b.port} weight ${[5, 3, 1][i]}`).join('\n')}
backend sticky
    balance source
${backends.map((b) => `    server ${b.name} 127.0.0.1:${b.port}`).join('\n')}
`;
  // The miniature has no anonymous acls: give it the same rule with a named one.
  await startBalancer(t, config(oursPort).replace('    use_backend sticky if { path_beg /sticky }', '    acl sticky path_beg /sticky\n    use_backend sticky if sticky'), oursPort);
  const real = spawn(HAPROXY, ['-f', writeConfig(t, config(realPort)), '-q'], { stdio: 'ignore' });
  t.after(() => real.kill('SIGKILL'));
  await waitFor(() => get(realPort).then(() => true, () => false), 5000, () => 'the real HAProxy listening');
  assert.equal((await get(oursPort)).body, 's1', 'the probe above took the first turn of the real HAProxy: take it here too');

  /** @param {number} port */
  const rotation = async (port) => {
    const names = [];
    for (let i = 0; i < 40; i++) names.push((await get(port)).body);
    return names.join(' ');
  };
  assert.equal(await rotation(oursPort), await rotation(realPort));

  /** @param {number} port */
  const bySource = async (port) => {
    const names = [];
    for (let client = 1; client <= 9; client++) names.push((await get(port, '/sticky', { localAddress: `127.0.0.${client}` })).body);
    return names.join(' ');
  };
  assert.equal(await bySource(oursPort), await bySource(realPort));
});
