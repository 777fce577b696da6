/**
 * After the build: every drawing a built page shows gets a file of its own, `assets/diagrams/KEY.json`, which a page
 * reached by a move within the site fetches (its drawings are not in the JavaScript, see src/theme/Mermaid). Pages
 * loaded afresh have them in their HTML already. Under assets/, so a host caches them for good: the name is a hash
 * of what the drawing was made from.
 */
import {mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {keptDrawing} from './kept';

/** The attribute by which a page names a drawing it shows (src/theme/Mermaid writes it; minified HTML drops the quotes). */
const NAMED = /\bdata-drawing="?([0-9a-f]{64})\b/g;

/** The public path of a drawing's file, under the site's base URL. */
export function drawingPath(key: string): string {
  return `assets/diagrams/${key}.json`;
}

/** Writes the file of every drawing the built pages in outDir name; returns how many, and those the cache lacks. */
export function publishDrawings(outDir: string, cacheDir: string): {published: number; missing: string[]} {
  const keys = new Set<string>();
  for (const file of htmlFiles(outDir)) {
    for (const [, key] of readFileSync(file, 'utf8').matchAll(NAMED)) {
      keys.add(key);
    }
  }
  const missing: string[] = [];
  for (const key of keys) {
    const drawing = keptDrawing(cacheDir, key);
    if (drawing === undefined) {
      missing.push(key);
      continue;
    }
    const file = path.join(outDir, drawingPath(key));
    mkdirSync(path.dirname(file), {recursive: true});
    writeFileSync(file, JSON.stringify({light: drawing.light, dark: drawing.dark}));
  }
  return {published: keys.size - missing.length, missing};
}

function htmlFiles(dir: string): string[] {
  return readdirSync(dir, {recursive: true, withFileTypes: true})
    .filter((entry) => entry.isFile() && entry.name.endsWith('.html'))
    .map((entry) => path.join(entry.parentPath, entry.name));
}
