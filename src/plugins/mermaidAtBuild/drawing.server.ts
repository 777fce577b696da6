/**
 * `@mermaid-at-build/drawing` in the server bundle, which renders the built pages in Node: a drawing's SVG, read from
 * the drawings kept at build time, goes into the page's HTML. The browser bundle gets drawing.client.ts instead, so
 * that no page's JavaScript carries a drawing (see src/theme/Mermaid).
 */
import {drawingsCacheDir, keptDrawing} from './kept';

const dir = drawingsCacheDir();

/** The drawing's SVG in one colour mode, or '' when it is not kept (the page then fetches it, or draws it itself). */
export function drawnMarkup(key: string, mode: 'light' | 'dark'): string {
  return keptDrawing(dir, key)?.[mode] ?? '';
}
