import {describe, expect, it} from 'vitest';
import {admonitionTitles} from './admonition-titles.mjs';
import {brokenCourse, goodCourse} from './fixture';

describe('admonitionTitles', () => {
  it('passes a course whose admonitions have their titles in brackets', () => {
    expect(admonitionTitles.check(goodCourse())).toEqual([]);
    const bracketed = brokenCourse('docs/01-demo.mdx', '## What it is', ':::info[You will learn]\n\nThings.\n\n:::\n\n## What it is');
    expect(admonitionTitles.check(bracketed)).toEqual([]);
  });

  it('names an admonition written with the old title form, which the page shows as text', () => {
    const course = brokenCourse('docs/01-demo.mdx', '## What it is', ':::info You will learn\n\nThings.\n\n:::\n\n## What it is');
    expect(admonitionTitles.check(course)).toEqual([
      {
        file: 'docs/01-demo.mdx',
        line: 7,
        message:
          '":::info You will learn" is shown as plain text, not as a box: the title of an admonition goes in brackets. ' +
          'Write :::info[You will learn].',
      },
    ]);
  });
});
