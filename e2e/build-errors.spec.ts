/**
 * Bad input fails the build, with a message that names the file: each test builds a copy of the site whose docs/
 * holds a start page and one broken chapter. The copy lives in .cache/ inside the repository, so that it finds
 * node_modules exactly as the site does.
 */
import {spawnSync} from 'node:child_process';
import {createRequire} from 'node:module';
import {mkdirSync, rmSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {expect, test} from '@playwright/test';
import {copySite} from '../scripts/lib/site-copy.mjs';

const docusaurusCli = path.join(
  path.dirname(createRequire(path.resolve('package.json')).resolve('@docusaurus/core/package.json')),
  'bin/docusaurus.mjs',
);

test.describe.configure({timeout: 120_000});

test('a chapter that links to a missing chapter fails the build, naming the file and the line', () => {
  const result = buildWithChapter('09-broken-link.mdx', '# Broken link\n\nRead [the next chapter](./10-missing.mdx).\n');
  expect(result.status).not.toBe(0);
  expect(result.output).toContain('docs/09-broken-link.mdx');
  expect(result.output).toMatch(/Markdown link with URL `\.\/10-missing\.mdx` in source file "docs\/09-broken-link\.mdx" \(3:6\)/);
});

test('a chapter with a mistyped front matter key fails the build, naming the file and the key', () => {
  const result = buildWithChapter('09-bad-front-matter.mdx', '---\ntitle: Bad\nsidebar_positon: 3\n---\n\n# Bad\n');
  expect(result.status).not.toBe(0);
  expect(result.output).toContain('Invalid front matter in docs/09-bad-front-matter.mdx');
  expect(result.output).toContain('sidebar_positon');
  expect(result.output).toContain('sidebar_position');
});

test('a chapter whose front matter is not YAML fails the build, naming the file', () => {
  const result = buildWithChapter('09-not-yaml.mdx', '---\ntitle: Bad: really\n---\n\n# Bad\n');
  expect(result.status).not.toBe(0);
  expect(result.output).toContain('The front matter of docs/09-not-yaml.mdx is not valid YAML');
});

test('a chapter that links to a page that does not exist fails the build, naming the page', () => {
  const result = buildWithChapter('09-broken-route.mdx', '# Broken route\n\nSee [nowhere](/no-such-page).\n');
  expect(result.status).not.toBe(0);
  expect(result.output).toContain('Broken link on source page path = /broken-route');
  expect(result.output).toContain('-> linking to /no-such-page');
});

/** Builds a copy of the site with docs/ holding only a start page and `file`; returns the exit status and output. */
function buildWithChapter(file: string, content: string): {status: number | null; output: string} {
  const site = copySite('bad-input', {without: ['docs']});
  try {
    mkdirSync(path.join(site, 'docs'));
    writeFileSync(path.join(site, 'docs', 'index.mdx'), '# Start here\n\nThe course starts here.\n');
    writeFileSync(path.join(site, 'docs', file), content);
    const result = spawnSync(process.execPath, [docusaurusCli, 'build', site], {
      cwd: site,
      encoding: 'utf8',
      timeout: 110_000,
      env: {...process.env, FORCE_COLOR: '0', NO_COLOR: '1'},
    });
    return {status: result.status, output: `${result.stdout}\n${result.stderr}`};
  } finally {
    rmSync(site, {recursive: true, force: true});
  }
}
