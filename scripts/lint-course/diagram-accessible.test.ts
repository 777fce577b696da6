import {describe, expect, it} from 'vitest';
import {diagramAccessible} from './diagram-accessible.mjs';
import {brokenCourse, goodCourse} from './fixture';

describe('diagramAccessible', () => {
  it('passes diagrams with accTitle and accDescr, in the one-line or the block form', () => {
    expect(diagramAccessible.check(goodCourse())).toEqual([]);
    const block = brokenCourse('docs/01-demo.mdx', /accDescr: .*/, 'accDescr {\n    The browser reaches lb-01.\n  }');
    expect(diagramAccessible.check(block)).toEqual([]);
  });

  it('names a diagram without accTitle, or with an empty accDescr, at its fence', () => {
    const noTitle = brokenCourse('docs/01-demo.mdx', /\n *accTitle: .*/, '');
    expect(diagramAccessible.check(noTitle)).toEqual([
      {
        file: 'docs/01-demo.mdx',
        line: 9,
        message:
          'this diagram has no accTitle, so a screen reader cannot say what it shows. ' +
          "Add `accTitle: <a short title>` after the diagram's first line, on a line of its own.",
      },
    ]);
    const emptyDescription = brokenCourse('docs/02-other.mdx', /accDescr: .*/, 'accDescr:');
    expect(diagramAccessible.check(emptyDescription)).toEqual([
      {file: 'docs/02-other.mdx', line: 5, message: expect.stringContaining('no accDescr')},
    ]);
  });
});
