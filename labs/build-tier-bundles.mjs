// @ts-check
/**
 * Builds each tier of a kit into one file: `node labs/build-tier-bundles.mjs KIT_DIR OUT_DIR` writes
 * OUT_DIR/<tier>/bundle.js for every tier of tier-bundles.js, each headed with the sources it was built from
 * (kit/lab/program-file.js reads that line). tier-bundles.js runs it as a child process, so that the lab files stay
 * synchronous to read; run alone it is a way to look at a build.
 *
 * The code is the kit's own, joined: no transpiling (the target is the Node the kit needs), comments and blank space
 * left out, and every name kept, so that a stack trace still names the kit's functions.
 */
import { mkdirSync, rmSync, writeFileSync, readFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import { rspack } from '@rspack/core';
import { buildHeader, BUILD_FILE, sourcesDigest } from './kit/lab/program-file.js';
import { TIERS } from './tier-bundles.js';

const [kitArg, outArg] = process.argv.slice(2);
if (!kitArg || !outArg) {
  process.stderr.write('usage: node labs/build-tier-bundles.mjs KIT_DIR OUT_DIR\n');
  process.exit(2);
}
const kitDir = path.resolve(kitArg);
const outDir = path.resolve(outArg);
// Built beside, then moved into place in one step: a build that is there is whole.
const staging = `${outDir}.${process.pid}.tmp`;
rmSync(staging, { recursive: true, force: true });

const compiler = rspack(TIERS.map((tier) => ({
  name: tier,
  mode: 'production',
  target: 'node18',
  context: kitDir,
  entry: `./${tier}/index.js`,
  output: { path: path.join(staging, tier), filename: BUILD_FILE, module: true, chunkFormat: 'module', library: { type: 'module' } },
  experiments: { outputModule: true },
  devtool: false,
  externalsPresets: { node: true },
  // `new URL('./mime.types', import.meta.url)` keeps meaning the tier's folder, where the build is written; a
  // dynamic import stays Node's own.
  module: { parser: { javascript: { url: false, importMeta: false, importDynamic: false } } },
  optimization: {
    concatenateModules: true,
    minimize: true,
    minimizer: [new rspack.SwcJsMinimizerRspackPlugin({ minimizerOptions: { compress: false, mangle: false, format: { comments: false } } })],
  },
  performance: { hints: false },
})));

compiler.run((error, stats) => {
  compiler.close(() => undefined);
  if (error || !stats || stats.hasErrors()) {
    process.stderr.write(`${error?.stack ?? stats?.toString({ all: false, errors: true })}\n`);
    process.exit(1);
  }
  for (const child of stats.toJson({ all: false, modules: true, orphanModules: true }).children ?? []) {
    const tier = /** @type {string} */ (child.name);
    const sources = [...new Set(moduleFiles(child.modules ?? []))].sort();
    const file = path.join(staging, tier, BUILD_FILE);
    writeFileSync(file, buildHeader(sources, sourcesDigest(kitDir, sources)) + readFileSync(file, 'utf8'));
  }
  mkdirSync(path.dirname(outDir), { recursive: true });
  try {
    renameSync(staging, outDir);
  } catch (error) {
    // Another build of the same kit got there first (tests run side by side), with the same result: keep that one.
    if (!['ENOTEMPTY', 'EEXIST'].includes(/** @type {NodeJS.ErrnoException} */ (error).code ?? '')) throw error;
    rmSync(staging, { recursive: true, force: true });
  }
});

/**
 * The kit files a build holds, relative to the kit: every module, and those inside concatenated ones.
 * @param {import('@rspack/core').StatsModule[]} modules
 * @returns {string[]}
 */
function moduleFiles(modules) {
  return modules.flatMap((module) => {
    const inner = module.modules ? moduleFiles(module.modules) : [];
    const resource = module.nameForCondition;
    const own = resource && path.isAbsolute(resource) && resource.startsWith(kitDir + path.sep)
      ? [path.relative(kitDir, resource).split(path.sep).join('/')]
      : [];
    return [...own, ...inner];
  });
}
