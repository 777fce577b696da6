/**
 * `npm run new:chapter`, as an instructor runs it. The slow test scaffolds a chapter into a scratch copy of the site
 * and proves what the command promises: the lab passes `labs:verify` (its check fails on the starter and passes with
 * the solution), the course's lint finds nothing, and the chapter builds and shows in the sidebar. The others are
 * the refusals and the checks of the flags, each fast.
 */
import {spawnSync} from 'node:child_process';
import {existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, describe, expect, test} from 'vitest';
import {copySite} from '../lib/site-copy.mjs';
import {parseServers} from './topology.mjs';
import {writeAll} from './site.mjs';

const COMMAND = path.resolve('scripts/new-chapter.mjs');
const docusaurusCli = path.join(path.dirname(createRequire(import.meta.url).resolve('@docusaurus/core/package.json')), 'bin/docusaurus.mjs');
const scratch: string[] = [];

afterEach(() => {
  for (const folder of scratch.splice(0)) rmSync(folder, {recursive: true, force: true});
});

/** Runs a command in a folder; its exit status and everything it printed. */
function run(cwd: string, args: string[], input = '') {
  const result = spawnSync(process.execPath, args, {cwd, input, encoding: 'utf8', timeout: 600_000, env: {...process.env, NO_COLOR: '1'}});
  return {status: result.status, output: `${result.stdout}${result.stderr}`};
}

/** A folder with the site's chapters and labs folders (not their content): enough for the refusals. */
function smallSite() {
  const site = mkdtempSync(path.join(tmpdir(), 'new-chapter-'));
  scratch.push(site);
  mkdirSync(path.join(site, 'docs'));
  mkdirSync(path.join(site, 'labs', '03-web-and-app'), {recursive: true});
  for (const file of ['02-load-balancer.mdx', '03-web-and-app-servers.mdx']) {
    writeFileSync(path.join(site, 'docs', file), readFileSync(path.join('docs', file)));
  }
  return site;
}

/** Every file under a folder, relative to it. */
function filesIn(folder: string): string[] {
  return readdirSync(folder, {recursive: true, withFileTypes: true})
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(folder, path.join(entry.parentPath, entry.name)))
    .sort();
}

test('a scaffolded chapter passes labs:verify and the course lint, and builds', {timeout: 900_000}, () => {
  const site = copySite('new-chapter');
  scratch.push(site);
  const made = run(site, ['scripts/new-chapter.mjs', '--title', 'A cache in front of the app', '--slug', 'cache', '--yes']);
  expect(made.output).toContain('Edit next, in this order');
  expect(made.status).toBe(0);
  const labId = readdirSync(path.join(site, 'labs')).find((name) => name.endsWith('-cache'));
  expect(labId).toBeDefined();
  expect(made.output).toContain(`docs/${labId}.mdx`);
  expect(made.output).toContain(`labs/${labId}/checks/balances.js`);

  const verified = run(site, ['scripts/labs-verify.mjs', labId!]);
  expect(verified.output).toContain('starter: balances fails as it should');
  expect(verified.output).toContain('solution: balances passes as it should');
  expect(verified.status, verified.output).toBe(0);

  const linted = run(site, ['scripts/lint-course.mjs']);
  expect(linted.status, linted.output).toBe(0);

  // The build of the whole site takes minutes; the new chapter is what this test is about. The start page and the
  // glossary stay, as pages that the navigation bar links to.
  for (const entry of readdirSync(path.join(site, 'docs'))) {
    if (![`${labId}.mdx`, 'glossary.md'].includes(entry)) rmSync(path.join(site, 'docs', entry), {recursive: true});
  }
  writeFileSync(path.join(site, 'docs', 'index.mdx'), '# Start here\n\nThe course starts here.\n');
  const built = run(site, [docusaurusCli, 'build', site]);
  expect(built.status, built.output).toBe(0);
  const page = readFileSync(path.join(site, 'build', 'cache', 'index.html'), 'utf8');
  const sidebar = /aria-label="?Docs sidebar"?[\s\S]*?<\/nav>/.exec(page)?.[0] ?? '';
  expect(/>\d+\. A cache in front of the app</.test(sidebar), 'the sidebar lists the chapter').toBe(true);
  expect(page.includes('<h1>A cache in front of the app</h1>'), 'the chapter has its title').toBe(true);
});

describe('refusals', {timeout: 60_000}, () => {
  test('a number that is taken, naming the chapter that has it', () => {
    const site = smallSite();
    const result = run(site, [COMMAND, '--title', 'Caching', '--number', '2', '--yes']);
    expect(result.status).toBe(1);
    expect(result.output).toContain('number 02 is taken: docs/02-load-balancer.mdx has it');
    expect(filesIn(site)).toEqual(['docs/02-load-balancer.mdx', 'docs/03-web-and-app-servers.mdx']);
  });

  test('a slug that is taken by a chapter\'s address, a lab or a page', () => {
    const site = smallSite();
    const byAddress = run(site, [COMMAND, '--slug', 'web-and-app-servers', '--yes']);
    expect(byAddress.status).toBe(1);
    expect(byAddress.output).toContain('slug "web-and-app-servers" is taken: docs/03-web-and-app-servers.mdx has it');
    const byLab = run(site, [COMMAND, '--title', 'Web and app', '--yes']);
    expect(byLab.output).toContain('slug "web-and-app" is taken: labs/03-web-and-app has it');
    expect(filesIn(path.join(site, 'docs'))).toHaveLength(2);
    writeFileSync(path.join(site, 'docs', 'glossary.md'), '# Glossary\n');
    expect(run(site, [COMMAND, '--title', 'Glossary', '--yes']).output).toContain('slug "glossary" is taken: docs/glossary.md has it');
  });

  test('a file that exists: nothing is written, nothing overwritten', () => {
    const site = smallSite();
    writeFileSync(path.join(site, 'notes.md'), 'mine\n');
    expect(() => writeAll(site, {'new.md': 'new\n', 'notes.md': 'theirs\n'})).toThrow('notes.md already exists: nothing was written');
    expect(readFileSync(path.join(site, 'notes.md'), 'utf8')).toBe('mine\n');
    expect(existsSync(path.join(site, 'new.md'))).toBe(false);
  });

  test('bad flags, each with what to write', () => {
    const site = smallSite();
    const cases: Array<[string[], string]> = [
      [['--titel', 'Caching'], "Unknown option '--titel'. See --help."],
      [['--title', 'Caching', '--slug', 'Caching_2'], '--slug "Caching_2" is not a slug'],
      [['--title', 'Caching', '--number', 'eight'], '--number "eight" is not a chapter number'],
      [['--title', 'Caching', '--servers', 'web-01,app-01'], '--servers: the application servers keep their data in a database: add db-01.'],
      [[], 'the chapter needs a title'],
    ];
    for (const [flags, message] of cases) {
      const result = run(site, [COMMAND, ...flags, '--yes']);
      expect(result.status, flags.join(' ')).toBe(1);
      expect(result.output).toContain(message);
    }
  });
});

describe('the servers', {timeout: 60_000}, () => {
  test('form the course\'s chain, with its addresses, and decide what the starter leaves to do', () => {
    expect(parseServers('web-01').gap).toBe('serves-page');
    expect(parseServers('web-02,lb-01,web-01').servers.map((server) => `${server.name} ${server.address}`))
      .toEqual(['lb-01 10.0.0.11', 'web-01 10.0.0.21', 'web-02 10.0.0.22']);
    expect(parseServers('lb-01,web-01,app-01,db-01')).toMatchObject({gap: 'reaches-app', entry: {name: 'lb-01'}});
    expect(() => parseServers('lb-01,lb-02,web-01')).toThrow('labs/05-load-balancer-cluster');
    expect(() => parseServers('lb-01')).toThrow('Add web-01');
    expect(() => parseServers('web-1')).toThrow('"web-1" is not a server of the course');
  });

  test('asked one by one when no flag says --yes, each with its default', () => {
    const site = smallSite();
    const result = run(site, [COMMAND, '--servers', 'web-01'], 'Static pages\n\n\n\n');
    expect(result.status, result.output).toBe(0);
    expect(result.output).toContain('Slug, its address and file name (static-pages)');
    expect(filesIn(path.join(site, 'labs', '04-static-pages'))).toEqual([
      'checks/serves-page.js', 'files/web-01/nginx.conf', 'files/web-01/www/index.html', 'lab.json', 'network.json',
      'solution/web-01/nginx.conf',
    ]);
    expect(readFileSync(path.join(site, 'docs', '04-static-pages.mdx'), 'utf8')).toContain('<Lab id="04-static-pages" />');
  });
});
