import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { JSH_INTERACTIVE, type WebContainerBackend as Backend, type WebContainerClass } from './webcontainer';

/** A stand-in for a WebContainer process: output the test pushes, input and resizes it records. */
class FakeProcess {
  readonly written: string[] = [];
  readonly resizes: { cols: number; rows: number }[] = [];
  killed = false;
  #push!: ReadableStreamDefaultController<string>;
  #end!: (code: number) => void;
  readonly output = new ReadableStream<string>({ start: (controller) => { this.#push = controller; } });
  readonly input = new WritableStream<string>({ write: (chunk) => { this.written.push(chunk); } });
  readonly exit = new Promise<number>((resolve) => { this.#end = resolve; });

  print(chunk: string): void {
    this.#push.enqueue(chunk);
  }
  end(code = 0): void {
    this.#push.close();
    this.#end(code);
  }
  resize(size: { cols: number; rows: number }): void {
    this.resizes.push(size);
  }
  kill(): void {
    this.killed = true;
    this.end(137);
  }
}

/** A stand-in for a booted WebContainer that records what it is asked to mount and spawn. */
class FakeContainer {
  readonly path = '/usr/local/bin:/usr/bin:/bin';
  readonly workdir = '/home/scale-up';
  readonly mounts: { tree: unknown; options?: { mountPoint?: string } }[] = [];
  readonly spawns: { command: string; args: string[]; options: any; process: FakeProcess }[] = [];
  readonly files = new Map<string, string>();
  readonly folders = new Set<string>();
  readonly listeners: Record<string, ((...args: any[]) => void)[]> = { port: [], 'server-ready': [], error: [] };
  readonly fs = {
    readFile: async (path: string) => this.files.get(path) ?? Promise.reject(new Error(`ENOENT: ${path}`)),
    writeFile: async (path: string, data: string) => void this.files.set(path, data),
    mkdir: async (path: string) => (this.folders.add(path), path),
  };
  async mount(tree: unknown, options?: { mountPoint?: string }) {
    this.mounts.push({ tree, options });
  }
  async spawn(command: string, args: string[], options: any) {
    const process = new FakeProcess();
    this.spawns.push({ command, args, options, process });
    return process as any;
  }
  on(event: string, listener: (...args: any[]) => void) {
    this.listeners[event].push(listener);
    return () => undefined;
  }
  emit(event: string, ...args: unknown[]) {
    for (const listener of this.listeners[event]) listener(...args);
  }
}

let container: FakeContainer;
let boots: unknown[];
let hang: boolean;
const FakeWebContainer: WebContainerClass = {
  async boot(options) {
    boots.push(options);
    if (hang) return new Promise(() => undefined);
    return container as any;
  },
};

/** A fresh copy of the module for each test: one page load. */
async function backendFor(root: string, options: { bootTimeoutMs?: number } = {}): Promise<Backend> {
  const { WebContainerBackend } = await import('./webcontainer');
  return new WebContainerBackend({ root, loadApi: async () => FakeWebContainer, ...options });
}

beforeEach(() => {
  vi.resetModules();
  container = new FakeContainer();
  boots = [];
  hang = false;
});
afterEach(() => vi.useRealTimers());

describe('WebContainerBackend', () => {
  it('boots the container once per page, even for two labs', async () => {
    const first = await backendFor('02-load-balancer');
    const second = await backendFor('05-vrrp');
    await Promise.all([first.boot(), second.boot()]);
    await first.boot();
    expect(boots).toEqual([{ coep: 'require-corp', workdirName: 'scale-up' }]);
    expect([...container.folders]).toEqual(['02-load-balancer', '05-vrrp']);
  });

  it('mounts the files it is given as a tree, in the lab\'s own folder', async () => {
    const backend = await backendFor('02-load-balancer');
    await backend.boot();
    await backend.mount({ 'lab.json': '{}', 'lb-01/haproxy.cfg': 'global\n', 'kit/lib/network.js': '//' });
    expect(container.mounts).toEqual([{
      options: { mountPoint: '02-load-balancer' },
      tree: {
        'lab.json': { file: { contents: '{}' } },
        'lb-01': { directory: { 'haproxy.cfg': { file: { contents: 'global\n' } } } },
        kit: { directory: { lib: { directory: { 'network.js': { file: { contents: '//' } } } } } },
      },
    }]);
  });

  it('spawns jsh with the terminal\'s size and the kit\'s bin folder first on PATH', async () => {
    const backend = await backendFor('02-load-balancer');
    await backend.boot();
    await backend.shell({ cols: 120, rows: 30 });
    expect(container.spawns[0]).toMatchObject({
      command: 'jsh',
      args: [],
      options: {
        cwd: '02-load-balancer',
        terminal: { cols: 120, rows: 30 },
        env: { PATH: '/home/scale-up/02-load-balancer/kit/bin:/usr/local/bin:/usr/bin:/bin' },
      },
    });
  });

  it('passes keystrokes in, output out (even output printed before anyone listened), and resizes reach the process', async () => {
    const backend = await backendFor('02-load-balancer');
    await backend.boot();
    const shell = await backend.shell({ cols: 80, rows: 24 });
    const fake = container.spawns[0].process;
    fake.print('welcome\r\n');
    await new Promise((resolve) => setTimeout(resolve, 0));
    const seen: string[] = [];
    shell.onOutput((chunk) => seen.push(chunk));
    fake.print(`${JSH_INTERACTIVE}❯ `);
    await new Promise((resolve) => setTimeout(resolve, 0));
    shell.write('lab status\r');
    shell.resize(100, 40);
    fake.end(0);
    expect(await shell.exit).toBe(0);
    expect(seen).toEqual(['welcome\r\n', `${JSH_INTERACTIVE}❯ `]);
    expect(fake.written).toEqual(['lab status\r']);
    expect(fake.resizes).toEqual([{ cols: 100, rows: 40 }]);
  });

  it('runs commands in the lab\'s folder, and reads and writes files there', async () => {
    const backend = await backendFor('02-load-balancer');
    await backend.boot();
    await backend.spawn('node', ['kit/lab', 'up'], { cwd: 'lb-01' });
    expect(container.spawns[0]).toMatchObject({ command: 'node', args: ['kit/lab', 'up'], options: { cwd: '02-load-balancer/lb-01' } });
    await backend.writeFile('lb-01/haproxy.cfg', 'defaults\n');
    expect(container.files.get('02-load-balancer/lb-01/haproxy.cfg')).toBe('defaults\n');
    expect(container.folders.has('02-load-balancer/lb-01')).toBe(true);
    expect(await backend.readFile('lb-01/haproxy.cfg')).toBe('defaults\n');
    await expect(backend.readFile('../05-vrrp/lab.json')).rejects.toThrow('is not a path inside the lab');
  });

  it('gives the preview URL of a port once it opens', async () => {
    const backend = await backendFor('02-load-balancer');
    await backend.boot();
    container.emit('port', 20211, 'open', 'https://x--20211.example');
    expect(await backend.previewUrl(20211)).toBe('https://x--20211.example');
    const later = backend.previewUrl(20201);
    container.emit('server-ready', 20201, 'https://x--20201.example');
    expect(await later).toBe('https://x--20201.example');
  });

  it('holds keystrokes until jsh says it is interactive (OSC 654), even when the sequence comes in two pieces', async () => {
    const backend = await backendFor('02-load-balancer');
    await backend.boot();
    const shell = await backend.shell({ cols: 80, rows: 24 });
    const fake = container.spawns[0].process;
    shell.write('lab ');
    shell.write('ps\r');
    fake.print('\x1b]654;inter');
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(fake.written).toEqual([]);
    fake.print('active\x07❯ ');
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(fake.written).toEqual(['lab ', 'ps\r']);
    shell.write('lab curl\r');
    expect(fake.written.at(-1)).toBe('lab curl\r');
  });

  it('sends held keystrokes anyway when jsh never says it is interactive', async () => {
    vi.useFakeTimers();
    const backend = await backendFor('02-load-balancer');
    await backend.boot();
    const shell = await backend.shell({ cols: 80, rows: 24 });
    shell.write('lab ps\r');
    await vi.advanceTimersByTimeAsync(9_999);
    expect(container.spawns[0].process.written).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(container.spawns[0].process.written).toEqual(['lab ps\r']);
  });

  it('mounts links as symlink nodes, and refuses a link that leads out of the lab', async () => {
    const backend = await backendFor('02-load-balancer');
    await backend.boot();
    await backend.mount({ 'kit/lab/index.js': '//' }, { 'kit/bin/lab': '../lab/index.js' });
    expect(container.mounts[0].tree).toEqual({
      kit: { directory: {
        lab: { directory: { 'index.js': { file: { contents: '//' } } } },
        bin: { directory: { lab: { file: { symlink: '../lab/index.js' } } } },
      } },
    });
    for (const target of ['../../../etc/passwd', '/bin/sh', '']) {
      await expect(backend.mount({}, { 'kit/bin/lab': target })).rejects.toThrow(/is not a path inside the lab's folder/);
    }
  });

  it('tells of the container\'s own errors', async () => {
    const backend = await backendFor('02-load-balancer');
    await backend.boot();
    const heard: string[] = [];
    const stop = backend.onError((message) => heard.push(message));
    container.emit('error', { message: 'out of memory' });
    stop();
    container.emit('error', { message: 'again' });
    expect(heard).toEqual(['The in-browser lab stopped working: out of memory. Start it again, or run it on your own machine.']);
  });

  it('a boot past the watchdog\'s time is a BootTimeoutError; booting again keeps waiting for the same container', async () => {
    vi.useFakeTimers();
    let finish: (value: unknown) => void = () => undefined;
    const slowApi: WebContainerClass = { boot: () => new Promise((resolve) => { boots.push('slow'); finish = resolve; }) as any };
    const { WebContainerBackend } = await import('./webcontainer');
    const { BootTimeoutError } = await import('../errors');
    const backend = new WebContainerBackend({ root: '02-load-balancer', loadApi: async () => slowApi, bootTimeoutMs: 15_000 });
    const first = backend.boot();
    const outcome = expect(first).rejects.toBeInstanceOf(BootTimeoutError);
    await vi.advanceTimersByTimeAsync(15_000);
    await outcome;
    const second = backend.boot();
    finish(container);
    await second;
    expect(boots).toEqual(['slow']);
  });

  it('gives up on a boot that never settles within the watchdog\'s time, saying what to do', async () => {
    vi.useFakeTimers();
    hang = true;
    const backend = await backendFor('02-load-balancer', { bootTimeoutMs: 15_000 });
    const booting = backend.boot();
    const outcome = expect(booting).rejects.toThrow(/has not started in your browser after 15 seconds[\s\S]*keep waiting[\s\S]*run the lab on your own machine/);
    await vi.advanceTimersByTimeAsync(14_999);
    let settled = false;
    void booting.catch(() => { settled = true; });
    await Promise.resolve();
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await outcome;
  });

  it('kills the processes it started when disposed', async () => {
    const backend = await backendFor('02-load-balancer');
    await backend.boot();
    await backend.spawn('node', ['kit/lab', 'events', '--json']);
    await backend.shell({ cols: 80, rows: 24 });
    await backend.dispose();
    expect(container.spawns.map((s) => s.process.killed)).toEqual([true, true]);
    await expect(backend.spawn('node', [])).rejects.toThrow('This lab session has ended');
  });
});
