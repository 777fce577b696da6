import path from 'node:path';
import {expect, test} from 'vitest';
import mermaidChunks, {packageClosure} from './mermaidChunks';

test('finds Mermaid and the libraries it draws with', () => {
  const names = packageClosure('mermaid', process.cwd()).map((folder) => path.basename(folder));
  expect(names).toEqual(expect.arrayContaining(['mermaid', 'd3', 'dagre-d3-es', 'cytoscape', 'khroma']));
  expect(names).not.toContain('react');
});

test('keeps Mermaid out of the common chunk, and everything else in it', () => {
  const plugin = mermaidChunks() as {configureWebpack: (...args: unknown[]) => unknown};
  const config = plugin.configureWebpack({}, false) as {
    optimization: {splitChunks: {cacheGroups: {common: {test: (module: {nameForCondition: () => string}) => boolean}}}};
  };
  const inCommon = (file: string) => config.optimization.splitChunks.cacheGroups.common.test({nameForCondition: () => file});
  const mermaidFile = path.join(packageClosure('mermaid', process.cwd())[0], 'dist', 'mermaid.core.mjs');
  const d3File = path.join(packageClosure('d3', process.cwd())[0], 'src', 'index.js');
  expect(inCommon(mermaidFile)).toBe(false);
  expect(inCommon(d3File)).toBe(false);
  expect(inCommon(path.resolve('node_modules/react/index.js'))).toBe(true);
  expect(inCommon(path.resolve('src/theme/Mermaid/index.tsx'))).toBe(true);
});
