// @ts-check
/**
 * Builds tiers of a kit into one file each: `node labs/build-tier-bundles.mjs KIT_DIR OUT_DIR [TIER...]` writes
 * OUT_DIR/<tier>/bundle.js for the tiers named (by default every tier of tier-bundles.js that KIT_DIR has), each
 * headed with the sources it was built from and their digests (kit/lab/program-file.js reads that line). OUT_DIR
 * must not exist yet. tier-bundles.js runs it in a child process, so that reading a lab's files stays synchronous;
 * run alone, it is a way to look at a build.
 *
 * The code is the kit's own, joined: no transpiling (the target is the Node the kit needs), comments and blank space
 * left out, names not shortened. Where two modules of a tier use the same name, joining them prefixes one with its
 * module's name (`listen` of lib/http-server.js becomes `http_server_listen`).
 */
import { existsSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { BUILD_FILE, HEADER_LIMIT, buildHeader, sourceDigest } from './kit/lab/program-file.js';
import { NO_BUNDLER, TIERS } from './tier-bundles.js';

const [kitArg, outArg, ...named] = process.argv.slice(2);
if (!kitArg || !outArg) fail('usage: node labs/build-tier-bundles.mjs KIT_DIR OUT_DIR [TIER...]', 2);
// The bundler names modules by their real paths: the kit's must be real too (a node_modules that is a link).
const kitDir = existsSync(kitArg) ? realpathSync(kitArg) : path.resolve(kitArg);
const outDir = path.resolve(outArg);
if (existsSync(outDir)) fail(`${outDir} exists already: give a folder that does not, and the build makes it`, 2);
const tiers = named.length > 0 ? named : TIERS.filter((tier) => existsSync(path.join(kitDir, tier, 'index.js')));

/** @type {typeof import('@rspack/core').rspack} */
let rspack;
try {
  ({ rspack } = await import('@rspack/core'));
} catch (error) {
  fail(`cannot load the bundler, @rspack/core (${/** @type {Error} */ (error).message}): run npm ci`, NO_BUNDLER);
}

const compiler = rspack(tiers.map((tier) => ({
  name: tier,
  mode: 'production',
  target: 'node18',
  context: kitDir,
  entry: `./${tier}/index.js`,
  output: { path: path.join(outDir, tier), filename: BUILD_FILE, module: true, chunkFormat: 'module', library: { type: 'module' } },
  experiments: { outputModule: true },
  devtool: false,
  externalsPresets: { node: true },
  // `new URL('./mime.types', import.meta.url)` keeps meaning the tier's folder, where the build goes; a dynamic
  // import stays Node's own.
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
  try {
    if (error || !stats || stats.hasErrors()) throw new Error(error?.stack ?? stats?.toString({ all: false, errors: true }));
    for (const child of stats.toJson({ all: false, modules: true, orphanModules: true }).children ?? []) {
      const tier = /** @type {string} */ (child.name);
      const file = path.join(outDir, tier, BUILD_FILE);
      const names = [...new Set(moduleFiles(child.modules ?? []))].sort();
      if (!names.includes(`${tier}/index.js`)) throw new Error(`the build of ${tier} does not name ${tier}/index.js among its sources: ${names.join(', ') || 'none'}`);
      /** @type {Record<string, string>} */
      const sources = {};
      for (const name of names) {
        const content = readFileSync(path.join(kitDir, ...name.split('/')), 'utf8');
        // The build keeps `import.meta.url`, which then means the tier's folder (where its bundle.js is).
        if (!name.startsWith(`${tier}/`) && content.includes('import.meta')) {
          throw new Error(`${name} uses import.meta, which in kit/${tier}/${BUILD_FILE} would mean kit/${tier}/ and not its own folder: `
            + `pass the path in from the tier, or keep that code in ${tier}/`);
        }
        sources[name] = sourceDigest(content);
      }
      const header = buildHeader(sources);
      if (header.length > HEADER_LIMIT) throw new Error(`the first line of ${tier}'s build, ${header.length} bytes, passes the ${HEADER_LIMIT} that program-file.js reads`);
      writeFileSync(file, header + readFileSync(file, 'utf8'));
    }
  } catch (failure) {
    rmSync(outDir, { recursive: true, force: true });
    fail(/** @type {Error} */ (failure).message, 1);
  }
});

/**
 * The kit files a build holds, relative to the kit: every module (those joined into one are listed as orphans).
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

/** @param {string} message @param {number} status @returns {never} */
function fail(message, status) {
  process.stderr.write(`${message}\n`);
  process.exit(status);
}
