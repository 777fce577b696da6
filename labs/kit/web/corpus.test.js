// @ts-check
/**
 * The miniature's `-t` on every file of the corpus agrees with what the real `nginx -t` answered
 * (fixtures/broken/verdicts.json): refused or accepted alike, the same file and line named, with no stack trace and
 * no hang. Only the differences the corpus documents, with their reason, are allowed.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runWeb } from './harness.js';
import { CORPUS, expectedPlace, miniaturePlace, readCorpus } from './corpus.js';

test('the corpus has at least 25 files that nginx refuses', () => {
  assert.ok(readCorpus().filter((c) => c.nginx.status !== 0).length >= 25);
});

for (const entry of readCorpus()) {
  test(`${entry.file}: ${entry.what}`, async () => {
    const expected = entry.miniature ?? entry.nginx;
    // runWeb kills a run that has not ended within its limit: a hang shows as a null code.
    const { code, output } = await runWeb(['-t', '-c', entry.file], CORPUS);
    assert.notEqual(code, null, `the miniature did not finish:\n${output}`);
    assert.doesNotMatch(output, /\n\s+at /, `a stack trace:\n${output}`);
    if (expected.status === 0) {
      assert.equal(code, 0, `nginx accepts ${entry.file}; the miniature refused it:\n${output}`);
      assert.match(output, /test is successful/);
      return;
    }
    assert.equal(code, 1, `nginx refuses ${entry.file}; the miniature did not:\n${output}`);
    assert.match(output, /^nginx: .*\n {2}hint: \S/, 'an error and a hint');
    // nginx names no line for some errors (no events section, an unknown variable, a folder): then any will do.
    const place = expectedPlace(entry, expected);
    if (place) assert.deepEqual(miniaturePlace(output), place, `the place named:\n${output}`);
  });
}
