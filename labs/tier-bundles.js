// @ts-check
/**
 * Each tier of the kit built into one file, for a lab's workspace: `kit/web/bundle.js` beside the sources.
 *
 * Why: Node 20 spends most of a tier's own start in its module loader, resolving, reading and linking some thirty
 * files one by one. The web tier checking its configuration took 190 ms of CPU from its sources, 145 ms from one file
 * and 115 ms for Node doing nothing; a lab starts up to nine tiers at once, on two cores here and in a browser tab
 * for many learners. The supervisor starts the one-file build while it matches the sources (kit/lab/program-file.js).
 *
 * The build runs in a child process (build-tier-bundles.mjs), so that reading a lab's files stays synchronous, and
 * once per version of the kit: the result is kept under node_modules/.cache, by the digest of the kit's files.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUILD_FILE } from './kit/lab/program-file.js';

/** The kit's programs that a lab runs as servers: those built into one file. */
export const TIERS = Object.freeze(['app', 'balancer', 'db', 'vrrp', 'web']);

const BUILDER = fileURLToPath(new URL('./build-tier-bundles.mjs', import.meta.url));

/** @type {Map<string, Record<string, string>>} builds read in this process, by the kit's digest */
const read = new Map();

/**
 * The one-file build of every tier: `web/bundle.js` -> its content, relative to the kit.
 * @param {string} kitDir the kit's folder, which the build reads
 * @param {Record<string, string>} kitFiles the kit's files as a workspace holds them (relative to the kit): the
 *   build is made again when one of them changes
 * @returns {Record<string, string>}
 */
export function tierBundles(kitDir, kitFiles) {
  // The build depends on the kit's files and on how it is made.
  const digest = createHash('sha256').update(readFileSync(BUILDER)).update(`${TIERS.join(' ')}\0`);
  for (const file of Object.keys(kitFiles).sort()) digest.update(`${file}\0${kitFiles[file]}\0`);
  const key = digest.digest('hex').slice(0, 20);
  const known = read.get(key);
  if (known) return known;
  const dir = path.join(cacheDir(), key);
  if (!TIERS.every((tier) => existsSync(path.join(dir, tier, BUILD_FILE)))) {
    const build = spawnSync(process.execPath, [BUILDER, kitDir, dir], { encoding: 'utf8' });
    if (build.status !== 0) {
      throw new Error(`Could not build the kit's tiers into one file each (node ${path.relative(process.cwd(), BUILDER)} ` +
        `${kitDir} ${dir}):\n${build.stderr || build.error?.message || `exit status ${build.status}`}`);
    }
  }
  const bundles = Object.fromEntries(TIERS.map((tier) => [`${tier}/${BUILD_FILE}`, readFileSync(path.join(dir, tier, BUILD_FILE), 'utf8')]));
  read.set(key, bundles);
  return bundles;
}

/** node_modules/.cache/scale-up-tier-bundles of the course (found upwards from here), or the system's temporary folder. */
function cacheDir() {
  for (let dir = path.dirname(BUILDER); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'node_modules'))) return path.join(dir, 'node_modules', '.cache', 'scale-up-tier-bundles');
    if (path.dirname(dir) === dir) return path.join(os.tmpdir(), 'scale-up-tier-bundles');
  }
}
