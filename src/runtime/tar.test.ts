import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tarArchive } from './tar';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'tar-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('tarArchive', () => {
  it('makes an archive that tar extracts, with folders, UTF-8 text and a long path', () => {
    const long = `02-load-balancer/${'deep/'.repeat(20)}file.txt`;
    const files = {
      '02-load-balancer/lb-01/haproxy.cfg': 'global\n    maxconn 100\n',
      '02-load-balancer/web-01/www/index.html': '<h1>héllo — web-01</h1>\n',
      '02-load-balancer/empty.txt': '',
      [long]: 'x'.repeat(1000),
    };
    writeFileSync(path.join(dir, 'lab.tar'), tarArchive(files, new Date('2025-01-01T00:00:00Z')));
    const listing = execFileSync('tar', ['-tf', 'lab.tar'], { cwd: dir, encoding: 'utf8' }).trim().split('\n').sort();
    expect(listing).toEqual(Object.keys(files).sort());
    execFileSync('tar', ['-xf', 'lab.tar'], { cwd: dir });
    for (const [file, content] of Object.entries(files)) expect(readFileSync(path.join(dir, file), 'utf8')).toBe(content);
  });
});
