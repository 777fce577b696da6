/**
 * The WebContainer backend: the lab runs in the learner's browser tab.
 *
 * A page can run one WebContainer, and booting one is slow, so it is booted once per page, as a module-level promise
 * that every lab on the page shares. Nothing happens at import: the first `boot()` starts it, and the component side
 * loads this module only in the browser (BrowserOnly + React.lazy), never during server rendering.
 * Each lab gets its own folder of the container (its id), so two labs on one page do not mix their files.
 */
import type { BootOptions, FileSystemTree, WebContainerProcess } from '@webcontainer/api';
import { BootTimeoutError } from '../errors';
import { OutputChannel } from '../output';
import type { FileMap, LabBackend, LabProcess, LinkMap, SpawnOptions } from '../types';

/** What this backend uses of a booted WebContainer; tests pass a double with the same shape. */
export interface WebContainerLike {
  readonly path: string;
  readonly workdir: string;
  mount(tree: FileSystemTree, options?: { mountPoint?: string }): Promise<void>;
  spawn(command: string, args: string[], options?: {
    cwd?: string;
    env?: Record<string, string>;
    terminal?: { cols: number; rows: number };
  }): Promise<WebContainerProcess>;
  on(event: 'port', listener: (port: number, type: 'open' | 'close', url: string) => void): () => void;
  on(event: 'server-ready', listener: (port: number, url: string) => void): () => void;
  on(event: 'error', listener: (error: { message: string }) => void): () => void;
  fs: {
    readFile(path: string, encoding: 'utf-8'): Promise<string>;
    writeFile(path: string, data: string): Promise<void>;
    mkdir(path: string, options: { recursive: true }): Promise<string>;
  };
}

/** The `WebContainer` class, or a double of it. */
export interface WebContainerClass {
  boot(options?: BootOptions): Promise<WebContainerLike>;
}

export interface WebContainerBackendOptions {
  /** The lab's folder in the container, relative to its working directory: the lab's id. */
  root: string;
  /** Loads the WebContainer class; by default from `@webcontainer/api`, on first boot only. */
  loadApi?: () => Promise<WebContainerClass>;
  /** How long to wait for the container before giving up: offline, `WebContainer.boot()` never settles. */
  bootTimeoutMs?: number;
  /** Must match the Cross-Origin-Embedder-Policy header the site is served with (static/_headers, vercel.json). */
  coep?: BootOptions['coep'];
}

/** The page's one container, with the preview URLs of the ports its processes listen on. */
interface PageContainer {
  container: WebContainerLike;
  urls: Map<number, string>;
  waiters: Set<() => void>;
  /** Who hears of the container's own errors (its `error` event). */
  errorListeners: Set<(message: string) => void>;
}

let pageContainer: Promise<PageContainer> | undefined;

const DEFAULT_BOOT_TIMEOUT_MS = 15_000;
const loadWebContainer = async (): Promise<WebContainerClass> => (await import('@webcontainer/api')).WebContainer;

/** Downloads the WebContainer API's code ahead of a boot (the learner is about to start a lab); boots nothing. */
export function prefetchWebContainerApi(): void {
  loadWebContainer().catch(() => undefined); // a failure shows at the boot, which loads it again
}

export class WebContainerBackend implements LabBackend {
  readonly kind = 'webcontainer' as const;
  readonly label = 'in your browser';
  readonly #options: Required<WebContainerBackendOptions>;
  readonly #processes = new Set<LabProcess>();
  #page: PageContainer | undefined;
  #disposed = false;

  constructor(options: WebContainerBackendOptions) {
    this.#options = { loadApi: loadWebContainer, bootTimeoutMs: DEFAULT_BOOT_TIMEOUT_MS, coep: 'require-corp', ...options };
    checkPath(options.root);
  }

  async boot(signal?: AbortSignal): Promise<void> {
    pageContainer ??= bootPageContainer(this.#options);
    const booting = pageContainer;
    // A boot that fails may be retried later; one that hangs is kept, as a page may only ever call boot() once at a time.
    booting.catch(() => {
      if (pageContainer === booting) pageContainer = undefined;
    });
    this.#page = await watchdog(booting, this.#options.bootTimeoutMs, signal);
    await this.#page.container.fs.mkdir(this.#options.root, { recursive: true });
  }

  async mount(files: FileMap, links: LinkMap = {}): Promise<void> {
    await this.#container().mount(toFileSystemTree(files, links), { mountPoint: this.#options.root });
  }

  async spawn(command: string, args: string[], options: SpawnOptions = {}): Promise<LabProcess> {
    const cwd = options.cwd ? `${this.#options.root}/${checkPath(options.cwd)}` : this.#options.root;
    const spawned = await this.#container().spawn(command, args, { cwd, env: options.env, terminal: options.terminal });
    const process = wrapProcess(spawned);
    this.#processes.add(process);
    const forget = () => this.#processes.delete(process);
    process.exit.then(forget, forget);
    return process;
  }

  /**
   * jsh, with the workspace's kit/bin first on PATH, so that `lab` runs the kit's `lab` command from any folder.
   * Why PATH: jsh looks commands up on PATH like any shell, and `WebContainer.path` is documented as the default PATH
   * that `env` may replace for one process; each lab's shell gets its own, so two labs on one page each find their
   * own kit. A shim in node_modules/.bin would also need PATH to reach the lab's folder, and one ~/.jshrc alias
   * would be shared by every lab of the page. What jsh runs from PATH is JavaScript, as npm's node_modules/.bin
   * links are; it honours no other shebang (stackblitz/webcontainer-core#1184) and cannot run a shell-script shim
   * (#1519): kit/bin/lab must be a JavaScript file, and `node kit/lab` works in any case.
   */
  async shell({ cols, rows }: { cols: number; rows: number }): Promise<LabProcess> {
    const container = this.#container();
    const kitBin = `${container.workdir}/${this.#options.root}/kit/bin`;
    return holdInputUntilInteractive(await this.spawn('jsh', [], { terminal: { cols, rows }, env: { PATH: `${kitBin}:${container.path}` } }));
  }

  async readFile(path: string): Promise<string> {
    return this.#container().fs.readFile(`${this.#options.root}/${checkPath(path)}`, 'utf-8');
  }

  async writeFile(path: string, content: string): Promise<void> {
    const file = `${this.#options.root}/${checkPath(path)}`;
    const folder = file.slice(0, file.lastIndexOf('/'));
    await this.#container().fs.mkdir(folder, { recursive: true });
    await this.#container().fs.writeFile(file, content);
  }

  /** The container's URL for a port once something listens on it (WebContainer's `port` / `server-ready` events). */
  async previewUrl(port: number): Promise<string> {
    const page = this.#pageContainer();
    for (;;) {
      const url = page.urls.get(port);
      if (url) return url;
      await new Promise<void>((resolve) => {
        const wake = () => {
          page.waiters.delete(wake);
          resolve();
        };
        page.waiters.add(wake);
      });
      if (this.#disposed) throw new Error('The lab was stopped before its entry point started listening.');
    }
  }

  onError(listener: (message: string) => void): () => void {
    const listeners = this.#pageContainer().errorListeners;
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  }

  /** Ends this lab's processes. The container stays booted for the page's other labs and for a restart. */
  async dispose(): Promise<void> {
    this.#disposed = true;
    for (const process of this.#processes) process.kill();
    this.#processes.clear();
    for (const wake of [...(this.#page?.waiters ?? [])]) wake();
  }

  #pageContainer(): PageContainer {
    if (this.#disposed) throw new Error('This lab session has ended: start the lab again.');
    if (!this.#page) throw new Error('The in-browser lab is not booted yet: call boot() first.');
    return this.#page;
  }

  #container(): WebContainerLike {
    return this.#pageContainer().container;
  }
}

async function bootPageContainer(options: Required<WebContainerBackendOptions>): Promise<PageContainer> {
  let container: WebContainerLike;
  try {
    const api = await options.loadApi();
    container = await api.boot({ coep: options.coep, workdirName: 'scale-up' });
  } catch (error) {
    throw new Error(`The lab could not start in your browser: ${(error as Error).message}. ${RUN_LOCALLY}`);
  }
  const page: PageContainer = { container, urls: new Map(), waiters: new Set(), errorListeners: new Set() };
  container.on('error', ({ message }) => {
    for (const listener of [...page.errorListeners]) listener(`The in-browser lab stopped working: ${message}. Start it again, or run it on your own machine.`);
  });
  const changed = () => {
    for (const wake of [...page.waiters]) wake();
  };
  container.on('port', (port, type, url) => {
    if (type === 'open') page.urls.set(port, url);
    else page.urls.delete(port);
    changed();
  });
  container.on('server-ready', (port, url) => {
    page.urls.set(port, url);
    changed();
  });
  return page;
}

const RUN_LOCALLY = 'You can run the lab on your own machine instead, with the lab runner: see below.';

/** Rejects when `promise` has not settled within `ms`, or when `signal` aborts. */
function watchdog<T>(promise: Promise<T>, ms: number, signal?: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const seconds = Math.round(ms / 1000);
    const timer = setTimeout(() => {
      reject(new BootTimeoutError(`The lab has not started in your browser after ${seconds} seconds. The in-browser runtime is` +
        ' downloaded when a lab first starts: on a slow connection, keep waiting; offline, or behind a filter that blocks it' +
        ` (some privacy and cookie blockers do), it will not come. ${RUN_LOCALLY}`));
    }, ms);
    const abort = () => reject(signal?.reason instanceof Error ? signal.reason : new Error('The lab was stopped while it started.'));
    if (signal?.aborted) abort();
    signal?.addEventListener('abort', abort, { once: true });
    promise.then(resolve, reject).finally(() => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', abort);
    });
  });
}

/** How long `exit` waits for the end of the output after the process ended (a background child may hold it open). */
const OUTPUT_DRAIN_MS = 200;

function wrapProcess(spawned: WebContainerProcess): LabProcess {
  const output = new OutputChannel();
  const drained = spawned.output.pipeTo(new WritableStream({ write: (chunk) => output.push(chunk) })).catch(() => undefined);
  const input = spawned.input.getWriter();
  const exit = spawned.exit.then(async (code) => {
    await Promise.race([drained, new Promise((resolve) => setTimeout(resolve, OUTPUT_DRAIN_MS))]);
    return code;
  });
  return {
    onOutput: (listener) => output.subscribe(listener),
    // A write after the process ended is dropped: the keystroke has nowhere to go.
    write: (data) => void input.write(data).catch(() => undefined),
    resize: (cols, rows) => spawned.resize({ cols, rows }),
    kill: () => spawned.kill(),
    exit,
  };
}

/**
 * jsh says that it reads commands with an OSC 654 "interactive" sequence; keystrokes sent before it are lost, so they
 * wait until then (as TutorialKit does). Should the sequence never come, they go anyway after INTERACTIVE_WAIT_MS.
 * The shell's output passes through a channel of this wrapper's own, which keeps what comes before the session
 * listens, as every process's output does.
 */
export const JSH_INTERACTIVE = '\x1b]654;interactive\x07';
const INTERACTIVE_WAIT_MS = 10_000;

export function holdInputUntilInteractive(shell: LabProcess, waitMs = INTERACTIVE_WAIT_MS): LabProcess {
  const output = new OutputChannel();
  let held: string[] | null = [];
  let tail = '';
  const release = () => {
    const keys = held ?? [];
    held = null;
    clearTimeout(timer);
    for (const data of keys) shell.write(data);
  };
  const timer = setTimeout(release, waitMs);
  shell.onOutput((chunk) => {
    if (held) {
      // The sequence may be split across chunks: keep the tail that could be its start.
      tail = (tail + chunk).slice(-64);
      if (tail.includes(JSH_INTERACTIVE)) release();
    }
    output.push(chunk);
  });
  void shell.exit.finally(() => clearTimeout(timer));
  return {
    onOutput: (listener) => output.subscribe(listener),
    write: (data) => (held ? held.push(data) : shell.write(data)),
    resize: (cols, rows) => shell.resize(cols, rows),
    kill: () => shell.kill(),
    exit: shell.exit,
  };
}

/**
 * `{ 'lb-01/haproxy.cfg': '...' }` -> `{ 'lb-01': { directory: { 'haproxy.cfg': { file: { contents: '...' } } } } }`,
 * and a link `{ 'kit/bin/lab': '../lab/index.js' }` -> a symlink node `{ file: { symlink: '../lab/index.js' } }`.
 */
export function toFileSystemTree(files: FileMap, links: LinkMap = {}): FileSystemTree {
  const tree: FileSystemTree = {};
  const entries: [string, { contents: string } | { symlink: string }][] = [
    ...Object.entries(files).map(([path, contents]) => [path, { contents }] as [string, { contents: string }]),
    ...Object.entries(links).map(([path, target]) => [path, { symlink: checkLinkTarget(path, target) }] as [string, { symlink: string }]),
  ];
  for (const [path, file] of entries) {
    const parts = checkPath(path).split('/');
    const name = parts.pop() as string;
    let folder = tree;
    for (const part of parts) {
      const node = (folder[part] ??= { directory: {} });
      if (!('directory' in node)) throw new Error(`Cannot mount ${path}: ${part} is both a file and a folder`);
      folder = node.directory;
    }
    if (folder[name]) throw new Error(`Cannot mount ${path}: it is both a file and a folder`);
    folder[name] = 'symlink' in file ? { file: { symlink: file.symlink } } : { file: { contents: file.contents } };
  }
  return tree;
}

/** Refuses a link whose target is absolute or leads out of the lab's folder. */
function checkLinkTarget(link: string, target: string): string {
  const outside = new Error(`Cannot mount the link ${link}: its target "${target}" is not a path inside the lab's folder`);
  if (target === '' || target.startsWith('/')) throw outside;
  const folder = checkPath(link).split('/').slice(0, -1);
  for (const part of target.split('/')) {
    if (part === '..' && folder.pop() === undefined) throw outside;
    if (part !== '..' && part !== '.' && part !== '') folder.push(part);
  }
  return target;
}

/** Refuses a path that is absolute or climbs out of the lab's folder. */
function checkPath(path: string): string {
  if (path === '' || path.startsWith('/') || path.split('/').some((part) => part === '..' || part === '')) {
    throw new Error(`"${path}" is not a path inside the lab: write it relative to the lab's folder, without ..`);
  }
  return path;
}
