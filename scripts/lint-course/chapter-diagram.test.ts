import {describe, expect, it} from 'vitest';
import {chapterDiagram} from './chapter-diagram.mjs';
import {brokenCourse, goodCourse} from './fixture';

describe('chapterDiagram', () => {
  it('passes chapters that draw a diagram, and ignores pages that are not chapters', () => {
    expect(chapterDiagram.check(goodCourse())).toEqual([]);
  });

  it('names a chapter without a diagram at its title', () => {
    const course = brokenCourse('docs/01-demo.mdx', /```mermaid[\s\S]*?```\n/, '');
    expect(chapterDiagram.check(course)).toEqual([
      {file: 'docs/01-demo.mdx', line: 5, message: expect.stringContaining('this chapter has no diagram. Add a ```mermaid block')},
    ]);
  });
});
