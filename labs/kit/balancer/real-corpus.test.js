// @ts-check
/**
 * The real `haproxy -c` on every file of the corpus still gives the verdict recorded in fixtures/broken/verdicts.json,
 * where HAProxy is installed. It runs in a network namespace of its own (`unshare -n`, as root or where user
 * namespaces are allowed): a name HAProxy cannot parse as an address (`300.1.1.1`) is looked up, and that lookup
 * must not leave the machine. Without a namespace, such files are skipped.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { CORPUS, namedLines, readCorpus } from './test-support/corpus.js';

const HAPROXY = process.env.HAPROXY_BIN ?? '/usr/sbin/haproxy';
const installed = existsSync(HAPROXY);
const isolated = installed && [['-n'], ['-rn']].find((flags) => spawnSync('unshare', [...flags, 'true']).status === 0);
/** Files whose check makes HAProxy look a name up. */
const LOOKS_UP = ['invalid-address.cfg'];

for (const entry of readCorpus()) {
  const skip = !installed ? `the real HAProxy is not installed at ${HAPROXY} (apt-get install haproxy, or set HAPROXY_BIN)`
    : !isolated && LOOKS_UP.includes(entry.file) ? 'HAProxy would look a name up, and no network namespace is available (unshare -n)' : false;
  test(`haproxy -c ${entry.file}: ${entry.what}`, { skip }, () => {
    const [command, args] = isolated ? ['unshare', [...isolated, HAPROXY]] : [HAPROXY, []];
    const result = spawnSync(command, [...args, '-c', '-f', entry.file], { cwd: CORPUS, encoding: 'latin1', timeout: 30_000 });
    const output = `${result.stdout}${result.stderr}`;
    assert.equal(result.status, entry.haproxy.status, output);
    assert.deepEqual(namedLines(output, entry.file, 'haproxy'), entry.haproxy.lines, output);
  });
}
