/** What is done to an SVG that Mermaid drew, before it goes into a page: sized by the page, and made lighter. */

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

/** Attributes whose numbers are lengths or coordinates in the drawing's own units. */
const GEOMETRY = new Set(['d', 'points', 'x', 'y', 'x1', 'x2', 'y1', 'y2', 'cx', 'cy', 'r', 'rx', 'ry', 'width', 'height']);

/** Every number, read left to right as SVG reads path data ("5.4.05" is 5.4 and .05, "3-2" is 3 and -2). */
const NUMBER = /[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?/gi;
/** One written with more than two decimals, or with an exponent. */
const LONG = /\.\d{3}|e/i;

/**
 * Writes the drawing's coordinates to a hundredth of a unit. Mermaid writes them as the layout computed them, to
 * sixteen digits (`19.48455578997561`), and they made up most of a drawing's weight: a hundredth of a unit is a
 * hundredth of a pixel at the drawing's natural size, which no screen shows. Only lengths and coordinates are
 * rounded (the geometry attributes, and `translate()`); the viewBox, scales, rotations, styles, text, and paths with
 * arcs are left as Mermaid wrote them.
 */
export function roundCoordinates(svg: string): string {
  // Path data may run numbers together where a sign or a point starts the next one ("5.4.05", "3-2"): a number that
  // loses its point or its sign in the rounding gets a space, so that it does not merge with its neighbour.
  const round = (number: string, at: number, text: string) => {
    if (!LONG.test(number)) {
      return number;
    }
    const rounded = Math.round(Number(number) * 100) / 100;
    let written = Object.is(rounded, -0) ? '0' : String(rounded);
    if (/^[-+.]/.test(number) && /^\d/.test(written) && /[\d.]/.test(text[at - 1] ?? '')) {
      written = ` ${written}`;
    }
    if (!written.includes('.') && text[at + number.length] === '.') {
      written = `${written} `;
    }
    return written;
  };
  return svg.replace(/<[a-zA-Z][^>]*>/g, (tag) =>
    tag.replace(/(\s)([\w-]+)="([^"]*)"/g, (attribute, space: string, name: string, value: string) => {
      // An arc's two flags are single digits that may run into the next number ("0 011.06"): read as numbers they
      // would merge, so a path with arcs is left as it is.
      if (name === 'd' && /[aA]/.test(value)) {
        return attribute;
      }
      if (GEOMETRY.has(name)) {
        return `${space}${name}="${value.replace(NUMBER, round)}"`;
      }
      if (name === 'transform') {
        return `${space}${name}="${value.replace(/translate\([^)]*\)/g, (translate) => translate.replace(NUMBER, round))}"`;
      }
      return attribute;
    }),
  );
}

/**
 * The states an element may enter later (`:hover`, `:focus-visible`...) and the pseudo-elements: taken off a
 * selector before it is tested against a drawing (drawer.ts keeps a rule whose selector finds something then).
 */
export const LATER_STATES =
  /::?(?:hover|focus-visible|focus-within|focus|active|visited|link|target|before|after|marker|selection|placeholder|first-line|first-letter)(?![\w-])/g;

/**
 * Puts `css` in place of the drawing's style sheet (Mermaid writes one, first thing in the SVG). The drawer passes
 * the rules of Mermaid's sheet that apply to something in the drawing (see drawer.ts).
 */
export function withStyleSheet(svg: string, css: string): string {
  const sheet = /<style>[\s\S]*?<\/style>/;
  if (!sheet.test(svg)) {
    throw new Error('Mermaid drew an SVG without a style sheet');
  }
  return svg.replace(sheet, () => `<style>${css}</style>`);
}
