import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { unzip, zip } from './zip';

const entries = [
  { path: 'docs/02-load-balancer.mdx', content: Buffer.from('# A load balancer\n'.repeat(50)) },
  { path: 'labs/02-load-balancer/files/lb-01/haproxy.cfg', content: Buffer.from('frontend www\n  bind 10.0.0.2:80\n') },
  { path: 'labs/02-load-balancer/empty.txt', content: Buffer.alloc(0) },
  { path: 'docs/é.md', content: Buffer.from('accents in a name\n') },
];

describe('zip', () => {
  it('reads back the same paths and contents, compressed', () => {
    const archive = zip(entries);
    expect(unzip(archive)).toEqual(entries);
    expect(archive.length).toBeLessThan(entries.reduce((sum, entry) => sum + entry.content.length, 0));
  });

  it('makes the same bytes from the same files, whenever it runs', () => {
    expect(zip(entries).equals(zip(entries.map((entry) => ({ ...entry, content: Buffer.from(entry.content) }))))).toBe(true);
  });

  it('refuses what is not a zip, and a damaged one', () => {
    expect(() => unzip(Buffer.from('not a zip at all, not at all'))).toThrow('not a zip archive');
    const damaged = zip(entries.slice(1, 2));
    damaged[30 + entries[1].path.length] ^= 0xff; // the first byte of the compressed data
    expect(() => unzip(damaged)).toThrow();
  });

  it.runIf(hasUnzip())('is read by the unzip program too', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'zip-test-'));
    try {
      writeFileSync(path.join(dir, 'a.zip'), zip(entries));
      expect(execFileSync('unzip', ['-t', path.join(dir, 'a.zip')], { encoding: 'utf8' })).toContain('No errors detected');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

function hasUnzip(): boolean {
  try {
    execFileSync('unzip', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
