/**
 * An instructor's path through "Fork this chapter" and editions, with one build of a scratch copy of the site:
 * download a chapter's zip from the built site as a reader would, unzip it into a fresh copy whose chapter and lab
 * were removed, cut an edition there with `npm run edition:cut`, and build. The copy must build; its own download
 * must be the same zip (the chapter came back whole); and the edition must be served with its own frozen labs.
 */
import {spawnSync} from 'node:child_process';
import {createRequire} from 'node:module';
import {mkdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {expect, test} from '@playwright/test';
import {unzip} from '../plugins/fork/zip';
import {copySite} from '../scripts/lib/site-copy.mjs';
import {siteUrl} from './support/pages';

const docusaurusCli = path.join(
  path.dirname(createRequire(path.resolve('package.json')).resolve('@docusaurus/core/package.json')),
  'bin/docusaurus.mjs',
);
const CHAPTER = 'docs/02-load-balancer.mdx';
const LAB = 'labs/02-load-balancer';
const EDITION = '2099-test';

// The build draws every diagram in Chromium: minutes on a busy machine.
test.describe.configure({timeout: 600_000});

test('a chapter downloaded from the site unzips into a fresh fork that builds, with an edition cut in it', async ({page}) => {
  await page.goto(siteUrl('/load-balancer'));
  const fork = page.getByRole('region', {name: 'Fork this chapter'});
  await expect(fork.getByRole('link', {name: CHAPTER})).toHaveAttribute('href', new RegExp(`/blob/[^/]+/${CHAPTER}$`));
  await expect(fork.getByRole('link', {name: `${LAB}/`})).toHaveAttribute('href', new RegExp(`/tree/[^/]+/${LAB}$`));
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    fork.getByRole('link', {name: /^Download the chapter and its lab \(zip, \d+ KB\)$/}).click(),
  ]);
  expect(download.suggestedFilename()).toBe('02-load-balancer.zip');
  const archive = readFileSync(await download.path());
  const files = unzip(archive);
  expect(files[0].path).toBe(CHAPTER);
  expect(files.map((file) => file.path)).toEqual(expect.arrayContaining([`${LAB}/lab.json`, `${LAB}/network.json`]));
  for (const file of files) expect(file.content.equals(readFileSync(file.path)), `${file.path} as in the repository`).toBe(true);

  const site = copySite('fork');
  try {
    rmSync(path.join(site, CHAPTER));
    rmSync(path.join(site, LAB), {recursive: true});
    for (const file of files) {
      mkdirSync(path.dirname(path.join(site, file.path)), {recursive: true});
      writeFileSync(path.join(site, file.path), file.content);
    }

    const cut = run(site, 'npm', ['run', '--silent', 'edition:cut', '--', EDITION]);
    expect(cut.output).toContain(`Edition "${EDITION}" is cut`);
    expect(run(site, process.execPath, [docusaurusCli, 'build']).output).toContain('Generated static files');

    const built = (file: string) => readFileSync(path.join(site, 'build', file));
    expect(built('downloads/02-load-balancer.zip').equals(archive), 'the fork offers the same zip').toBe(true);
    expect(built('load-balancer/index.html').toString()).toContain('Fork this chapter');

    const edition = built(`${EDITION}/load-balancer/index.html`).toString();
    expect(edition).toContain('aria-label="Lab: ');
    expect(edition).toContain(`versioned_labs/version-${EDITION}/02-load-balancer/`);
    expect(unzip(built(`downloads/${EDITION}/02-load-balancer.zip`)).map((file) => file.path)).toContain(
      `versioned_labs/version-${EDITION}/02-load-balancer/lab.json`,
    );
  } finally {
    rmSync(site, {recursive: true, force: true});
  }
});

/** Runs a command in the site copy; fails the test with the output when it exits with an error. */
function run(site: string, command: string, args: string[]): {output: string} {
  const result = spawnSync(command, args, {
    cwd: site,
    encoding: 'utf8',
    timeout: 540_000,
    env: {...process.env, FORCE_COLOR: '0', NO_COLOR: '1'},
  });
  const output = `${result.stdout}\n${result.stderr}`;
  expect(result.status, `${path.basename(command)} ${args.map((arg) => path.basename(arg)).join(' ')}:\n${output}`).toBe(0);
  return {output};
}
