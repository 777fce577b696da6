// @ts-check
/** When a service counts as up: a kit tier when it says so, any other program after the fallback delay. */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { BUILD_FILE, buildHeader, sourceDigest } from './program-file.js';
import { READY_FALLBACK_MS, Service } from './services.js';

/**
 * A workspace whose kit holds one program, `kit/<program>/index.js`, that runs and never reports.
 * @param {import('node:test').TestContext} t
 * @param {string} program
 */
function silentProgram(t, program) {
  const home = mkdtempSync(path.join(os.tmpdir(), 'lab-services-'));
  t.after(() => rmSync(home, { recursive: true, force: true }));
  mkdirSync(path.join(home, 'kit', program), { recursive: true });
  writeFileSync(path.join(home, 'kit', program, 'index.js'), 'setInterval(() => {}, 1000);\n');
  const workspace = /** @type {import('./workspace.js').Workspace} */ (/** @type {unknown} */ ({
    home, kit: path.join(home, 'kit'), logsDir: path.join(home, '.lab', 'logs'), networkFile: path.join(home, 'network.json'),
    topology: { control: 1 },
  }));
  const service = new Service({ server: 'web-01', spec: { name: 'nginx', program }, workspace, onChange: () => {} });
  t.after(() => service.kill());
  return service;
}

test('a kit tier that never says it listens stays starting; another program is up after the fallback delay', async (t) => {
  const tier = silentProgram(t, 'web');
  const other = silentProgram(t, 'my-server');
  tier.start();
  other.start();
  await new Promise((resolve) => setTimeout(resolve, READY_FALLBACK_MS + 500));
  assert.equal(other.state, 'up');
  assert.equal(tier.state, 'starting', 'a stuck web tier is not up');
  tier.markReady(/** @type {number} */ (tier.pid));
  assert.equal(tier.state, 'up');
});

test('a tier starts from its one-file build while it matches its sources, and from the sources, said so, once one changed', async (t) => {
  const home = mkdtempSync(path.join(os.tmpdir(), 'lab-services-'));
  t.after(() => rmSync(home, { recursive: true, force: true }));
  const kit = path.join(home, 'kit');
  mkdirSync(path.join(kit, 'my-tier'), { recursive: true });
  const source = "console.log('from the sources');\n";
  writeFileSync(path.join(kit, 'my-tier', 'index.js'), source);
  writeFileSync(path.join(kit, 'my-tier', BUILD_FILE), `${buildHeader({ 'my-tier/index.js': sourceDigest(source) })}console.log('from the build');\n`);
  const workspace = /** @type {import('./workspace.js').Workspace} */ (/** @type {unknown} */ ({
    home, kit, logsDir: path.join(home, '.lab', 'logs'), networkFile: path.join(home, 'network.json'), topology: { control: 1 },
  }));
  const run = async () => {
    const service = new Service({ server: 'app-01', spec: { name: 'app', program: 'my-tier' }, workspace, onChange: () => {} });
    service.start();
    await service.waitForExit();
    return service.logs.lines.map((line) => line.text).filter((text) => !text.startsWith('lab: started') && !text.includes('exited'));
  };
  assert.deepEqual(await run(), ['from the build']);
  writeFileSync(path.join(kit, 'my-tier', 'index.js'), `${source}// changed\n`);
  assert.deepEqual(await run(), [
    'lab: kit/my-tier/index.js has changed since kit/my-tier/bundle.js was built: running kit/my-tier from its sources',
    'from the sources',
  ]);
});
