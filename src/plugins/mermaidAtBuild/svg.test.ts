import {expect, test} from 'vitest';
import {drawingSize, tidySvg} from './svg';

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
