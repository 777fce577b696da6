import {describe, expect, it} from 'vitest';
import {headingLinks} from './heading-links.mjs';
import {brokenCourse, goodCourse} from './fixture';

const FILE = 'docs/01-demo.mdx';

describe('headingLinks', () => {
  it('passes links to headings of the same page, of other pages, and to explicit {#id}s', () => {
    expect(headingLinks.check(goodCourse())).toEqual([]);
  });

  it('names a link to a missing heading of the same page, and suggests the closest id', () => {
    const course = brokenCourse(FILE, '(#the-real-thing)', '(#real-thing)');
    expect(headingLinks.check(course)).toEqual([
      {
        file: FILE,
        line: 16,
        message:
          'the link #real-thing finds no heading with the id "real-thing" on this page. ' +
          'Did you mean #the-real-thing? Use an id the page has, or give the heading an explicit {#real-thing}.',
      },
    ]);
  });

  it("names a link to another chapter's missing heading, with or without the extension", () => {
    const course = brokenCourse(FILE, '(./02-other.mdx#why-it-is-added)', '(./02-other#why-add-it)');
    expect(headingLinks.check(course)).toEqual([
      {file: FILE, line: 16, message: expect.stringContaining('finds no heading with the id "why-add-it" in docs/02-other.mdx. Did you mean #why-it-is-added?')},
    ]);
  });

  it('uses the explicit id, not the slug of the text, the numbered ids of repeated headings, and HTML ids', () => {
    const slugOfText = brokenCourse('docs/index.mdx', '01-demo.mdx#lab', '01-demo.mdx#try-it');
    expect(headingLinks.check(slugOfText)).toHaveLength(1);
    const repeated = brokenCourse('docs/index.mdx', /$/, '\n## Step\n\n## Step\n\n<a id="here"></a>[again](#step-1) [three](#step-2) [here](#here)\n');
    expect(headingLinks.check(repeated).map((finding) => finding.message)).toEqual([
      expect.stringMatching(/^the link #step-2 finds no heading .* Did you mean #step\?/),
    ]);
  });

  it('resolves ../ from a subfolder, and leaves other sites and missing pages to the build', () => {
    const course = goodCourse({
      'docs/guide/page.mdx': '# Guide\n\n[ok](../01-demo.mdx#lab) [broken](../02-other.mdx#nope) [site](https://example.com/#x) [gone](./gone.mdx#x)\n',
    });
    expect(headingLinks.check(course)).toEqual([
      {
        file: 'docs/guide/page.mdx',
        line: 3,
        message:
          'the link ../02-other.mdx#nope finds no heading with the id "nope" in docs/02-other.mdx. ' +
          'Use one of its ids: #another, #why-it-is-added.',
      },
    ]);
  });
});
