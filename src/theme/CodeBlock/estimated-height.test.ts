import {describe, expect, it} from 'vitest';
import {estimatedHeightEm} from './estimated-height';

describe('estimatedHeightEm', () => {
  it('grows by a line height per line of code, a final newline not counted as a line', () => {
    const one = estimatedHeightEm('listen 80;', {});
    const three = estimatedHeightEm('a\nb\nc\n', {});
    expect(three - one).toBeCloseTo(2 * 1.45 * 0.95, 2);
    expect(estimatedHeightEm('a\nb\nc', {})).toBe(three);
  });
  it('adds a title bar when the block has a title, given or in its meta string', () => {
    const plain = estimatedHeightEm('x', {});
    expect(estimatedHeightEm('x', {title: 'haproxy.cfg'})).toBeGreaterThan(plain);
    expect(estimatedHeightEm('x', {metastring: 'title="haproxy.cfg" {3}'})).toBe(estimatedHeightEm('x', {title: 'a'}));
  });
  it('gives code that is not plain text a few lines', () => {
    expect(estimatedHeightEm(['a', {}] as never, {})).toBe(estimatedHeightEm('1\n2\n3\n4\n5', {}));
  });
});
