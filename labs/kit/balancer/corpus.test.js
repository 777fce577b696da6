// @ts-check
/**
 * The miniature's `-c` on every broken file of the corpus agrees with what the real HAProxy answered
 * (fixtures/broken/verdicts.json): refused or accepted alike, the same lines named, with no stack trace and no hang.
 * Only the differences the corpus documents, with their reason, are allowed.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { BALANCER } from './test-support/harness.js';
import { CORPUS, namedLines, readCorpus } from './test-support/corpus.js';

/** Generous: the machine is shared, and a hang is what this must catch, not a slow start. */
const HANG_MS = 15_000;

/**
 * @param {string} file relative to the corpus
 * @returns {Promise<{ status: number | null, output: string }>}
 */
function check(file) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BALANCER, '-c', '-f', file], { cwd: CORPUS, env: { ...process.env, LAB_NETWORK: '' } });
    let output = '';
    child.stdout.on('data', (d) => { output += d; });
    child.stderr.on('data', (d) => { output += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), HANG_MS);
    child.on('close', (status) => { clearTimeout(timer); resolve({ status, output }); });
  });
}

test('the corpus has at least 20 broken files', () => {
  assert.ok(readCorpus().filter((c) => c.haproxy.status !== 0).length >= 20);
});

for (const entry of readCorpus()) {
  test(`${entry.file}: ${entry.what}`, async () => {
    const expected = entry.miniature ?? entry.haproxy;
    const { status, output } = await check(entry.file);
    assert.notEqual(status, null, `the miniature did not finish within ${HANG_MS / 1000} s`);
    assert.doesNotMatch(output, /\n\s+at /, `a stack trace:\n${output}`);
    if (expected.status === 0) {
      assert.equal(status, 0, `HAProxy accepts ${entry.file}; the miniature refused it:\n${output}`);
      return;
    }
    assert.equal(status, 1, `HAProxy refuses ${entry.file}; the miniature did not:\n${output}`);
    assert.match(output, /^balancer: /, 'every line of the report names the balancer');
    // HAProxy names no line for some errors (a missing backend, a file that is a folder): then any line will do.
    if (expected.lines.length > 0) {
      assert.deepEqual(namedLines(output, entry.file, 'miniature'), expected.lines, `lines named:\n${output}`);
    }
  });
}
