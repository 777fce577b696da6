/**
 * The container's limits hold inside a lab's kit and nowhere else: each thing a WebContainer does not promise is
 * refused with a message, and what it does promise (node with pipes) works.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const PRELOAD = pathToFileURL(path.join(import.meta.dirname, 'container-limits.mjs')).href;
const home = mkdtempSync(path.join(os.tmpdir(), 'container-limits-'));
writeFileSync(path.join(home, 'lab.json'), '{}');
mkdirSync(path.join(home, 'kit'));
writeFileSync(path.join(home, 'kit', 'package.json'), '{ "type": "module" }');
afterAll(() => rmSync(home, { recursive: true, force: true }));

/** Runs `code` as a script of the lab's kit (or of another folder) with the preload; its output and status. */
function run(code: string, folder = 'kit') {
  const script = path.join(home, folder, `script-${Math.random().toString(36).slice(2)}.mjs`);
  mkdirSync(path.dirname(script), { recursive: true });
  writeFileSync(script, code);
  const result = spawnSync(process.execPath, [`--import=${PRELOAD}`, script], { cwd: home, encoding: 'utf8' });
  return { status: result.status, output: result.stdout + result.stderr };
}

const NODE = JSON.stringify(process.execPath);

describe('the container\'s limits', () => {
  it.each([
    ['a detached process', `import { spawn } from 'node:child_process'; spawn(${NODE}, ['-e', ''], { detached: true });`, /detached/],
    ['a file descriptor as stdio', `import { spawn } from 'node:child_process'; spawn(${NODE}, ['-e', ''], { stdio: ['ignore', 1, 2] });`, /standard I\/O other than pipes/],
    ['inherited stdio', `import cp from 'node:child_process'; cp.spawnSync(${NODE}, ['-e', ''], { stdio: 'inherit' });`, /standard I\/O other than pipes/],
    ['a system binary', `import { execFile } from 'node:child_process'; execFile('/bin/true', []);`, /only node can be started/],
    ['a shell', `import { execSync } from 'node:child_process'; execSync('true');`, /child_process\.execSync\(\)/],
    ['fork', `import { fork } from 'node:child_process'; fork('x.js');`, /child_process\.fork\(\)/],
    ['unref', `import { spawn } from 'node:child_process'; spawn(${NODE}, ['-e', '']).unref();`, /ChildProcess\.unref\(\)/],
  ])('refuses %s in a lab\'s kit', (_what, code, message) => {
    const { status, output } = run(code);
    expect(status).not.toBe(0);
    expect(output).toMatch(message);
    expect(output).toMatch(/a WebContainer does not promise this/);
  });

  it('lets node run with pipes, as the supervisor starts the servers', () => {
    const { status, output } = run(`import { spawnSync } from 'node:child_process';
      const child = spawnSync(${NODE}, ['-e', 'console.log("child says hi")'], { stdio: 'pipe', encoding: 'utf8' });
      console.log(child.stdout.trim());`);
    expect(output).toContain('child says hi');
    expect(status).toBe(0);
  });

  it('leaves a program outside a lab\'s kit alone', () => {
    const { status } = run(`import { spawn } from 'node:child_process'; spawn('/bin/true', [], { detached: true, stdio: 'inherit' }).unref();`, 'elsewhere');
    expect(status).toBe(0);
  });
});
