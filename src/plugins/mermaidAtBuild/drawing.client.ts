/**
 * `@mermaid-at-build/drawing` in the browser bundle: nothing. A drawing is in the page's HTML already (the server
 * bundle wrote it there, see drawing.server.ts), or, after a move within the site, fetched from its file.
 */
export function drawnMarkup(_key: string, _mode: 'light' | 'dark'): string {
  return '';
}
