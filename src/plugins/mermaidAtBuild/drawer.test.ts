import {mkdtempSync, readdirSync, rmSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterAll, expect, test} from 'vitest';
import {chromiumMissing} from '../../../scripts/lib/chromium.mjs';
import {DiagramDrawer} from './drawer';

const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'mermaid-at-build-'));
const themes = {light: 'neutral', dark: 'dark'};
const diagram = 'flowchart LR\n  accTitle: Two servers\n  accDescr: A balancer sends requests to web-01.\n  lb --> web-01';

afterAll(() => rmSync(cacheDir, {recursive: true, force: true}));

test.skipIf(chromiumMissing !== undefined)(
  'draws a diagram in both themes with its title, keeps it, and leaves one that does not parse to the page',
  async () => {
    const drawer = new DiagramDrawer(themes, cacheDir);
    let key = '';
    try {
      const drawing = await drawer.draw(diagram, 'docs/a.mdx:3');
      expect(drawing?.light).toMatch(/^<svg id="mermaid-\w+-light"[^>]*><title[^>]*>Two servers<\/title><desc/);
      expect(drawing?.dark).toMatch(/^<svg id="mermaid-\w+-dark"/);
      // Only the rules the drawing uses: its nodes' and links', not Mermaid's error icon's or animated links'.
      const sheet = /<style>([\s\S]*?)<\/style>/.exec(drawing!.light)?.[1] ?? '';
      expect(sheet).toMatch(/\.node rect/);
      expect(sheet).not.toMatch(/error-icon|edge-animation/);
      // Coordinates to a hundredth.
      expect(drawing!.light).not.toMatch(/\s(?:d|x|y|width|height)="[^"]*\d\.\d{3}/);
      expect(drawing!.width).toBeGreaterThan(drawing!.height);
      key = drawing!.key;
      expect(await drawer.draw('flowchart LR\n  a -->', 'docs/b.mdx:7')).toBeUndefined();
    } finally {
      await drawer.close();
    }
    expect(drawer.summary()).toMatch(/1 in the pages compiled \(1 drawn now, 0 from the cache\); 1 left to draw in the page: docs\/b\.mdx:7: /);

    // A second build finds the drawing in the cache and launches no browser.
    const again = new DiagramDrawer(themes, cacheDir);
    expect((await again.draw(diagram, 'docs/a.mdx:3'))?.key).toBe(key);
    expect(again.summary()).toContain('(0 drawn now, 1 from the cache)');
    // Kept under its key, which is also the name of its public file (publish.ts).
    expect(readdirSync(cacheDir)).toEqual([`${key}.json`]);
  },
  60_000,
);
