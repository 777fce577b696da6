import { describe, expect, it } from 'vitest';
import { LineSplitter, parseJsonLines } from './ndjson';
import { parseCheckResults } from './stores/checks';

describe('LineSplitter', () => {
  it('gives whole lines, whatever the chunks, CRLF or LF', () => {
    const lines = new LineSplitter();
    expect(lines.push('{"a":')).toEqual([]);
    expect(lines.push('1}\r')).toEqual([]);
    expect(lines.push('\n{"b":2}\n\n{"c"')).toEqual(['{"a":1}', '{"b":2}']);
    expect(lines.push(':3}')).toEqual([]);
    expect(lines.push('\n')).toEqual(['{"c":3}']);
    expect(lines.push('')).toEqual([]);
  });

  it('keeps the JSON lines and skips the others', () => {
    expect(parseJsonLines(['{"a":1}', 'lab: reconnecting', '[1]'])).toEqual([{ a: 1 }, [1]]);
  });
});

describe('parseCheckResults', () => {
  it('reads the last JSON array of the output and drops malformed entries', () => {
    const output = 'note: [slow]\r\n[{"id":"a","ok":true,"message":"fine"},{"id":"b"}]\r\n';
    expect(parseCheckResults(output, ['a', 'b'], 1)).toEqual([{ id: 'a', ok: true, message: 'fine' }]);
  });
});
