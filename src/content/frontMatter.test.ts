import path from 'node:path';
import {describe, expect, test} from 'vitest';
import {DEFAULT_PARSE_FRONT_MATTER} from '@docusaurus/utils';
import {checkedFrontMatterParser, frontMatterProblems} from './frontMatter';

describe('frontMatterProblems', () => {
  test('accepts the keys Docusaurus reads', () => {
    const frontMatter = {title: 'One server', description: 'x', sidebar_position: 1, pagination_next: null, tags: ['a']};
    expect(frontMatterProblems(frontMatter, 'docs/01-one-server.mdx')).toBeUndefined();
  });

  test('names the file and a mistyped key, and suggests the key that was meant', () => {
    const message = frontMatterProblems({sidebar_positon: 2}, 'docs/02-load-balancer.mdx');
    expect(message).toContain('Invalid front matter in docs/02-load-balancer.mdx');
    expect(message).toContain('sidebar_positon: not a front matter key; did you mean sidebar_position?');
    expect(message).toContain('src/content/frontMatter.ts');
  });

  test('names a value of the wrong type', () => {
    expect(frontMatterProblems({sidebar_position: 'first'}, 'docs/x.mdx')).toMatch(/sidebar_position: .*number/i);
  });
});

describe('checkedFrontMatterParser', () => {
  const parse = checkedFrontMatterParser('docs');
  const run = (filePath: string, fileContent: string) =>
    parse({filePath: path.resolve(filePath), fileContent, defaultParseFrontMatter: DEFAULT_PARSE_FRONT_MATTER});

  test('returns the front matter and content of a valid doc', async () => {
    const result = await run('docs/x.mdx', '---\ntitle: X\n---\n\n# X\n');
    expect(result.frontMatter).toEqual({title: 'X'});
  });

  test('rejects a doc with an unknown key, naming it', async () => {
    await expect(run('docs/x.mdx', '---\ntitel: X\n---\n')).rejects.toThrow(/docs\/x\.mdx[\s\S]*titel/);
  });

  test('rejects front matter that is not YAML, naming the file', async () => {
    await expect(run('docs/x.mdx', '---\ntitle: a: b\n---\n')).rejects.toThrow('The front matter of docs/x.mdx is not valid YAML');
  });

  test('leaves Markdown outside docs/ to Docusaurus', async () => {
    const result = await run('src/pages/about.md', '---\nwrapperClassName: wide\n---\n');
    expect(result.frontMatter).toEqual({wrapperClassName: 'wide'});
  });
});
