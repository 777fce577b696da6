import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { rspack } from '@rspack/core';
import type { LoadContext, Plugin } from '@docusaurus/types';
import webpack from 'webpack';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LabsGlobalData } from '../../src/runtime/lab-data';
import type { LabWorkspace } from '../../src/runtime/types';
import labsPlugin, { type LabsContent } from './index';

const FIXTURES = fileURLToPath(new URL('../../src/runtime/fixtures/labs', import.meta.url));
const SITE = fileURLToPath(new URL('../..', import.meta.url));
let site: string;

beforeEach(() => {
  site = mkdtempSync(path.join(os.tmpdir(), 'labs-plugin-'));
  cpSync(FIXTURES, path.join(site, 'labs'), { recursive: true });
});
afterEach(() => rmSync(site, { recursive: true, force: true }));

function plugin(siteDir = site, options = {}): Plugin<LabsContent> {
  const context = { siteDir, generatedFilesDir: path.join(site, '.docusaurus'), baseUrl: '/course/' } as LoadContext;
  return labsPlugin(context, options) as Plugin<LabsContent>;
}

async function globalDataOf(instance: Plugin<LabsContent>): Promise<LabsGlobalData> {
  const content = await instance.loadContent!();
  let data: unknown;
  await instance.contentLoaded!({ content, actions: { setGlobalData: (d) => { data = d; }, addRoute: () => {}, createData: async () => '' } });
  return data as LabsGlobalData;
}

describe('the labs plugin', () => {
  it('gives the page the manifest data, and a hashed workspace file that is not in the global data', async () => {
    const { labs } = await globalDataOf(plugin());
    const lab = labs['09-fixture-lab'];
    expect(lab).toMatchObject({ id: '09-fixture-lab', title: 'A lab for the tests', previewPort: 20901 });
    expect(lab.steps.map((s) => s.id)).toEqual(['start', 'round-robin']);
    expect(lab.editable.map((e) => e.file)).toEqual(['lb-01/haproxy.cfg', 'web-01/nginx.conf']);
    expect(lab.workspaceUrl).toMatch(/^\/course\/assets\/labs\/09-fixture-lab\.[0-9a-f]{10}\.json$/);
    expect(JSON.stringify(labs)).not.toContain('balance roundrobin');

    const staged = path.join(site, '.docusaurus', 'scale-up-labs', 'workspaces', path.basename(lab.workspaceUrl));
    const workspace = JSON.parse(readFileSync(staged, 'utf8')) as LabWorkspace;
    expect(workspace.lab).toBe('09-fixture-lab');
    expect(workspace.files['lb-01/haproxy.cfg']).not.toContain('roundrobin');
    expect(workspace.files['.lab/starter/lb-01/haproxy.cfg']).toBe(workspace.files['lb-01/haproxy.cfg']);
    expect(workspace.files['kit/balancer/index.js']).toBeDefined();
    expect(Object.keys(workspace.solution)).toEqual(['lb-01/haproxy.cfg']);
    expect(workspace.solution['lb-01/haproxy.cfg']).toContain('balance roundrobin');
    // What the learner downloads: the file as a host sends it, compressed.
    expect(lab.workspaceBytes).toBe(gzipSync(readFileSync(staged)).length);
    expect(lab.workspaceBytes).toBeLessThan(readFileSync(staged).length / 2);
  });

  it('names a new workspace file when a lab file changes', async () => {
    const before = (await globalDataOf(plugin())).labs['09-fixture-lab'].workspaceUrl;
    writeFileSync(path.join(site, 'labs', '09-fixture-lab', 'files', 'web-01', 'www', 'index.html'), '<h1>changed</h1>\n');
    const after = (await globalDataOf(plugin())).labs['09-fixture-lab'].workspaceUrl;
    expect(after).not.toBe(before);
    expect(readdirSync(path.join(site, '.docusaurus', 'scale-up-labs', 'workspaces'))).toEqual([path.basename(after)]);
  });

  it('fails the build with the file and the field of every mistake', async () => {
    const manifest = path.join(site, 'labs', '09-fixture-lab', 'lab.json');
    const lab = JSON.parse(readFileSync(manifest, 'utf8'));
    lab.steps[1].checks[0].id = 'round-robin-2';
    lab.editable[0].server = 'lb-02';
    writeFileSync(manifest, JSON.stringify(lab));
    await expect(plugin().loadContent!()).rejects.toThrow(
      'The labs have 2 problems; fix them and build again:\n' +
      'labs/09-fixture-lab/lab.json: steps[1].checks[0].id: "round-robin-2" has no module: create labs/09-fixture-lab/checks/round-robin-2.js, or fix the id\n' +
      'labs/09-fixture-lab/lab.json: editable[0].server: "lb-02" is not a server of topology.servers: use one of lb-01, web-01, web-02',
    );
  });

  it("publishes each course edition's labs from the edition's own copy", async () => {
    cpSync(FIXTURES, path.join(site, 'versioned_labs', 'version-v1'), { recursive: true });
    writeFileSync(path.join(site, 'versions.json'), '["v1"]\n');
    writeFileSync(path.join(site, 'labs', '09-fixture-lab', 'files', 'web-01', 'www', 'index.html'), '<h1>changed since v1</h1>\n');
    const { labs, editions } = await globalDataOf(plugin());
    const frozen = editions!.v1['09-fixture-lab'];
    expect(frozen.title).toBe('A lab for the tests');
    expect(frozen.workspaceUrl).not.toBe(labs['09-fixture-lab'].workspaceUrl);
    const staged = path.join(site, '.docusaurus', 'scale-up-labs', 'workspaces', path.basename(frozen.workspaceUrl));
    expect((JSON.parse(readFileSync(staged, 'utf8')) as LabWorkspace).files['web-01/www/index.html']).not.toContain('changed since v1');
  });

  for (const [name, bundler] of [['webpack', webpack], ['rspack', rspack]] as const) {
    it(`emits the workspace files into the client bundle with ${name}, not the server bundle`, async () => {
      const instance = plugin();
      const content = await instance.loadContent!();
      const { labs } = await globalDataOf(instance);
      const utils = { currentBundler: { name, instance: bundler } } as never;
      expect(instance.configureWebpack!({}, true, utils, content)).toEqual({});
      const { plugins } = instance.configureWebpack!({}, false, utils, content) as { plugins: never[] };
      writeFileSync(path.join(site, 'entry.js'), 'export default 1;\n');
      const out = path.join(site, 'out');
      const compiler = (bundler as any)({ mode: 'development', context: site, entry: './entry.js', output: { path: out }, plugins });
      await new Promise<void>((resolve, reject) => compiler.run((error: Error | null, stats: any) => {
        if (error || stats.hasErrors()) reject(error ?? new Error(stats.toString()));
        else compiler.close(() => resolve());
      }));
      const asset = path.join(out, labs['09-fixture-lab'].workspaceUrl.replace('/course/', ''));
      expect(JSON.parse(readFileSync(asset, 'utf8')).lab).toBe('09-fixture-lab');
    });
  }

  it.skipIf(!existsSync(path.join(SITE, 'labs', 'lab-files.js')))('validates and publishes the real labs with the real labs/lab-files.js', async () => {
    const { labs } = await globalDataOf(plugin(SITE));
    expect(Object.keys(labs).length).toBeGreaterThan(0);
    for (const lab of Object.values(labs)) expect(lab.workspaceUrl).toContain(`/assets/labs/${lab.id}.`);
  });
});
