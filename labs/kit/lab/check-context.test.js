// @ts-check
/** The checks' `lab` object, as a check sees it in a running lab. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createWorkspace, fixture, lab, removeWorkspace, supervise } from './fixtures/workspace.js';

test('expectUp waits for a server that is still starting, as when the editor has just restarted it', async (t) => {
  // --quiet never says it listens: it is up only after the supervisor's fallback delay of 3 s.
  const home = createWorkspace({ control: 25100, servers: [fixture('web-09', 'tiny-web.js', ['--quiet'])], checks: ['all-up'] });
  t.after(() => removeWorkspace(home));
  await supervise(home, { up: true });
  const check = await lab(home, ['check', '--json'], { timeoutMs: 30_000 });
  const [result] = JSON.parse(check.stdout.trim().split('\n').pop() ?? '[]');
  assert.equal(result.ok, true, result.message);
  assert.match(result.message, /every server is up \(\d+ ms\)/);
});
