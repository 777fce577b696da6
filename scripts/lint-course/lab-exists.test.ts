import {describe, expect, it} from 'vitest';
import {labExists} from './lab-exists.mjs';
import {brokenCourse, goodCourse} from './fixture';

describe('labExists', () => {
  it('passes a <Lab id> that names a lab of labs/', () => {
    expect(labExists.check(goodCourse())).toEqual([]);
  });

  it('names a <Lab id> that names no lab, and lists the labs there are', () => {
    const course = brokenCourse('docs/01-demo.mdx', '<Lab id="01-demo" />', '<Lab id="01-dmeo" />');
    expect(labExists.check(course)).toEqual([
      {
        file: 'docs/01-demo.mdx',
        line: 20,
        message:
          '<Lab id="01-dmeo"> names no lab: there is no labs/01-dmeo/lab.json with that id. ' +
          'Use one of: 01-demo, 02-other; or create the lab first.',
      },
    ]);
  });

  it('names a <Lab> without an id, or with one that is not a plain string', () => {
    const noId = brokenCourse('docs/01-demo.mdx', '<Lab id="01-demo" />', '<Lab />');
    expect(labExists.check(noId)[0].message).toMatch(/^<Lab> has no id\. Name its lab/);
    const variable = brokenCourse('docs/01-demo.mdx', '<Lab id="01-demo" />', '<Lab id={labId} />');
    expect(labExists.check(variable)[0].message).toMatch(/the variable `labId` .*is not a literal value/);
  });
});
