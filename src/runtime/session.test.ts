import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeEach, describe, expect, it } from 'vitest';
import { labWorkspaceFiles } from './fixtures/labs/lab-files.js';
import type { LabPageData } from './lab-data';
import { parseManifest } from './manifest';
import type { KeyValueStorage } from './persistence';
import { BootTimeoutError } from './errors';
import { LabSession, type LabSessionOptions } from './session';
import { FakeBackend, prints } from './testing/fake-backend';
import type { FileMap, ITerminal, LabWorkspace } from './types';

const LAB_DIR = fileURLToPath(new URL('./fixtures/labs/09-fixture-lab', import.meta.url));
const manifest = parseManifest(readFileSync(`${LAB_DIR}/lab.json`, 'utf8'), 'lab.json');
const LAB: LabPageData = { ...manifest, previewPort: 20901, workspaceUrl: '/assets/labs/09-fixture-lab.0123456789.json', workspaceBytes: 1 };
const files: FileMap = labWorkspaceFiles(LAB_DIR);
const solved: FileMap = labWorkspaceFiles(LAB_DIR, { solution: true });
const WORKSPACE: LabWorkspace = { format: 1, lab: LAB.id, files, links: { 'kit/bin/lab': '../lab/index.js' }, solution: { 'lb-01/haproxy.cfg': solved['lb-01/haproxy.cfg'] } };
const SUPPORTED = () => ({ supported: true as const });

const STATE = { type: 'state', lab: LAB.id, time: 1, vip: null, servers: [
  { name: 'lb-01', role: 'balancer', state: 'up', requests: 3, services: [{ name: 'haproxy', state: 'up', pid: 7 }] },
] };

class MemoryStorage implements KeyValueStorage {
  readonly items = new Map<string, string>();
  getItem(key: string) { return this.items.get(key) ?? null; }
  setItem(key: string, value: string) { this.items.set(key, value); }
  removeItem(key: string) { this.items.delete(key); }
}

class FakeTerminal implements ITerminal {
  cols = 120;
  rows = 32;
  readonly output: string[] = [];
  #listener: ((data: string) => void) | null = null;
  write(data: string) { this.output.push(data); }
  onData(listener: (data: string) => void) {
    this.#listener = listener;
    return () => { this.#listener = null; };
  }
  type(data: string) { this.#listener?.(data); }
}

const LISTENS = `12:00:00.000 supervising ${LAB.id} on 127.0.0.1:20900 (pid 7)\n`;

/** What the supervisor prints once the servers have settled: `lab up`'s text, as one JSON document. */
function report(text: string, code = 0): string {
  return `${JSON.stringify({ type: 'up', lab: LAB.id, code, text })}\n`;
}

let backends: FakeBackend[];
let storage: MemoryStorage;

function makeBackend(kind: 'webcontainer' | 'local'): FakeBackend {
  const backend = new FakeBackend(kind, kind === 'local' ? 'on your machine (127.0.0.1:7300)' : 'in your browser');
  backend.scripts.set('node kit/lab supervise', (process) => {
    process.print(LISTENS);
    process.print(report('lab: lb-01, web-01, web-02 are up'));
  });
  backend.scripts.set('node kit/lab restart', prints('restarted\n'));
  backend.scripts.set('node kit/lab reset', (process, fake) => {
    Object.assign(fake.files, Object.fromEntries(LAB.editable.map(({ file }) => [file, files[file]])));
    process.print('restored 4 starter files\n');
    process.end(0);
  });
  backends.push(backend);
  return backend;
}

function session(options: Partial<LabSessionOptions> = {}): LabSession {
  return new LabSession({
    lab: LAB,
    backends: { webcontainer: async () => makeBackend('webcontainer'), local: async () => makeBackend('local') },
    loadWorkspace: async () => WORKSPACE,
    storage,
    support: SUPPORTED,
    ...options,
  });
}

/** Waits until `condition` holds, for what the fakes do in microtasks and timers. */
async function until(condition: () => boolean, what = 'the condition'): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  throw new Error(`timed out waiting for ${what}`);
}

beforeEach(() => {
  backends = [];
  storage = new MemoryStorage();
});

describe('LabSession', () => {
  it('starts in order: backend, boot, mount, restored edits, supervisor, shell; and says so at each phase', async () => {
    storage.setItem('scale-up:lab:09-fixture-lab', JSON.stringify({ version: 1, passed: [], step: 0, edits: { 'web-01/nginx.conf': 'mine' } }));
    const lab = session();
    const phases: string[] = [];
    lab.subscribe(() => {
      const { phase } = lab.getSnapshot().status;
      if (phases.at(-1) !== phase) phases.push(phase);
    });
    await lab.start();
    expect(phases).toEqual(['checking', 'booting', 'mounting', 'starting', 'ready']);
    expect(backends[0].log).toEqual([
      'boot',
      `mount ${Object.keys(files).length} files`,
      'write web-01/nginx.conf',
      // The supervisor prints the lab's states and its start's report itself (--events): no process follows them,
      // and none runs `lab up`.
      'node kit/lab supervise --up --owned --events',
      'jsh (80x24)',
    ]);
    expect(backends[0].links).toEqual({ 'kit/bin/lab': '../lab/index.js' });
    expect(lab.getSnapshot().status).toEqual({ phase: 'ready', backend: 'webcontainer', label: 'in your browser', message: 'The lab is running in your browser.' });
    expect(lab.getSnapshot().files['web-01/nginx.conf']).toEqual({ content: 'mine', saved: 'mine' });
  });

  it('opens the shell while the servers start, and shows its prompt only after the supervisor\'s report', async () => {
    const backend = makeBackend('webcontainer');
    const lab = session({ backends: { webcontainer: async () => backend, local: async () => makeBackend('local') } });
    const terminal = new FakeTerminal();
    lab.attachTerminal(terminal);
    backend.scripts.set('node kit/lab supervise', (process) => process.print(`${LISTENS}12:00:00.100 lb-01/haproxy: stopped -> starting\n`));
    const started = lab.start('webcontainer');
    await until(() => backend.log.includes('jsh (120x32)'), 'the shell to open while the servers start');
    backend.process('jsh').print('$ ');
    expect(terminal.output.join('')).toBe('');
    expect(lab.getSnapshot().status.phase).toBe('starting');
    backend.process('node kit/lab supervise').print(report('SERVER  ROLE\n02 is up'));
    await started;
    expect(terminal.output.join('')).toBe('SERVER  ROLE\n02 is up\n$ ');
    expect(lab.getSnapshot().status.message).toBe('The lab is running in your browser.');
  });

  it('says so when the start\'s report is a failure, and when the supervisor ends before it reports', async () => {
    const failed = makeBackend('webcontainer');
    failed.scripts.set('node kit/lab supervise', (process) => process.print(LISTENS + report('web-01/nginx did not start', 1)));
    const lab = session({ backends: { webcontainer: async () => failed, local: async () => makeBackend('local') } });
    await lab.start('webcontainer');
    expect(lab.getSnapshot().status).toMatchObject({ phase: 'ready', message: expect.stringMatching(/`lab up` reported a problem/) });

    const ended = makeBackend('webcontainer');
    ended.scripts.set('node kit/lab supervise', (process) => {
      process.print(LISTENS);
      process.end(1);
    });
    const other = session({ backends: { webcontainer: async () => ended, local: async () => makeBackend('local') } });
    await other.start('webcontainer');
    expect(other.getSnapshot().status).toMatchObject({ phase: 'error', message: 'The lab\'s supervisor ended (exit status 1) before the servers had started: 12:00:00.000 supervising 09-fixture-lab on 127.0.0.1:20900 (pid 7)' });
  });

  it('keeps the output for a terminal attached late, then connects it to the shell at its size', async () => {
    const lab = session();
    await lab.start();
    const terminal = new FakeTerminal();
    lab.attachTerminal(terminal);
    expect(terminal.output.join('')).toBe('lab: lb-01, web-01, web-02 are up\n');
    const shell = backends[0].process('jsh');
    expect(shell.resizes).toEqual([[120, 32]]);
    shell.print('❯ ');
    terminal.type('lab status\r');
    expect(terminal.output.at(-1)).toBe('❯ ');
    expect(shell.written).toEqual(['lab status\r']);
    lab.resize(90, 20);
    expect(shell.resizes.at(-1)).toEqual([90, 20]);
    expect(lab.getSnapshot().terminal.attached).toBe(true);
  });

  it('reads the lab\'s state from the supervisor\'s output, NDJSON cut anywhere among lines that are not JSON', async () => {
    const lab = session();
    await lab.start();
    const supervisor = backends[0].process('node kit/lab supervise');
    const line = JSON.stringify(STATE);
    const next = JSON.stringify({ ...STATE, time: 2, servers: [{ ...STATE.servers[0], requests: 4 }] });
    supervisor.print(line.slice(0, 20));
    expect(lab.getSnapshot().lab).toBeNull();
    supervisor.print(`${line.slice(20)}\r\n12:00:01.000 web-01 nginx is up\n${next.slice(0, 7)}`);
    expect(lab.getSnapshot().lab?.time).toBe(1);
    supervisor.print(`${next.slice(7)}\n`);
    expect(lab.getSnapshot().lab?.servers[0].requests).toBe(4);
  });

  it('shows the states the supervisor prints while the servers start, before its report', async () => {
    const backend = makeBackend('webcontainer');
    const lab = session({ backends: { webcontainer: async () => backend, local: async () => makeBackend('local') } });
    backend.scripts.set('node kit/lab supervise', (process) => process.print(LISTENS)); // still waiting for the servers
    void lab.start('webcontainer');
    await until(() => backend.log.includes('jsh (80x24)'), 'the shell to open');
    backend.process('node kit/lab supervise').print(`${JSON.stringify(STATE)}\n`);
    expect(lab.getSnapshot().status.phase).toBe('starting');
    expect(lab.getSnapshot().lab?.time).toBe(1);
  });

  it('does not show a lab as running whose supervisor ended right after its report', async () => {
    const backend = makeBackend('webcontainer');
    backend.scripts.set('node kit/lab supervise', (process) => {
      process.print(LISTENS + report('lab: up'));
      process.end(1);
    });
    const lab = session({ backends: { webcontainer: async () => backend, local: async () => makeBackend('local') } });
    await lab.start('webcontainer');
    await until(() => lab.getSnapshot().status.phase === 'error', 'the lab to fail');
    expect(lab.getSnapshot().status.message).toMatch(/supervisor ended \(exit status 1\), and with it every server/);
  });

  it('says so when the supervisor ends, and shows none of its servers as running any more', async () => {
    const lab = session();
    await lab.start();
    const supervisor = backends[0].process('node kit/lab supervise');
    supervisor.print(`${JSON.stringify(STATE)}\n`);
    expect(lab.getSnapshot().lab).not.toBeNull();
    supervisor.end(1);
    await until(() => lab.getSnapshot().status.phase === 'error', 'the lab to fail');
    expect(lab.getSnapshot().status.message).toMatch(/supervisor ended \(exit status 1\)/);
    expect(lab.getSnapshot().lab).toBeNull();
  });

  it('forgets the state when the lab stops, and reads nothing the old supervisor prints after', async () => {
    const lab = session();
    await lab.start();
    const supervisor = backends[0].process('node kit/lab supervise');
    supervisor.print(`${JSON.stringify(STATE)}\n`);
    expect(lab.getSnapshot().lab?.time).toBe(1);
    await lab.stop();
    expect(lab.getSnapshot().lab).toBeNull();
    supervisor.print(`${JSON.stringify({ ...STATE, time: 3 })}\n`);
    expect(lab.getSnapshot().lab).toBeNull();
  });

  it('runs checks, keeps the latest results, and a passed check stays passed in progress', async () => {
    const lab = session();
    await lab.start();
    backends[0].scripts.set('node kit/lab check', prints('warning: slow\n[{"id":"all-up","ok":true,"message":"3 of 3 up"}]\n'));
    expect(await lab.runChecks()).toEqual([{ id: 'all-up', ok: true, message: '3 of 3 up' }]);
    expect(backends[0].log).toContain('node kit/lab check all-up --json');
    backends[0].scripts.set('node kit/lab check', prints('[{"id":"all-up","ok":false,"message":"web-02 is down"}]\n', 1));
    await lab.runChecks(['all-up']);
    const { checks, progress } = lab.getSnapshot();
    expect(checks).toEqual({ results: { 'all-up': { id: 'all-up', ok: false, message: 'web-02 is down' } }, running: [] });
    expect([...progress.passed]).toEqual(['all-up']);
  });

  it('fails every check asked for, with the command\'s words, when `lab check` prints no result', async () => {
    const lab = session();
    await lab.start();
    backends[0].scripts.set('node kit/lab check', prints('lab: the lab is not running: run `lab up`\n', 2));
    expect(await lab.runChecks(['all-up', 'round-robin'])).toEqual(['all-up', 'round-robin'].map((id) => ({
      id, ok: false, message: 'lab check did not report a result (exit code 2): lab: the lab is not running: run `lab up`',
    })));
  });

  it('remembers progress and edits, and puts them back on the next visit', async () => {
    const first = session();
    await first.start();
    backends[0].scripts.set('node kit/lab check', prints('[{"id":"all-up","ok":true,"message":"up"}]\n'));
    await first.runChecks();
    first.setStep(1);
    first.setFileContent('lb-01/haproxy.cfg', 'my config\n');
    await first.dispose();

    const second = session();
    expect(second.getSnapshot().progress).toEqual({ passed: new Set(['all-up']), step: 1 });
    await second.start();
    expect(backends[1].log).toContain('write lb-01/haproxy.cfg');
    expect(backends[1].files['lb-01/haproxy.cfg']).toBe('my config\n');
    expect(second.getSnapshot().files['lb-01/haproxy.cfg'].content).toBe('my config\n');
  });

  it('saves a file to the workspace, then restarts the service that reads it', async () => {
    const lab = session();
    await lab.start();
    lab.setFileContent('lb-01/haproxy.cfg', 'edited\n');
    expect(lab.getSnapshot().files['lb-01/haproxy.cfg']).toEqual({ content: 'edited\n', saved: files['lb-01/haproxy.cfg'] });
    const result = await lab.saveFile('lb-01/haproxy.cfg');
    expect(backends[0].files['lb-01/haproxy.cfg']).toBe('edited\n');
    expect(backends[0].log.slice(-2)).toEqual(['write lb-01/haproxy.cfg', 'node kit/lab restart lb-01 haproxy']);
    expect(result).toEqual({ command: 'lab restart lb-01 haproxy', code: 0, output: 'restarted\n' });
    expect(lab.getSnapshot().action).toEqual({ running: null, last: result });
  });

  it('shows the solution as a diff against the learner\'s files, applies it on request and gives their edits back on undo', async () => {
    const lab = session();
    await lab.start();
    lab.setFileContent('lb-01/haproxy.cfg', 'my attempt\n');
    await lab.saveFile('lb-01/haproxy.cfg');
    const [diff] = lab.solutionFiles();
    expect(diff).toMatchObject({ path: 'lb-01/haproxy.cfg', mine: 'my attempt\n', solution: solved['lb-01/haproxy.cfg'] });
    expect(diff.patch).toContain('-my attempt');
    expect(diff.patch).toContain('+    balance roundrobin');
    expect(backends[0].files['lb-01/haproxy.cfg']).toBe('my attempt\n');

    await lab.applySolution();
    expect(backends[0].files['lb-01/haproxy.cfg']).toBe(solved['lb-01/haproxy.cfg']);
    expect(lab.getSnapshot().solution).toEqual({ available: true, applied: true });
    await lab.undoSolution();
    expect(backends[0].files['lb-01/haproxy.cfg']).toBe('my attempt\n');
    expect(lab.getSnapshot().files['lb-01/haproxy.cfg'].content).toBe('my attempt\n');
    expect(lab.getSnapshot().solution.applied).toBe(false);
  });

  it('resets to the starter files with `lab reset`, and forgets the edits', async () => {
    const lab = session();
    await lab.start();
    lab.setFileContent('lb-01/haproxy.cfg', 'broken\n');
    await lab.saveFile('lb-01/haproxy.cfg');
    await lab.reset();
    expect(backends[0].log).toContain('node kit/lab reset');
    expect(lab.getSnapshot().files['lb-01/haproxy.cfg'].content).toBe(files['lb-01/haproxy.cfg']);
    expect(JSON.parse(storage.getItem('scale-up:lab:09-fixture-lab')!).edits).toEqual({});
  });

  it('switches backend: disposes the first, starts the same lab on the other with the learner\'s edits', async () => {
    const lab = session();
    await lab.start('webcontainer');
    lab.setFileContent('web-01/nginx.conf', 'edited\n');
    await lab.start('local');
    expect(backends.map((b) => b.kind)).toEqual(['webcontainer', 'local']);
    expect(backends[0].disposed).toBe(true);
    expect(backends[0].processes.every((p) => p.killed)).toBe(true);
    expect(backends[1].files['web-01/nginx.conf']).toBe('edited\n');
    expect(lab.getSnapshot().status).toMatchObject({ phase: 'ready', backend: 'local', label: 'on your machine (127.0.0.1:7300)' });
  });

  it('chooses the local runner in a browser that cannot run the lab, and explains a refused in-browser start', async () => {
    const unsupported = () => ({ supported: false as const, reason: 'Safari cannot run the lab in the page yet.' });
    const lab = session({ support: unsupported });
    await lab.start('webcontainer');
    expect(lab.getSnapshot().status).toMatchObject({ phase: 'error', backend: 'webcontainer', message: 'Safari cannot run the lab in the page yet.' });
    expect(backends).toEqual([]);
    await lab.start();
    expect(lab.getSnapshot().status).toMatchObject({ phase: 'ready', backend: 'local' });
  });

  it('reports a backend that cannot boot, in its own words', async () => {
    const lab = session({
      backends: {
        webcontainer: async () => Object.assign(makeBackend('webcontainer'), { bootError: new Error('The lab did not start in your browser within 15 seconds.') }),
        local: async () => makeBackend('local'),
      },
    });
    await lab.start();
    expect(lab.getSnapshot().status).toMatchObject({ phase: 'error', message: 'The lab did not start in your browser within 15 seconds.' });
    await expect(lab.runChecks()).rejects.toThrow('The lab is not running: start it first.');
  });

  it('offers to keep waiting for a slow boot, and goes on with the same start when asked', async () => {
    const backend = Object.assign(makeBackend('webcontainer'), { bootError: new BootTimeoutError('The lab has not started in your browser after 15 seconds.') as Error | null });
    const lab = session({ backends: { webcontainer: async () => backend, local: async () => makeBackend('local') } });
    const started = lab.start('webcontainer');
    await until(() => lab.getSnapshot().status.phase === 'slow', 'the slow phase');
    expect(lab.getSnapshot().status.message).toBe('The lab has not started in your browser after 15 seconds.');
    backend.bootError = null;
    lab.keepWaiting();
    await started;
    expect(lab.getSnapshot().status.phase).toBe('ready');
    expect(backend.log.filter((line) => line === 'boot')).toHaveLength(2);
  });

  it('a learner who stops waiting and runs the lab elsewhere leaves the slow start behind', async () => {
    const slow = Object.assign(makeBackend('webcontainer'), { bootError: new BootTimeoutError('slow') });
    const lab = session({ backends: { webcontainer: async () => slow, local: async () => makeBackend('local') } });
    const first = lab.start('webcontainer');
    await until(() => lab.getSnapshot().status.phase === 'slow', 'the slow phase');
    await lab.start('local');
    await first;
    expect(lab.getSnapshot().status).toMatchObject({ phase: 'ready', backend: 'local' });
    expect(slow.disposed).toBe(true);
  });

  it('says when the supervisor cannot start, with what it printed, and when it ends while the lab runs', async () => {
    const broken = makeBackend('webcontainer');
    broken.scripts.set('node kit/lab supervise', prints('lab supervisor: cannot listen on 127.0.0.1:20900: the port is in use\n', 1));
    const failing = session({ backends: { webcontainer: async () => broken, local: async () => makeBackend('local') } });
    await failing.start();
    expect(failing.getSnapshot().status).toMatchObject({ phase: 'error', message: expect.stringMatching(/^The lab's supervisor ended \(exit status 1\) before the servers had started: lab supervisor: cannot listen/) });

    const lab = session();
    await lab.start();
    backends.at(-1)?.process('node kit/lab supervise').end(1);
    await until(() => lab.getSnapshot().status.phase === 'error', 'the error');
    expect(lab.getSnapshot().status.message).toMatch(/^The lab's supervisor ended \(exit status 1\), and with it every server/);
  });

  it('shows a backend\'s own failure, and Safari\'s word of caution once the lab runs', async () => {
    const lab = session({ support: () => ({ supported: true as const, caution: 'Safari\'s support is in beta.' }) });
    await lab.start();
    expect(lab.getSnapshot().status.message).toBe('The lab is running in your browser. Safari\'s support is in beta.');
    backends[0].fail('The in-browser lab stopped working: out of memory.');
    expect(lab.getSnapshot().status).toMatchObject({ phase: 'error', message: 'The in-browser lab stopped working: out of memory.' });
  });

  it('gives the same snapshot until something changes', async () => {
    const lab = session();
    const before = lab.getSnapshot();
    expect(lab.getSnapshot()).toBe(before);
    await lab.start();
    const ready = lab.getSnapshot();
    expect(ready).not.toBe(before);
    expect(lab.getSnapshot()).toBe(ready);
    lab.setFileContent('lb-01/haproxy.cfg', files['lb-01/haproxy.cfg']);
    expect(lab.getSnapshot()).toBe(ready);
  });

  it('keeps the panel\'s snapshot while only the lab\'s live state changes', async () => {
    const lab = session();
    await lab.start();
    const panel = lab.getPanelSnapshot();
    const whole = lab.getSnapshot();
    backends[0].process('node kit/lab supervise').print(`${JSON.stringify(STATE)}\n`);
    expect(lab.getSnapshot()).not.toBe(whole);
    expect(lab.getSnapshot().lab?.time).toBe(1);
    expect(lab.getPanelSnapshot()).toBe(panel);
    lab.setStep(1);
    expect(lab.getPanelSnapshot()).not.toBe(panel);
    expect(lab.getPanelSnapshot().progress.step).toBe(1);
  });

  it('downloads the learner\'s editable files as a tar archive', async () => {
    const lab = session();
    await lab.start();
    lab.setFileContent('lb-01/haproxy.cfg', 'mine\n');
    const { fileName, mimeType, bytes } = lab.download();
    expect([fileName, mimeType]).toEqual(['09-fixture-lab.tar', 'application/x-tar']);
    const text = new TextDecoder().decode(bytes);
    expect(text.slice(0, 100)).toContain('09-fixture-lab/lb-01/haproxy.cfg');
    expect(text).toContain('mine\n');
  });

  it('disposes cleanly: processes killed, backend let go, listeners no longer called', async () => {
    const lab = session();
    await lab.start();
    let calls = 0;
    lab.subscribe(() => calls++);
    await lab.dispose();
    calls = 0;
    expect(backends[0].disposed).toBe(true);
    expect(backends[0].processes.every((p) => p.killed)).toBe(true);
    lab.setStep(1);
    expect(calls).toBe(0);
  });
});
