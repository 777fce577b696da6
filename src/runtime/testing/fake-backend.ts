/**
 * A backend for tests: an in-memory workspace, and processes whose output the test writes. It records every call,
 * in order, so that a test can assert what the session asked for and when.
 */
import { OutputChannel } from '../output';
import type { BackendKind, FileMap, LabBackend, LabProcess, LinkMap, SpawnOptions } from '../types';

export class FakeProcess implements LabProcess {
  readonly written: string[] = [];
  readonly resizes: [number, number][] = [];
  killed = false;
  readonly exit: Promise<number>;
  readonly #output = new OutputChannel();
  #end!: (code: number) => void;

  constructor(readonly command: string, readonly args: string[], readonly options: SpawnOptions = {}) {
    this.exit = new Promise((resolve) => {
      this.#end = resolve;
    });
  }

  onOutput(listener: (chunk: string) => void): () => void {
    return this.#output.subscribe(listener);
  }
  print(chunk: string): void {
    this.#output.push(chunk);
  }
  end(code = 0): void {
    this.#end(code);
  }
  write(data: string): void {
    this.written.push(data);
  }
  resize(cols: number, rows: number): void {
    this.resizes.push([cols, rows]);
  }
  kill(): void {
    this.killed = true;
    this.#end(137);
  }
}

/** How the fake answers a command: print this and exit with that code, or stay running. */
export type Script = (process: FakeProcess, backend: FakeBackend) => void;

export class FakeBackend implements LabBackend {
  readonly log: string[] = [];
  readonly files: FileMap = {};
  readonly links: LinkMap = {};
  readonly processes: FakeProcess[] = [];
  /** Scripts by command line (`node kit/lab reset`), or by its start (`node kit/lab check`). */
  readonly scripts = new Map<string, Script>();
  bootError: Error | null = null;
  disposed = false;
  readonly #errorListeners = new Set<(message: string) => void>();

  constructor(readonly kind: BackendKind = 'webcontainer', readonly label = 'in your browser') {}

  async boot(): Promise<void> {
    this.log.push('boot');
    if (this.bootError) throw this.bootError;
  }
  async mount(files: FileMap, links: LinkMap = {}): Promise<void> {
    this.log.push(`mount ${Object.keys(files).length} files`);
    Object.assign(this.files, files);
    Object.assign(this.links, links);
  }
  async spawn(command: string, args: string[], options?: SpawnOptions): Promise<LabProcess> {
    return this.#start(command, args, options);
  }
  async shell({ cols, rows }: { cols: number; rows: number }): Promise<LabProcess> {
    return this.#start('jsh', [], { terminal: { cols, rows } });
  }
  async readFile(path: string): Promise<string> {
    if (!(path in this.files)) throw new Error(`ENOENT ${path}`);
    return this.files[path];
  }
  async writeFile(path: string, content: string): Promise<void> {
    this.log.push(`write ${path}`);
    this.files[path] = content;
  }
  async previewUrl(port: number): Promise<string> {
    return `http://preview.test:${port}/`;
  }
  onError(listener: (message: string) => void): () => void {
    this.#errorListeners.add(listener);
    return () => this.#errorListeners.delete(listener);
  }
  /** The backend fails on its own, as a WebContainer's `error` event says. */
  fail(message: string): void {
    for (const listener of [...this.#errorListeners]) listener(message);
  }
  async dispose(): Promise<void> {
    this.log.push('dispose');
    this.disposed = true;
    for (const process of this.processes) process.kill();
  }

  /** The last process started for this command line (or its start). */
  process(line: string): FakeProcess {
    const found = this.processes.filter((p) => [p.command, ...p.args].join(' ').startsWith(line)).at(-1);
    if (!found) throw new Error(`nothing ran ${line}; ran: ${this.processes.map((p) => [p.command, ...p.args].join(' ')).join(', ')}`);
    return found;
  }

  #start(command: string, args: string[], options?: SpawnOptions): FakeProcess {
    const line = [command, ...args].join(' ');
    this.log.push(options?.terminal ? `${line} (${options.terminal.cols}x${options.terminal.rows})` : line);
    const process = new FakeProcess(command, args, options);
    this.processes.push(process);
    const script = [...this.scripts].find(([start]) => line.startsWith(start))?.[1];
    if (script) queueMicrotask(() => script(process, this));
    return process;
  }
}

/** Prints `output` and exits with `code`. */
export const prints = (output: string, code = 0): Script => (process) => {
  process.print(output);
  process.end(code);
};
