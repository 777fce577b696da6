/**
 * Gives the search plugin a mark.js whose `unmark()` costs nothing on a page with no marks (src/client/search-marks.ts).
 * The plugin imports mark.js by the absolute path it resolved, so the alias is keyed by that same path.
 */
import {createRequire} from 'node:module';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import type {Plugin} from '@docusaurus/types';

const require = createRequire(import.meta.url);

/**
 * mark.js as the search plugin resolves it (its build-time code writes `require.resolve("mark.js")`), or undefined
 * for a site without the plugin. Should a new version of the plugin import mark.js another way, the alias no longer
 * matches and pages walk their article again: the end-to-end test of the search bar (e2e/page-cost.spec.ts) says so.
 */
export function markJsOfSearchPlugin(): string | undefined {
  try {
    return createRequire(require.resolve('@easyops-cn/docusaurus-search-local')).resolve('mark.js');
  } catch {
    return undefined;
  }
}

export default function searchMarks(): Plugin {
  const wrapper = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'client', 'search-marks.ts');
  return {
    name: 'search-marks',
    configureWebpack() {
      const markJs = markJsOfSearchPlugin();
      return markJs === undefined ? {} : {resolve: {alias: {[markJs]: wrapper}}};
    },
  };
}
