import {describe, expect, it} from 'vitest';
import {parseFences, parseMeta} from './chapter-fences.mjs';

describe('parseFences', () => {
  it('reads language, title, attributes, flags, line and body', () => {
    const source = [
      'Text',
      '',
      '```haproxy title="/etc/haproxy/haproxy.cfg" lab="02-load-balancer/solution/lb-01/haproxy.cfg" partial',
      'global',
      '    maxconn 256',
      '```',
      '',
      '```',
      'plain',
      '```',
    ].join('\n');
    const [first, second] = parseFences(source, 'docs/x.mdx');
    expect(first).toMatchObject({
      file: 'docs/x.mdx',
      line: 3,
      lang: 'haproxy',
      title: '/etc/haproxy/haproxy.cfg',
      body: 'global\n    maxconn 256\n',
    });
    expect(first.attrs.lab).toBe('02-load-balancer/solution/lb-01/haproxy.cfg');
    expect([...first.flags]).toEqual(['partial']);
    expect(second).toMatchObject({line: 8, lang: '', body: 'plain\n'});
  });

  it('takes an indented fence out of its indentation and lets a longer fence hold a shorter one', () => {
    const source = ['  ````md', '  ```nginx', '  server {}', '  ```', '  ````', '```sql', 'SELECT 1;', '```'].join('\n');
    const fences = parseFences(source);
    expect(fences.map((fence) => fence.lang)).toEqual(['md', 'sql']);
    expect(fences[0].body).toBe('```nginx\nserver {}\n```\n');
  });

  it('runs a fence left open to the end of the file', () => {
    expect(parseFences('```ini\n[mysqld]\n').map((fence) => fence.body)).toEqual(['[mysqld]\n']);
  });
});

describe('parseMeta', () => {
  it('accepts double, single and bare values, and keeps titles with spaces whole', () => {
    const {attrs, flags} = parseMeta(`title="/etc/keepalived/keepalived.conf (lb-01, added)" lab='05/x' n=3 sketch`);
    expect(attrs).toEqual({title: '/etc/keepalived/keepalived.conf (lb-01, added)', lab: '05/x', n: '3'});
    expect([...flags]).toEqual(['sketch']);
  });
});
