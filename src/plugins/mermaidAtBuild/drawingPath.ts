/**
 * Where a drawing's file is in the built site, below the base URL: written by publish.ts after the build, fetched by
 * src/theme/Mermaid on a page reached within the site. Plain code, no Node modules: the browser bundle imports it.
 */
export function drawingPath(key: string): string {
  return `assets/diagrams/${key}.json`;
}
