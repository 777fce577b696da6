import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportRealStack } from './real-stack';
import { FakeBackend, prints } from './testing/fake-backend';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'real-stack-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const ANSWER = { dir: '/home/lab/export', files: ['README.md', 'compose.yaml', 'run-netns.sh', 'servers/lb-01/haproxy.cfg'], problems: [] };

function exportedBackend(answer: unknown = ANSWER): FakeBackend {
  const backend = new FakeBackend();
  backend.scripts.set('node kit/lab export export --json', prints(`${JSON.stringify(answer)}\n`));
  Object.assign(backend.files, {
    'export/README.md': '# the real stack\n',
    'export/compose.yaml': 'services: {}\n',
    'export/run-netns.sh': '#!/usr/bin/env bash\necho hello\n',
    'export/servers/lb-01/haproxy.cfg': 'frontend www\n',
  });
  return backend;
}

describe('exportRealStack', () => {
  it('runs `lab export` and archives the folder it wrote, the namespace script executable', async () => {
    const backend = exportedBackend();
    const result = await exportRealStack(backend, '02-load-balancer');
    expect(backend.log).toContain('node kit/lab export export --json');
    expect(result.fileName).toBe('02-load-balancer-real-stack.tar');
    writeFileSync(path.join(dir, result.fileName), result.bytes);
    execFileSync('tar', ['-xf', result.fileName], { cwd: dir });
    const root = path.join(dir, '02-load-balancer-real-stack');
    expect(readFileSync(path.join(root, 'servers/lb-01/haproxy.cfg'), 'utf8')).toBe('frontend www\n');
    expect(statSync(path.join(root, 'run-netns.sh')).mode & 0o777).toBe(0o755);
    expect(statSync(path.join(root, 'compose.yaml')).mode & 0o111).toBe(0);
  });

  it('passes on the files that the real programs would refuse', async () => {
    const problems = [{ file: 'lb-01/haproxy.cfg', message: "lb-01/haproxy.cfg:3: 'balance': unknown algorithm" }];
    const result = await exportRealStack(exportedBackend({ ...ANSWER, problems }), '02-load-balancer');
    expect(result.problems).toEqual(problems);
  });

  it('says what `lab export` said when it failed', async () => {
    const backend = new FakeBackend();
    backend.scripts.set('node kit/lab export', prints("lab: lab.json: web-01 runs 'varnish', and lab export knows no real program for it\n", 1));
    await expect(exportRealStack(backend, '02-load-balancer')).rejects.toThrow(/lab export export --json` failed: .*'varnish'/);
  });
});
