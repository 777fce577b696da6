/** What is done to an SVG that Mermaid drew, before it goes into a page. */

/** The size Mermaid drew the diagram at: its viewBox. */
export function drawingSize(svg: string): {width: number; height: number} {
  const viewBox = /<svg\b[^>]*\bviewBox="([^"]+)"/.exec(svg)?.[1];
  const [, , width, height] = (viewBox ?? '').trim().split(/[\s,]+/).map(Number);
  if (!(width > 0) || !(height > 0)) {
    throw new Error('Mermaid drew an SVG without a viewBox');
  }
  return {width: Math.round(width), height: Math.round(height)};
}

/**
 * Takes Mermaid's own sizing off the root element (`width="100%"` and an inline `max-width`): the page sizes the
 * drawing itself, in a box of the drawing's proportions (see src/theme/Mermaid).
 */
export function tidySvg(svg: string): string {
  return svg.replace(/^<svg\b[^>]*>/, (tag) =>
    tag.replace(/\swidth="100%"/, '').replace(/\sstyle="max-width:\s*[\d.]+px;?"/, ''),
  );
}
