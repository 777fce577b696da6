// @ts-check
/**
 * Each tier of the kit built into one file, for a lab's workspace: `kit/web/bundle.js` beside the sources.
 *
 * Why: Node 20 spends much of a tier's own start in its module loader, resolving, reading and linking a tier's 12 to
 * 34 files one by one. Here the web tier checking its configuration took about 170 ms of CPU from its sources,
 * 120 to 145 ms from one file, and 115 ms for Node doing nothing; lab 06 starts nine tiers at once, on two cores here
 * and in a browser tab for many learners, and its servers took 1.63 s of CPU in all instead of 1.96 s. The supervisor
 * starts a one-file build only while it matches the sources beside it (kit/lab/program-file.js).
 *
 * A build is made from the kit's files as given (not read again from disk), in a child process
 * (build-tier-bundles.mjs) so that reading a lab's files stays synchronous, and once per version of the kit and of
 * the bundler: it is kept under node_modules/.cache, by digest. A build the kit already holds (an edition's kit keeps
 * the builds it was cut with) is used as it is while it matches. Without the bundler, a workspace has no builds, and
 * its labs run the sources.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUILD_FILE, buildSources, builtTier, sourceDigest } from './kit/lab/program-file.js';

/** The kit's programs that a lab runs as servers: those built into one file. */
export const TIERS = Object.freeze(['app', 'balancer', 'db', 'vrrp', 'web']);
/** The builder's exit status when the bundler is not installed. */
export const NO_BUNDLER = 3;

const BUILDER = fileURLToPath(new URL('./build-tier-bundles.mjs', import.meta.url));
/** Builds not used for this long (of kits that have changed since) are removed from the cache. */
const CACHE_DAYS = 7;
/** How many builds a process keeps in memory (the development server makes one at each change of the kit). */
const KEPT_IN_MEMORY = 4;

/** @type {Map<string, Record<string, string>>} builds read in this process, by digest */
const read = new Map();
let warned = false;

/**
 * The one-file build of every tier the kit has: `web/bundle.js` -> its content, relative to the kit.
 * @param {Record<string, string>} kitFiles the kit's files as a workspace holds them, relative to the kit
 * @returns {Record<string, string>}
 */
export function tierBundles(kitFiles) {
  const tiers = TIERS.filter((tier) => kitFiles[`${tier}/index.js`] !== undefined);
  /** @type {Record<string, string>} */
  const builds = {};
  for (const tier of tiers) {
    const kept = kitFiles[`${tier}/${BUILD_FILE}`];
    if (kept !== undefined && matches(kept, kitFiles)) builds[`${tier}/${BUILD_FILE}`] = kept;
  }
  const missing = tiers.filter((tier) => builds[`${tier}/${BUILD_FILE}`] === undefined);
  if (missing.length === 0) return builds;
  try {
    return { ...builds, ...build(missing, kitFiles) };
  } catch (error) {
    // A kit that came with its builds (an edition's), changed since, may no longer build with today's bundler: its
    // labs then run the changed tiers from their sources. A kit of the course that does not build is a mistake.
    const frozen = Object.keys(kitFiles).some((file) => builtTier(file) !== null);
    if (!frozen) throw error;
    return { ...builds, ...noBuilds(/** @type {Error} */ (error).message) };
  }
}

/**
 * @param {string[]} tiers
 * @param {Record<string, string>} kitFiles
 * @returns {Record<string, string>}
 */
function build(tiers, kitFiles) {
  const found = bundler();
  if (found === null) return noBuilds('cannot find @rspack/core: run npm ci');
  const sources = Object.entries(kitFiles).filter(([file]) => builtTier(file) === null).sort(([a], [b]) => (a < b ? -1 : 1));
  const digest = createHash('sha256').update(readFileSync(BUILDER)).update(`${found.version}\0${tiers.join(' ')}\0`);
  for (const [file, content] of sources) digest.update(`${file}\0${content}\0`);
  const key = digest.digest('hex').slice(0, 20);
  const known = read.get(key);
  if (known) return known;
  const { cache } = found;
  mkdirSync(cache, { recursive: true });
  const dir = path.join(cache, key);
  if (!complete(dir, tiers)) {
    const scratch = path.join(cache, `${key}.${process.pid}`);
    rmSync(scratch, { recursive: true, force: true }); // left by a process of the same number that was killed
    try {
      for (const [file, content] of sources) {
        mkdirSync(path.dirname(path.join(scratch, 'kit', file)), { recursive: true });
        writeFileSync(path.join(scratch, 'kit', file), content);
      }
      const run = spawnSync(process.execPath, [BUILDER, path.join(scratch, 'kit'), path.join(scratch, 'out'), ...tiers], { encoding: 'utf8' });
      if (run.status === NO_BUNDLER) return noBuilds(run.stderr.trim());
      if (run.status !== 0) {
        throw new Error(`Could not build the kit's tiers into one file each (node ${path.relative(process.cwd(), BUILDER)} ` +
          `KIT_DIR OUT_DIR ${tiers.join(' ')}):\n${run.stderr || run.error?.message || `exit status ${run.status}`}`);
      }
      const made = readBuilds(path.join(scratch, 'out'), tiers, kitFiles);
      moveInto(path.join(scratch, 'out'), dir, tiers);
      prune(cache, key);
      return remember(key, made);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  }
  utimesSync(dir, new Date(), new Date()); // in use: not to be pruned
  return remember(key, readBuilds(dir, tiers, kitFiles));
}

/**
 * Reads the builds of a folder, each checked against the kit it was built from.
 * @param {string} dir @param {string[]} tiers @param {Record<string, string>} kitFiles
 */
function readBuilds(dir, tiers, kitFiles) {
  /** @type {Record<string, string>} */
  const builds = {};
  for (const tier of tiers) {
    const file = path.join(dir, tier, BUILD_FILE);
    const content = readFileSync(file, 'utf8');
    if (!matches(content, kitFiles)) throw new Error(`The build ${file} does not match the kit it was built from: delete ${dir} and build again`);
    builds[`${tier}/${BUILD_FILE}`] = content;
  }
  return builds;
}

/** @param {string} key @param {Record<string, string>} builds */
function remember(key, builds) {
  read.set(key, builds);
  for (const old of read.keys()) if (read.size > KEPT_IN_MEMORY) read.delete(old);
  return builds;
}

/** True when a build's header names sources that the kit holds, each with the content it was built from. */
function matches(/** @type {string} */ build, /** @type {Record<string, string>} */ kitFiles) {
  const sources = buildSources(build);
  return sources !== null && Object.entries(sources).every(([file, digest]) => kitFiles[file] !== undefined && sourceDigest(kitFiles[file]) === digest);
}

/** Moves a finished build into the cache in one step; another process that built the same kit first wins. */
function moveInto(/** @type {string} */ from, /** @type {string} */ to, /** @type {string[]} */ tiers) {
  try {
    // Renaming a folder onto another fails unless the target is missing (or, on POSIX, empty).
    renameSync(from, to);
  } catch (error) {
    if (!complete(to, tiers)) throw error;
  }
}

function complete(/** @type {string} */ dir, /** @type {string[]} */ tiers) {
  return tiers.every((tier) => existsSync(path.join(dir, tier, BUILD_FILE)));
}

/** Removes the cached builds of other kits that nobody has used for a week. */
function prune(/** @type {string} */ cache, /** @type {string} */ keep) {
  const limit = Date.now() - CACHE_DAYS * 24 * 3600 * 1000;
  for (const name of readdirSync(cache)) {
    const dir = path.join(cache, name);
    try {
      if (name !== keep && statSync(dir).mtimeMs < limit) rmSync(dir, { recursive: true, force: true });
    } catch {
      // Gone already: another process pruned it.
    }
  }
}

/** @param {string} why @returns {Record<string, string>} */
function noBuilds(why) {
  if (!warned) process.stderr.write(`[labs] The kit's tiers are not built into one file each (${why}): the labs run their sources, and start a little slower.\n`);
  warned = true;
  return {};
}

/**
 * The bundler the builder will load, or null when there is none: its version (a new one may build differently), and
 * the cache beside it, in the node_modules it comes from (as the diagrams' drawings are kept, see
 * src/plugins/mermaidAtBuild/kept.ts), which scratch copies of the site share with the checkout.
 * @returns {{ version: string, cache: string } | null}
 */
function bundler() {
  try {
    const manifest = createRequire(BUILDER).resolve('@rspack/core/package.json');
    const nodeModules = path.dirname(path.dirname(path.dirname(manifest)));
    return { version: JSON.parse(readFileSync(manifest, 'utf8')).version, cache: path.join(nodeModules, '.cache', 'scale-up-tier-bundles') };
  } catch {
    return null;
  }
}
