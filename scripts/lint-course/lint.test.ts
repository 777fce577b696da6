import {describe, expect, it} from 'vitest';
import {formatFinding, lint} from './lint.mjs';
import {brokenCourse, goodCourse} from './fixture';

describe('lint', () => {
  it('finds nothing in a course that follows every rule', () => {
    expect(lint(goodCourse())).toEqual([]);
  });

  it('runs every rule and sorts the findings by file and line', () => {
    const course = brokenCourse('docs/01-demo.mdx', '<Lab id="01-demo" />', '<Lab id="01-dmeo" />', {
      'docs/02-other.mdx': '# Another\n\n#### Too deep\n\n<Lab id="02-other" />\n',
    });
    expect(lint(course).map(formatFinding)).toEqual([
      expect.stringMatching(/^docs\/01-demo\.mdx:16: the link \.\/02-other\.mdx#why-it-is-added finds no heading/),
      expect.stringMatching(/^docs\/01-demo\.mdx:20: <Lab id="01-dmeo"> names no lab/),
      expect.stringMatching(/^docs\/02-other\.mdx:1: this chapter has no diagram\./),
      expect.stringMatching(/^docs\/02-other\.mdx:3: this heading is level 4/),
      expect.stringMatching(/^labs\/01-demo\/lab\.json:3: no chapter embeds the lab "01-demo"/),
    ]);
  });

  it('reports a page that MDX cannot read, where it fails, and nothing else until it can be read', () => {
    const findings = lint(
      goodCourse({
        'docs/01-demo.mdx': '# Demo\n\n#### Too deep\n',
        'docs/index.mdx': '# Welcome\n\nAn { unclosed expression\n',
      }),
    );
    expect(findings.map(formatFinding)).toEqual([
      expect.stringMatching(/^docs\/index\.mdx:3: MDX cannot read this page: .*expected a corresponding closing brace/),
    ]);
  });
});
