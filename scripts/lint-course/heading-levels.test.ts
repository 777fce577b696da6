import {describe, expect, it} from 'vitest';
import {headingLevels} from './heading-levels.mjs';
import {brokenCourse, goodCourse} from './fixture';

describe('headingLevels', () => {
  it('passes headings that go down one level at a time, and up by any number', () => {
    expect(headingLevels.check(goodCourse())).toEqual([]);
  });

  it('names a heading that skips a level', () => {
    const course = brokenCourse('docs/01-demo.mdx', '### Check your understanding', '#### Check your understanding');
    expect(headingLevels.check(course)).toEqual([
      {
        file: 'docs/01-demo.mdx',
        line: 22,
        message:
          "this heading is level 4 (####) right after level 2, which leaves a hole in the page's outline. " +
          'Make it ###, or add the level between.',
      },
    ]);
  });

  it('counts the front matter title as level 1, and ignores # lines in code blocks', () => {
    const noTitle = brokenCourse('docs/01-demo.mdx', '# A demo\n', '');
    expect(headingLevels.check(noTitle)).toEqual([]);
    const startsLow = brokenCourse('docs/01-demo.mdx', '# A demo\n\n## What it is', '### What it is');
    expect(headingLevels.check(startsLow).map((finding) => finding.line)).toEqual([5]);
    const code = brokenCourse('docs/01-demo.mdx', '## What it is', '## What it is\n\n```sh\n#### not a heading\n```');
    expect(headingLevels.check(code)).toEqual([]);
  });
});
