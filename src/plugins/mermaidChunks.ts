/**
 * Keeps Mermaid out of the JavaScript that every page loads.
 *
 * Docusaurus puts every module that several lazily loaded chunks share into one `common` chunk, which every page
 * loads. Mermaid loads each diagram type as a chunk of its own, and those chunks share d3, dagre, cytoscape, katex
 * and more: all of it ended up in `common`, about 180 KB gzipped on every page, with or without a diagram.
 * This plugin excludes Mermaid and everything it depends on from `common`, so that it arrives only with Mermaid
 * itself, when a diagram is about to be shown (see src/theme/Mermaid).
 */
import {existsSync, readFileSync, realpathSync} from 'node:fs';
import path from 'node:path';
import type {Plugin} from '@docusaurus/types';

export default function mermaidChunks(): Plugin {
  return {
    name: 'mermaid-chunks',
    configureWebpack(_config, isServer) {
      if (isServer) {
        return {};
      }
      const mermaidFolders = packageClosure('mermaid', process.cwd()).map((folder) => folder + path.sep);
      const isMermaidModule = (resource: string) => mermaidFolders.some((folder) => resource.startsWith(folder));
      return {
        optimization: {
          splitChunks: {
            cacheGroups: {
              common: {
                test: (module: {nameForCondition?: () => string | null}) => {
                  const resource = module.nameForCondition?.() ?? '';
                  return !isMermaidModule(resource);
                },
              },
            },
          },
        },
      };
    },
  };
}

/** The real folders of a package and of everything it depends on, transitively, as Node would resolve them. */
export function packageClosure(name: string, fromFolder: string): string[] {
  const found = new Set<string>();
  const queue: Array<[string, string]> = [[name, fromFolder]];
  while (queue.length > 0) {
    const [dependency, from] = queue.shift()!;
    const folder = findPackage(dependency, from);
    if (folder === undefined || found.has(folder)) {
      continue;
    }
    found.add(folder);
    const manifest = JSON.parse(readFileSync(path.join(folder, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
    };
    for (const next of Object.keys(manifest.dependencies ?? {})) {
      queue.push([next, folder]);
    }
  }
  return [...found];
}

function findPackage(name: string, from: string): string | undefined {
  for (let folder = from; ; folder = path.dirname(folder)) {
    const candidate = path.join(folder, 'node_modules', name);
    if (existsSync(path.join(candidate, 'package.json'))) {
      return realpathSync(candidate);
    }
    if (folder === path.dirname(folder)) {
      return undefined;
    }
  }
}
