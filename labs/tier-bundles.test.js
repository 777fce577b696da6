// @ts-check
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { BUILD_FILE, buildHeader, buildSources } from './kit/lab/program-file.js';
import { kitWorkspaceFiles } from './lab-files.js';
import { TIERS, tierBundles } from './tier-bundles.js';

const CACHE = fileURLToPath(new URL('../node_modules/.cache/scale-up-tier-bundles/', import.meta.url));

/** The kit's sources as a workspace holds them, without its builds. */
function kitSources() {
  return Object.fromEntries(Object.entries(kitWorkspaceFiles()).filter(([file]) => !file.endsWith(`/${BUILD_FILE}`)));
}

test('every tier of the kit is built, each from the sources it names', () => {
  const kit = kitSources();
  const builds = tierBundles(kit);
  assert.deepEqual(Object.keys(builds).sort(), TIERS.map((tier) => `${tier}/${BUILD_FILE}`));
  for (const [file, build] of Object.entries(builds)) {
    const sources = buildSources(build) ?? {};
    assert.ok(sources[file.replace(BUILD_FILE, 'index.js')], `${file} names its tier's index.js`);
    assert.ok(Object.keys(sources).every((source) => kit[source] !== undefined), `${file} names sources of the kit only`);
  }
});

test('a build the kit holds already is kept while it matches the kit, and made again when it does not', () => {
  const kit = kitSources();
  const made = tierBundles(kit)['web/bundle.js'];
  const header = made.slice(0, made.indexOf('\n') + 1);
  const kept = tierBundles({ ...kit, 'web/bundle.js': `${header}// as an edition keeps it\n` });
  assert.equal(kept['web/bundle.js'], `${header}// as an edition keeps it\n`);
  const stale = buildHeader({ ...buildSources(header), 'web/index.js': 'f'.repeat(64) });
  assert.equal(tierBundles({ ...kit, 'web/bundle.js': `${stale}// out of date\n` })['web/bundle.js'], made);
});

test('a kit that does not build is an error that names the file and line, and leaves nothing behind', () => {
  const kit = kitSources();
  kit['web/respond.js'] += '\nexport const = ;\n';
  assert.throws(() => tierBundles(kit), (error) => {
    assert.match(/** @type {Error} */ (error).message, /Could not build the kit's tiers into one file each \(node .*build-tier-bundles\.mjs /);
    assert.match(/** @type {Error} */ (error).message, /web\/respond\.js[\s\S]*\[\d+:\d+\]/);
    return true;
  });
  assert.deepEqual(existsSync(CACHE) ? readdirSync(CACHE).filter((name) => name.endsWith(`.${process.pid}`)) : [], [], 'no scratch folder is left');
});

test('a kit without some tiers builds those it has', () => {
  const kit = Object.fromEntries(Object.entries(kitSources()).filter(([file]) => !file.startsWith('vrrp/')));
  assert.deepEqual(Object.keys(tierBundles(kit)).sort(), TIERS.filter((tier) => tier !== 'vrrp').map((tier) => `${tier}/${BUILD_FILE}`));
});
