/** A drawing's SVG in the server bundle, '' in the browser's: see drawing.server.ts and drawing.client.ts. */
declare module '@mermaid-at-build/drawing' {
  export function drawnMarkup(key: string, mode: 'light' | 'dark'): string;
}
