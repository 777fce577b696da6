// @ts-check
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { tierBundles } from './tier-bundles.js';

const KIT = fileURLToPath(new URL('./kit/', import.meta.url));

test('a kit that does not build is an error that names the file and line, and what to run to see it again', (t) => {
  const kit = mkdtempSync(path.join(tmpdir(), 'tier-bundles-'));
  t.after(() => rmSync(kit, { recursive: true, force: true }));
  cpSync(KIT, kit, { recursive: true, filter: (source) => !source.includes('node_modules') });
  const broken = path.join(kit, 'web', 'respond.js');
  writeFileSync(broken, `${readFileSync(broken, 'utf8')}\nexport const = ;\n`);
  assert.throws(() => tierBundles(kit, { 'web/respond.js': readFileSync(broken, 'utf8') }), (error) => {
    assert.match(/** @type {Error} */ (error).message, /Could not build the kit's tiers into one file each \(node .*build-tier-bundles\.mjs /);
    assert.match(/** @type {Error} */ (error).message, /web\/respond\.js[\s\S]*\[\d+:\d+\]/);
    return true;
  });
});
