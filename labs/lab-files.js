// @ts-check
/**
 * The one place that knows which files make up a lab's workspace (a WebContainer's home folder, or a folder on the
 * learner's machine). The browser runtime, the local runner, `npm run labs:verify` and the site's build all use it.
 *
 *   kit/...                 the kit: every file of labs/kit except its tests and what only they use (fixtures/,
 *                           testing/, test-support/, harness.js, testing.js, corpus.js)
 *   kit/<tier>/bundle.js    each tier the lab runs, built into one file from those sources: it starts faster
 *                           (tier-bundles.js)
 *   lab.json, network.json, checks/<id>.js
 *   lb-01/haproxy.cfg, ...  the starter files (labs/NN-slug/files/), or with { solution: true } the solution
 *                           overlay (labs/NN-slug/solution/) on top of them
 *   .lab/starter/...        a pristine copy of the starter files, for `lab reset`
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { builtTier } from './kit/lab/program-file.js';
import { tierBundles } from './tier-bundles.js';

const KIT_DIR = fileURLToPath(new URL('./kit/', import.meta.url));
const LAB_FOLDER = /^\d\d-[a-z0-9-]+$/;

/** @typedef {Record<string, string>} FileMap relative POSIX path -> file content */

/**
 * The workspace's symbolic links: relative path -> the link's target, relative to the link's folder. `lab` is put
 * on the terminal's PATH the way npm's `node_modules/.bin` puts a package's commands there: as a link to a
 * JavaScript file. A WebContainer's shell runs such a link with node, though it runs no shebang script and no shell
 * shim, and its mount has no execute bits but has symlink nodes; a POSIX shell follows the link to a file that starts
 * with `#!/usr/bin/env node` and that the runner makes executable.
 * @type {Readonly<Record<string, string>>}
 */
export const WORKSPACE_LINKS = Object.freeze({ 'kit/bin/lab': '../lab/index.js' });

/**
 * @param {string} labDir a lab's folder, e.g. labs/02-load-balancer
 * @param {{ solution?: boolean, kitDir?: string }} [options]
 * @returns {FileMap}
 */
export function labWorkspaceFiles(labDir, { solution = false, kitDir = KIT_DIR } = {}) {
  if (!existsSync(path.join(labDir, 'lab.json'))) throw new Error(`${labDir} is not a lab: it has no lab.json`);
  /** @type {FileMap} */
  const files = {};
  const manifest = readFileSync(path.join(labDir, 'lab.json'), 'utf8');
  // The one-file builds of the programs this lab runs, and of no other: they add to what the learner downloads.
  const programs = programsOf(manifest);
  for (const [file, content] of Object.entries(kitWorkspaceFiles(kitDir))) {
    const tier = builtTier(file);
    if (tier === null || programs.has(tier)) files[`kit/${file}`] = content;
  }
  files['lab.json'] = manifest;
  if (existsSync(path.join(labDir, 'network.json'))) files['network.json'] = readFileSync(path.join(labDir, 'network.json'), 'utf8');
  for (const [file, content] of readTree(path.join(labDir, 'checks'))) files[`checks/${file}`] = content;
  for (const [file, content] of readTree(path.join(labDir, 'files'))) {
    files[file] = content;
    files[`.lab/starter/${file}`] = content;
  }
  if (solution) {
    for (const [file, content] of readTree(path.join(labDir, 'solution'))) files[file] = content;
  }
  return files;
}

/**
 * The kit as a workspace holds it, relative to the kit: its files less its tests, and each tier built into one file
 * (tier-bundles.js). A kit that holds builds already (an edition's) keeps those that still match it.
 * @param {string} [kitDir]
 * @returns {FileMap}
 */
export function kitWorkspaceFiles(kitDir = KIT_DIR) {
  const kit = Object.fromEntries(readTree(kitDir, isKitFile));
  const sources = Object.fromEntries(Object.entries(kit).filter(([file]) => builtTier(file) === null));
  return { ...sources, ...tierBundles(kit) };
}

/**
 * The kit programs a lab's manifest runs (`balancer`, `web`...); none when it does not read (validate-lab.ts says why).
 * @param {string} manifest lab.json's text
 * @returns {Set<string>}
 */
function programsOf(manifest) {
  try {
    const { topology } = JSON.parse(manifest);
    return new Set(topology.servers.flatMap((/** @type {{ services: { program: string }[] }} */ server) => server.services.map(({ program }) => program)));
  } catch {
    return new Set();
  }
}

/**
 * The lab folders (`02-load-balancer`, ...) in a labs folder, in order.
 * @param {string} labsDir
 * @returns {string[]}
 */
export function listLabs(labsDir) {
  return readdirSync(labsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && LAB_FOLDER.test(entry.name) && existsSync(path.join(labsDir, entry.name, 'lab.json')))
    .map((entry) => entry.name)
    .sort();
}

/**
 * @param {string} file a path relative to the kit, with / separators
 */
function isKitFile(file) {
  const parts = file.split('/');
  return !file.endsWith('.test.js') && !parts.some((part) => TEST_SUPPORT.has(part));
}

/** What only the kit's own tests use: it stays out of a learner's workspace (and its mount message). */
const TEST_SUPPORT = new Set(['fixtures', 'testing', 'test-support', 'harness.js', 'testing.js', 'corpus.js', 'node_modules']);

/**
 * Every file under `dir`, as [relative POSIX path, content], sorted; nothing when `dir` does not exist.
 * @param {string} dir
 * @param {(file: string) => boolean} [keep]
 * @returns {[string, string][]}
 */
function readTree(dir, keep = () => true) {
  if (!existsSync(dir)) return [];
  /** @type {[string, string][]} */
  const found = [];
  /** @param {string} folder @param {string} prefix */
  const walk = (folder, prefix) => {
    for (const entry of readdirSync(folder, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(path.join(folder, entry.name), relative);
      else if (entry.isFile() && keep(relative)) found.push([relative, readFileSync(path.join(folder, entry.name), 'utf8')]);
    }
  };
  walk(dir, '');
  return found;
}
