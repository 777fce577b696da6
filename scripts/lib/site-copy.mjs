// @ts-check
/**
 * A scratch copy of the site in .cache/site-copies/, for what must build the site without touching build/ or the
 * checkout: the cold-build benchmark, and the tests that prove a broken chapter fails the build. Dependencies,
 * build output, test output and lab workspaces are left out (node_modules is found from the checkout above).
 */
import {cpSync, mkdirSync, mkdtempSync, readdirSync} from 'node:fs';
import path from 'node:path';

const LEFT_OUT = ['node_modules', '.git', '.cache', 'build', '.docusaurus', 'test-results', 'playwright-report', '.labs-workspace'];

/**
 * Copies the site and returns the copy's folder; the caller removes it.
 * @param {string} prefix names the copy, e.g. `bench`
 * @param {{without?: string[]}} [options] more top-level entries to leave out, e.g. `docs` to write one's own
 */
export function copySite(prefix, {without = []} = {}) {
  const copies = path.resolve('.cache', 'site-copies');
  mkdirSync(copies, {recursive: true});
  const site = mkdtempSync(path.join(copies, `${prefix}-`));
  const leftOut = new Set([...LEFT_OUT, ...without]);
  for (const entry of readdirSync('.').filter((name) => !leftOut.has(name))) {
    cpSync(entry, path.join(site, entry), {recursive: true});
  }
  return site;
}
