import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LoadContext, Plugin } from '@docusaurus/types';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveSite } from '../../site.config.mjs';
import forkPlugin, { type ForkGlobalData } from './index';
import { unzip } from './zip';

let site: string;
const { repositoryUrl, branch } = resolveSite();

function write(file: string, content: string): void {
  mkdirSync(path.dirname(path.join(site, file)), { recursive: true });
  writeFileSync(path.join(site, file), content);
}

beforeEach(() => {
  site = mkdtempSync(path.join(os.tmpdir(), 'fork-plugin-'));
  write('docs/index.mdx', '# Start here\n');
  write('docs/02-balancer.mdx', '# A balancer\n\n<Lab id="02-lb" />\n');
  write('docs/07-no-lab.mdx', '# No lab\n');
  write('labs/02-lb/lab.json', '{"id": "02-lb"}\n');
  write('labs/02-lb/files/lb-01/haproxy.cfg', 'frontend www\n');
  write('labs/03-other/lab.json', '{"id": "03-other"}\n');
  write('versioned_docs/version-v1/02-balancer.mdx', '# A balancer, as it was\n\n<Lab id="02-lb" />\n');
  write('versioned_labs/version-v1/02-lb/lab.json', '{"id": "02-lb", "old": true}\n');
});
afterEach(() => rmSync(site, { recursive: true, force: true }));

/** Runs the plugin on docs as the docs plugin would load them; returns its global data. */
async function forkData(): Promise<ForkGlobalData> {
  const context = { siteDir: site, generatedFilesDir: path.join(site, '.docusaurus'), baseUrl: '/course/' } as LoadContext;
  const plugin = forkPlugin(context) as Plugin;
  const docsOf = (files: string[]) => files.map((file) => ({ source: `@site/${file}` }));
  const allContent = {
    'docusaurus-plugin-content-docs': {
      default: {
        loadedVersions: [
          { versionName: 'current', docs: docsOf(['docs/index.mdx', 'docs/02-balancer.mdx', 'docs/07-no-lab.mdx']) },
          { versionName: 'v1', docs: docsOf(['versioned_docs/version-v1/02-balancer.mdx']) },
        ],
      },
    },
  };
  let data: unknown;
  await plugin.allContentLoaded!({ allContent, actions: { setGlobalData: (d: unknown) => { data = d; } } } as never);
  return data as ForkGlobalData;
}

const staged = (file: string) => unzip(readFileSync(path.join(site, '.docusaurus', 'scale-up-fork', 'downloads', file)));

describe('the fork plugin', () => {
  it("links a chapter to its file and its lab's folder, and zips both at their paths in the repository", async () => {
    const { chapters } = await forkData();
    expect(Object.keys(chapters).sort()).toEqual(['@site/docs/02-balancer.mdx', '@site/docs/07-no-lab.mdx', '@site/versioned_docs/version-v1/02-balancer.mdx']);
    const chapter = chapters['@site/docs/02-balancer.mdx'];
    expect(chapter).toMatchObject({
      file: 'docs/02-balancer.mdx',
      fileUrl: `${repositoryUrl}/blob/${branch}/docs/02-balancer.mdx`,
      lab: { id: '02-lb', folder: 'labs/02-lb/', folderUrl: `${repositoryUrl}/tree/${branch}/labs/02-lb` },
      zipUrl: '/course/downloads/02-balancer.zip',
      zipName: '02-balancer.zip',
    });
    const files = staged('02-balancer.zip');
    expect(files.map((file) => file.path)).toEqual(['docs/02-balancer.mdx', 'labs/02-lb/files/lb-01/haproxy.cfg', 'labs/02-lb/lab.json']);
    expect(files[0].content.toString()).toContain('<Lab id="02-lb" />');
    expect(chapter.zipBytes).toBe(readFileSync(path.join(site, '.docusaurus', 'scale-up-fork', 'downloads', '02-balancer.zip')).length);
  });

  it('zips only the chapter when it has no lab', async () => {
    const { chapters } = await forkData();
    expect(chapters['@site/docs/07-no-lab.mdx'].lab).toBeUndefined();
    expect(staged('07-no-lab.zip').map((file) => file.path)).toEqual(['docs/07-no-lab.mdx']);
  });

  it("gives an edition's chapter the edition's own lab", async () => {
    const chapter = (await forkData()).chapters['@site/versioned_docs/version-v1/02-balancer.mdx'];
    expect(chapter.lab?.folder).toBe('versioned_labs/version-v1/02-lb/');
    expect(chapter.zipUrl).toBe('/course/downloads/v1/02-balancer.zip');
    const files = staged('v1/02-balancer.zip');
    expect(files.map((file) => file.path)).toEqual(['versioned_docs/version-v1/02-balancer.mdx', 'versioned_labs/version-v1/02-lb/lab.json']);
    expect(files[1].content.toString()).toContain('"old": true');
  });
});
