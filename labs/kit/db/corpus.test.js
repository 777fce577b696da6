// @ts-check
/**
 * The corpus of broken files (fixtures/broken/): the miniature database answers each one as the table of verdicts
 * says, which is what the real MariaDB answers (corpus-mariadb.test.js checks that) or a difference that the table
 * explains and the README lists. Whatever the file, the server ends its start-up (no hang) and prints no stack trace.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { CORPUS, runMiniature } from './corpus.js';
import { GRANTS_CASES, MY_CNF_CASES, agrees } from './fixtures/broken/verdicts.js';
import { KIT } from './testing.js';

const README = readFileSync(path.join(KIT, 'db', 'README.md'), 'utf8');
const KINDS = /** @type {const} */ ([['my-cnf', MY_CNF_CASES, 20], ['grants', GRANTS_CASES, 10]]);

test('the corpus is big enough, every file in it has a verdict, and every difference from MariaDB is explained in the README', () => {
  for (const [kind, cases, least] of KINDS) {
    assert.ok(cases.length >= least, `${kind}: ${cases.length} cases, fewer than ${least}`);
    const files = readdirSync(path.join(CORPUS, kind));
    const named = new Set(cases.map((c) => c.file));
    assert.deepEqual(files.filter((file) => !named.has(file)), [], `${kind}: files without a verdict in fixtures/broken/verdicts.js`);
    for (const c of cases) {
      assert.ok(existsSync(path.join(CORPUS, kind, c.file)) || c.file === 'missing.cnf', `${kind}/${c.file} is in the table but not in the folder`);
      if (agrees(c.real, c.mini)) {
        assert.equal(c.why, undefined, `${kind}/${c.file} agrees with MariaDB, yet the table explains a difference`);
      } else {
        assert.ok(c.why, `${kind}/${c.file}: the miniature differs from MariaDB; say why in the table`);
        assert.ok(README.includes(`\`${c.file}\``), `${kind}/${c.file}: the miniature differs from MariaDB; list it in db/README.md`);
      }
    }
  }
});

for (const [kind, cases] of KINDS) {
  test(`the miniature answers each broken ${kind === 'my-cnf' ? 'my.cnf' : 'init file'} as recorded, without a hang or a stack trace`,
    { concurrency: 4, timeout: 300_000 }, async (t) => {
      await Promise.all(cases.map((c) => t.test(`${c.file}: ${c.what}`, async () => {
        const outcome = await runMiniature(kind, c.file);
        assert.ok(!outcome.stack, `a stack trace:\n${outcome.output}`);
        const refused = outcome.verdict === 'refused';
        assert.deepEqual({ verdict: outcome.verdict, line: refused ? outcome.line : undefined, errno: refused ? outcome.errno : undefined },
          { verdict: c.mini.verdict, line: c.mini.line, errno: c.mini.errno }, outcome.output);
      })));
    });
}
