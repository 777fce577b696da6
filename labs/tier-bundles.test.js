// @ts-check
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { BUILD_FILE, buildHeader, buildSources } from './kit/lab/program-file.js';
import { kitWorkspaceFiles } from './lab-files.js';
import { TIERS, tierBundles } from './tier-bundles.js';

const CACHE = fileURLToPath(new URL('../node_modules/.cache/scale-up-tier-bundles/', import.meta.url));
const KIT = fileURLToPath(new URL('./kit/', import.meta.url));
const BUILDER = fileURLToPath(new URL('./build-tier-bundles.mjs', import.meta.url));

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

test('an edition\'s kit, changed since it was cut, that no longer builds runs that tier from its sources, with a warning', (t) => {
  const kit = kitSources();
  const made = tierBundles(kit);
  const edition = { ...kit, ...made, 'web/respond.js': `${kit['web/respond.js']}\nexport const = ;\n` };
  /** @type {string[]} */
  const warnings = [];
  t.mock.method(process.stderr, 'write', (/** @type {string} */ text) => { warnings.push(text); return true; });
  const builds = tierBundles(edition);
  t.mock.restoreAll();
  assert.equal(builds['web/bundle.js'], undefined, 'no build of the changed web tier');
  assert.equal(builds['balancer/bundle.js'], made['balancer/bundle.js'], 'the other tiers keep the builds the edition holds');
  assert.match(warnings.join(''), /not built into one file each[\s\S]*respond\.js[\s\S]*the labs run their sources/);
});

test('a kit reached through a symbolic link builds with every source named', (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tier-link-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  symlinkSync(KIT, path.join(dir, 'kit'));
  const run = spawnSync(process.execPath, [BUILDER, path.join(dir, 'kit'), path.join(dir, 'out'), 'web'], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  const sources = buildSources(readFileSync(path.join(dir, 'out', 'web', BUILD_FILE), 'utf8')) ?? {};
  assert.ok(sources['web/index.js'] && sources['lib/main.js'], Object.keys(sources).join(', '));
  const again = spawnSync(process.execPath, [BUILDER, path.join(dir, 'kit'), path.join(dir, 'out'), 'web'], { encoding: 'utf8' });
  assert.equal(again.status, 2);
  assert.match(again.stderr, /exists already: give a folder that does not/);
});

test('a shared module that uses import.meta is refused: in a build it would mean the tier\'s folder', () => {
  const kit = kitSources();
  kit['lib/main.js'] += '\nexport const here = import.meta.url;\n';
  assert.throws(() => tierBundles(kit), /lib\/main\.js uses import\.meta, which in kit\/\w+\/bundle\.js would mean kit\/\w+\/ and not its own folder/);
});
