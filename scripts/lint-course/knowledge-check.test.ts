import {describe, expect, it} from 'vitest';
import {knowledgeCheck} from './knowledge-check.mjs';
import {brokenCourse, goodCourse} from './fixture';

const FILE = 'docs/01-demo.mdx';

describe('knowledgeCheck', () => {
  it('passes a check with one correct choice and a why for each', () => {
    expect(knowledgeCheck.check(goodCourse())).toEqual([]);
  });

  it('names a check with no correct choice at the element', () => {
    const course = brokenCourse(FILE, 'correct: true, ', '');
    expect(knowledgeCheck.check(course)).toEqual([
      {file: FILE, line: 24, message: expect.stringMatching(/^this knowledge check has no correct choice.* Mark the right one with correct: true\.$/)},
    ]);
  });

  it('names a second correct choice', () => {
    const course = brokenCourse(FILE, "{ text: 'Never', ", "{ text: 'Never', correct: true, ");
    expect(knowledgeCheck.check(course)).toEqual([
      {file: FILE, line: 28, message: expect.stringContaining('2 choices marked correct: true (lines 27, 28)')},
    ]);
  });

  it('names a choice without its why, or with an empty one, at the choice', () => {
    const missing = brokenCourse(FILE, ", why: 'It happens.'", '');
    expect(knowledgeCheck.check(missing)).toEqual([
      {file: FILE, line: 28, message: expect.stringMatching(/^this choice has no why, .* Add why: '\.\.\.'/)},
    ]);
    const empty = brokenCourse(FILE, "why: 'That is the reason.'", "why: ''");
    expect(knowledgeCheck.check(empty).map((finding) => finding.line)).toEqual([27]);
  });

  it('reads props written over several lines, with template strings and quoted keys', () => {
    const course = brokenCourse(
      FILE,
      "{ text: 'Never', why: 'It happens.' },",
      "{\n      'text': `Never`,\n      \"why\": `It happens,\nevery day.`,\n    },",
    );
    expect(knowledgeCheck.check(course)).toEqual([]);
  });

  it('says so when the props are not literals, instead of guessing', () => {
    const course = brokenCourse(FILE, /choices=\{\[[\s\S]*?\]\}/, 'choices={questions.first}');
    expect(knowledgeCheck.check(course)).toEqual([
      {
        file: FILE,
        line: 24,
        message: expect.stringMatching(
          /^this knowledge check cannot be read: choices is not an array written out in the page\. Write its props as literals/,
        ),
      },
    ]);
    const spread = brokenCourse(FILE, "{ text: 'Never', why: 'It happens.' },", '...more,');
    expect(knowledgeCheck.check(spread)[0].message).toContain('a choice on line 28 is not an object');
  });
});
