/**
 * After the build: every drawing a built page shows gets a file of its own, `assets/diagrams/KEY.json`, which a page
 * reached by a move within the site fetches (its drawings are not in the JavaScript, see src/theme/Mermaid). Pages
 * loaded afresh have them in their HTML already. Under assets/, which `npm run serve` (and a host set up alike)
 * caches for good: the name is a hash of everything a drawing is made from (the source, Mermaid's version, the
 * themes, the drawer's format), so a changed drawing gets a new name.
 */
import {mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {drawingPath} from './drawingPath';
import {keptDrawing} from './kept';

/** The attribute by which a page names a drawing it shows (src/theme/Mermaid writes it; minified HTML drops the quotes). */
const NAMED = /\bdata-drawing="?([0-9a-f]{64})\b/g;

/** What the page's own Mermaid is left to draw: a diagram the build did not draw has only an estimated size. */
const LEFT_TO_PAGE = /\bdata-estimated-size=/g;

/**
 * Writes the file of every drawing the built pages in outDir name. Returns how many, those the cache lacks, and how
 * many diagrams the pages are left to draw themselves (a build that could not draw them, or pages compiled before
 * the build drew diagrams, reused from the bundler's cache).
 */
export function publishDrawings(
  outDir: string,
  cacheDir: string,
): {published: number; missing: string[]; leftToPage: number} {
  const keys = new Set<string>();
  let leftToPage = 0;
  for (const file of htmlFiles(outDir)) {
    const html = readFileSync(file, 'utf8');
    for (const [, key] of html.matchAll(NAMED)) {
      keys.add(key);
    }
    leftToPage += [...html.matchAll(LEFT_TO_PAGE)].length;
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
  return {published: keys.size - missing.length, missing, leftToPage};
}

function htmlFiles(dir: string): string[] {
  return readdirSync(dir, {recursive: true, withFileTypes: true})
    .filter((entry) => entry.isFile() && entry.name.endsWith('.html'))
    .map((entry) => path.join(entry.parentPath, entry.name));
}
