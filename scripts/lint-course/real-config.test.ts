import {describe, expect, it} from 'vitest';
import {firstDifference, realConfig} from './real-config.mjs';
import {brokenCourse, goodCourse} from './fixture';

const CHAPTER = 'docs/01-demo.mdx';
const LAB_FILE = 'labs/01-demo/solution/lb-01/haproxy.cfg';

describe('realConfig', () => {
  it('passes a block that is its lab file, with or without the newline at the end', () => {
    expect(realConfig.check(goodCourse())).toEqual([]);
    const noNewline = brokenCourse(LAB_FILE, /\n$/, '');
    expect(realConfig.check(noNewline)).toEqual([]);
  });

  it('names the differing line in the chapter and in the lab file', () => {
    const course = brokenCourse(LAB_FILE, 'maxconn 256', 'maxconn 512');
    expect(realConfig.check(course)).toEqual([
      {
        file: CHAPTER,
        line: 36,
        message:
          `the block at line 34 claims to be ${LAB_FILE}, but this line differs from ${LAB_FILE}:2: ` +
          'the block has `maxconn 256`, the file has `maxconn 512`. Make the block a copy of the file (or change ' +
          'the file, and run labs:verify), or drop lab= and mark the block partial if it is an excerpt.',
      },
    ]);
  });

  it('names a block that stops short of its file, and a difference in spaces', () => {
    const longer = brokenCourse(LAB_FILE, /$/, 'defaults\n');
    expect(realConfig.check(longer)[0]).toMatchObject({line: 37, message: expect.stringContaining(':3: the block has no more lines, the file has `defaults`')});
    const spaces = brokenCourse(LAB_FILE, '    maxconn', '\tmaxconn');
    expect(realConfig.check(spaces)[0].message).toContain('they differ only in spaces or tabs, `maxconn 256`');
  });

  it('names a block that claims a file that does not exist', () => {
    const course = brokenCourse(CHAPTER, 'lab="01-demo/solution/lb-01/haproxy.cfg"', 'lab="01-demo/solution/lb-02/haproxy.cfg"');
    expect(realConfig.check(course)).toEqual([
      {file: CHAPTER, line: 34, message: expect.stringMatching(/^this block claims to be labs\/01-demo\/solution\/lb-02\/haproxy.cfg, which does not exist\./)},
    ]);
  });
});

describe('firstDifference', () => {
  it('finds the first differing line, past the end of either side', () => {
    expect(firstDifference('a\nb\n', 'a\nb')).toBeUndefined();
    expect(firstDifference('a\nb\n', 'a\nc\n')).toEqual({index: 1, block: 'b', file: 'c'});
    expect(firstDifference('a\n', 'a\nb\n')).toEqual({index: 1, block: undefined, file: 'b'});
  });
});
