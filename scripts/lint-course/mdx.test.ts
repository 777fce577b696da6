import {describe, expect, it} from 'vitest';
import {attributeValue, headingIds, jsxElements, parseMdx} from './mdx.mjs';

describe('headingIds', () => {
  it('gives the ids Docusaurus gives: slugs, numbered repeats, {#id}, comment ids, text inside code and JSX', () => {
    const tree = parseMdx(
      [
        '# Title',
        '## Hello {#custom-id}',
        '## Repeat',
        '## Repeat',
        '## With `code` and <span>JSX</span>',
        '## Comment {/* #via-comment */}',
        '## Preemption, and `nopreempt`',
        '```md',
        '## not a heading',
        '```',
      ].join('\n\n'),
    );
    expect(headingIds(tree).map(({id}) => id)).toEqual([
      'title',
      'custom-id',
      'repeat',
      'repeat-1',
      'with-code-and-jsx',
      'via-comment',
      'preemption-and-nopreempt',
    ]);
  });
});

describe('attributeValue', () => {
  const [element] = jsxElements(
    parseMdx('<Demo name="x" bare count={-2} list={[1, "two", `three`, null, {a: true}]} call={f()} />\n'),
    'Demo',
  );

  it('reads strings, bare attributes and literal expressions', () => {
    expect(attributeValue(element, 'name')).toBe('x');
    expect(attributeValue(element, 'bare')).toBe(true);
    expect(attributeValue(element, 'count')).toBe(-2);
    expect(attributeValue(element, 'list')).toEqual([1, 'two', 'three', null, {a: true}]);
    expect(attributeValue(element, 'missing')).toBeUndefined();
  });

  it('refuses to evaluate anything that is not a literal, and says what it met', () => {
    expect(() => attributeValue(element, 'call')).toThrow('a CallExpression on line 1 is not a literal value');
  });
});
