import {expect, test} from 'vitest';
import {drawingSize, LATER_STATES, roundCoordinates, tidySvg, withStyleSheet} from './svg';

const drawn =
  '<svg id="mermaid-1-light" width="100%" xmlns="http://www.w3.org/2000/svg" class="flowchart" ' +
  'style="max-width: 743.90185546875px;" viewBox="0 0 743.90185546875 222" role="graphics-document document">' +
  '<title id="chart-title-mermaid-1-light">A balancer</title><g style="max-width: 10px;"></g></svg>';

test('reads the size a diagram was drawn at from its viewBox', () => {
  expect(drawingSize(drawn)).toEqual({width: 744, height: 222});
  expect(() => drawingSize('<svg></svg>')).toThrow(/without a viewBox/);
});

test("takes Mermaid's sizing off the root element only, and keeps the title", () => {
  const tidy = tidySvg(drawn);
  expect(tidy).toMatch(/^<svg id="mermaid-1-light" xmlns="http:\/\/www.w3.org\/2000\/svg" class="flowchart" viewBox=/);
  expect(tidy).toContain('<title id="chart-title-mermaid-1-light">A balancer</title>');
  expect(tidy).toContain('<g style="max-width: 10px;">');
});

test('writes lengths and coordinates to a hundredth, and leaves scales, styles, the viewBox and text alone', () => {
  const svg =
    '<svg viewBox="0 0 743.90185546875 222"><style>.a{stroke-width:1.123456px}</style>' +
    '<g transform="translate(19.48455578997561, -0.0012) scale(0.123456)">' +
    '<path d="M19.48455578997561,30.4241521813978L1e-7,2.5" style="stroke-width: 1.23456px"/>' +
    '<rect x="-5.302073336857283" y="12" width="100.005" height="33.3333333"/>' +
    '<text x="1.23456">1.23456 req/s</text></g></svg>';
  expect(roundCoordinates(svg)).toBe(
    '<svg viewBox="0 0 743.90185546875 222"><style>.a{stroke-width:1.123456px}</style>' +
      '<g transform="translate(19.48, 0) scale(0.123456)">' +
      '<path d="M19.48,30.42L0,2.5" style="stroke-width: 1.23456px"/>' +
      '<rect x="-5.3" y="12" width="100.01" height="33.33"/>' +
      '<text x="1.23">1.23456 req/s</text></g></svg>',
  );
});

test('keeps numbers that path data runs together apart when one loses its point or its sign', () => {
  const svg = '<path d="M12.0001.5L3-0.0001v1.99999.25l4.0001-.5M1.25.99999 1e2"/>';
  expect(roundCoordinates(svg)).toBe('<path d="M12 .5L3 0v2 .25l4-.5M1.25 1 100"/>');
});

test('leaves a path with arcs alone: their flags may run into the next number', () => {
  const svg = '<path d="M0.123456,0a1.5 1.5 0 011.0625.4375"/><path d="M1.23456,0"/>';
  expect(roundCoordinates(svg)).toBe('<path d="M0.123456,0a1.5 1.5 0 011.0625.4375"/><path d="M1.23,0"/>');
});

test('puts the rules in use in place of the style sheet, and refuses a drawing without one', () => {
  expect(withStyleSheet('<svg><style>.a{} .b{}</style><g class="a"/></svg>', '.a{}')).toBe(
    '<svg><style>.a{}</style><g class="a"/></svg>',
  );
  expect(withStyleSheet('<svg><style>x</style></svg>', '$&')).toBe('<svg><style>$&</style></svg>');
  expect(() => withStyleSheet('<svg><g/></svg>', '')).toThrow(/without a style sheet/);
});

test('path data read back after rounding has the same numbers, each within half a hundredth (2,000 random paths)', () => {
  let seed = 7;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const numberText = () => {
    const value = (random() - 0.5) * 10 ** Math.floor(random() * 4);
    const written = random() < 0.5 ? String(value) : value.toFixed(Math.floor(random() * 5));
    return written.replace(/^(-?)0\./, random() < 0.5 ? '$1.' : '$10.');
  };
  const separators = ['', ' ', ',', 'L', 'l', 'c'];
  const readBack = (path: string) => (path.match(/[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?/gi) ?? []).map(Number);
  for (let round = 0; round < 2000; round += 1) {
    let d = 'M';
    for (let index = 0; index < 12; index += 1) {
      d += numberText() + separators[Math.floor(random() * separators.length)];
    }
    const before = readBack(d);
    const after = readBack(/d="([^"]*)"/.exec(roundCoordinates(`<path d="${d}"/>`))![1]);
    expect(after.length, d).toBe(before.length);
    after.forEach((value, index) => expect(Math.abs(value - before[index]), d).toBeLessThanOrEqual(0.005 + 1e-9));
  }
});

test('takes the states an element may enter later off a selector, and nothing else', () => {
  // As the drawer does in the build's Chromium, with the same pattern.
  const withoutLaterStates = (selector: string) => selector.replace(LATER_STATES, '');
  expect(withoutLaterStates('#m .node:focus-visible rect')).toBe('#m .node rect');
  expect(withoutLaterStates('#m .node:focus-within, #m a:hover::before')).toBe('#m .node, #m a');
  expect(withoutLaterStates('#m .focus .hover-x :not(.a)')).toBe('#m .focus .hover-x :not(.a)');
});
