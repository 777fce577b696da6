/**
 * Lets Docusaurus build a site whose package.json says `"type": "module"` (ours does: the kit and the scripts are
 * ES modules). That setting reaches two places where Docusaurus expects CommonJS:
 * - the route registry it generates in .docusaurus/ calls `require.resolveWeak`, which the bundler only rewrites in
 *   files it parses as `javascript/auto`; as strict ESM, static rendering failed with
 *   "require.resolveWeak is not a function";
 * - the server bundle's chunks, written to build/__server/ and loaded with `require()`, were taken for ES modules
 *   ("exports is not defined in ES module scope"), and every page was rendered as an error message.
 * So the generated files are parsed as `javascript/auto`, and the server output gets a package.json of its own that
 * says `"type": "commonjs"`.
 */
import type {Plugin} from '@docusaurus/types';

const PLUGIN_NAME = 'module-type-compat';

export default function moduleTypeCompat(): Plugin {
  return {
    name: PLUGIN_NAME,
    configureWebpack(_config, isServer) {
      const generatedCodeRule = {test: /[\\/]\.docusaurus[\\/].*\.js$/, type: 'javascript/auto'};
      return {
        module: {rules: [generatedCodeRule]},
        plugins: isServer ? [commonJsOutputMarker] : [],
      };
    },
  };
}

/** Emits `package.json` with `{"type": "commonjs"}` beside the bundle, so that Node loads its chunks as CommonJS. */
const commonJsOutputMarker = {
  apply(compiler: {webpack: {sources: {RawSource: new (source: string) => unknown}}; hooks: CompilerHooks}) {
    const {RawSource} = compiler.webpack.sources;
    compiler.hooks.thisCompilation.tap(PLUGIN_NAME, (compilation) => {
      compilation.hooks.processAssets.tap({name: PLUGIN_NAME}, () => {
        compilation.emitAsset('package.json', new RawSource('{"type": "commonjs"}\n'));
      });
    });
  },
};

interface CompilerHooks {
  thisCompilation: {
    tap(
      name: string,
      callback: (compilation: {
        hooks: {processAssets: {tap(options: {name: string}, callback: () => void): void}};
        emitAsset(file: string, source: unknown): void;
      }) => void,
    ): void;
  };
}
