/**
 * The drawings kept between builds, one JSON file each, named by a hash of what it was drawn from: an unchanged
 * diagram does not launch the browser again. Read by the drawer at build time, and by the server bundle
 * (drawing.server.ts) while it renders the pages.
 */
import {existsSync, readFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import path from 'node:path';

/** A diagram drawn in both colour modes, and the size it was drawn at (its viewBox). */
export interface Drawing {
  light: string;
  dark: string;
  width: number;
  height: number;
}

/**
 * The cache is in the node_modules that Mermaid comes from, so that the scratch copies of the site that tests build
 * (which find node_modules in the checkout above them) share the checkout's drawings.
 */
export function drawingsCacheDir(siteDir: string = process.cwd()): string {
  const mermaid = createRequire(path.join(siteDir, 'package.json')).resolve('mermaid/package.json');
  return path.resolve(path.dirname(path.dirname(mermaid)), '.cache', 'mermaid-at-build');
}

/**
 * A kept drawing by its key (64 hex digits, nothing else reaches the file system), or undefined when there is none
 * or it cannot be read: the page then draws the diagram itself, which is slower but never wrong.
 */
export function keptDrawing(dir: string, key: string): Drawing | undefined {
  const file = path.join(dir, `${key}.json`);
  if (!/^[0-9a-f]{64}$/.test(key) || !existsSync(file)) {
    return undefined;
  }
  try {
    const drawing = JSON.parse(readFileSync(file, 'utf8')) as Partial<Drawing>;
    return typeof drawing.light === 'string' && typeof drawing.dark === 'string' ? (drawing as Drawing) : undefined;
  } catch {
    return undefined;
  }
}
