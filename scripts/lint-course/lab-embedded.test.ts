import {describe, expect, it} from 'vitest';
import {labEmbedded} from './lab-embedded.mjs';
import {brokenCourse, goodCourse} from './fixture';

describe('labEmbedded', () => {
  it('passes when every lab is in a chapter', () => {
    expect(labEmbedded.check(goodCourse())).toEqual([]);
  });

  it("names a lab that no chapter embeds at its manifest's id, even when another page shows it", () => {
    const course = brokenCourse('docs/02-other.mdx', '<Lab id="02-other" />', '', {
      'docs/index.mdx': '# Welcome\n\n<Lab id="02-other" />\n',
    });
    expect(labEmbedded.check(course)).toEqual([
      {
        file: 'labs/02-other/lab.json',
        line: 1,
        message: expect.stringMatching(/^no chapter embeds the lab "02-other", so no learner can open it\. Put <Lab id="02-other" \/>/),
      },
    ]);
  });
});
