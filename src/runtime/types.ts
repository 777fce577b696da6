/**
 * The contracts of the lab runtime. Nothing here knows React, and nothing above `LabBackend` knows which backend
 * it talks to: a WebContainer in the browser, or the local runner on the learner's machine.
 */

/** A file tree to mount: relative POSIX paths to file contents, e.g. `{ 'kit/balancer/index.js': '...' }`. */
export type FileMap = Record<string, string>;

/** Symbolic links to mount: relative POSIX path -> target relative to the link's folder (`{ 'kit/bin/lab': '../lab/index.js' }`). */
export type LinkMap = Record<string, string>;

export type BackendKind = 'webcontainer' | 'local';

/** A process started in the backend: a shell with a terminal, or a command whose output is read. */
export interface LabProcess {
  /** Calls `listener` with every chunk of output (stdout and stderr merged, as a terminal shows them). */
  onOutput(listener: (chunk: string) => void): () => void;
  /** Writes to the process's standard input (keystrokes, for a shell). */
  write(data: string): void;
  /** Resizes the process's terminal; a no-op for a process without one. */
  resize(cols: number, rows: number): void;
  /** Ends the process. */
  kill(): void;
  /** Resolves with the exit code when the process ends, once its output has been handed to the listeners. */
  readonly exit: Promise<number>;
}

export interface SpawnOptions {
  /** Give the process a terminal of this size (a pty); without it, output is plain pipes. */
  terminal?: { cols: number; rows: number };
  /** Extra environment variables. */
  env?: Record<string, string>;
  /** Working directory relative to the workspace root. */
  cwd?: string;
}

/** One place where a lab runs. */
export interface LabBackend {
  readonly kind: BackendKind;
  /** Says in a few words where the lab runs, for the page: "in your browser", "on your machine (127.0.0.1:7300)". */
  readonly label: string;
  /**
   * Gets the backend ready (boots the WebContainer, connects to the runner). Rejects with a message for a person;
   * with a BootTimeoutError (errors.ts) when it is slow rather than broken, and calling boot() again keeps waiting.
   */
  boot(signal?: AbortSignal): Promise<void>;
  /** Writes a file tree into the workspace, creating folders, then the links; existing files with other names are kept. */
  mount(files: FileMap, links?: LinkMap): Promise<void>;
  /** Starts a command, e.g. `spawn('node', ['kit/lab', 'events', '--json'])` or the shell for the terminal. */
  spawn(command: string, args: string[], options?: SpawnOptions): Promise<LabProcess>;
  /** The shell for the terminal, with `lab` on its PATH: `jsh` in a WebContainer, the user's shell locally. */
  shell(options: { cols: number; rows: number }): Promise<LabProcess>;
  readFile(path: string): Promise<string>;
  writeFile(path: string, content: string): Promise<void>;
  /** A URL the page can show in an iframe for a port of the workspace (the lab's entry point), once it listens. */
  previewUrl(port: number): Promise<string>;
  /**
   * Calls `listener` when the backend fails on its own after it booted (a WebContainer's `error` event), with a
   * message for a person; returns the function that unsubscribes. A backend with no such failures may leave it out.
   */
  onError?(listener: (message: string) => void): () => void;
  dispose(): Promise<void>;
}

/** The supervisor's state, as `lab events --json` and `supervise --events` print it (see labs/kit/README.md). */
export interface LabState {
  type: 'state';
  lab: string;
  time: number;
  servers: ServerState[];
  /**
   * The virtual IP, if the lab has one: who holds it, and the servers whose VRRP daemon claims MASTER (two of them
   * during a split brain).
   */
  vip: { address: string; owner: string | null; claimants?: string[] } | null;
  /** The network cuts between servers, each as a sorted pair of names: `[["lb-01", "lb-02"]]`. */
  partitions?: string[][];
}

/**
 * What the supervisor started with `--up --events` prints once the servers have settled: the text `lab up` prints,
 * and the status it would exit with (see labs/kit/lab/README.md).
 */
export interface StartReport {
  type: 'up';
  lab: string;
  code: number;
  text: string;
}

export interface ServerState {
  name: string;
  role: 'balancer' | 'web' | 'app' | 'database';
  state: 'starting' | 'up' | 'down' | 'degraded';
  requests: number;
  services: ServiceState[];
}

export interface ServiceState {
  name: string;
  state: 'starting' | 'up' | 'stopped' | 'exited' | 'killed';
  pid: number | null;
}

/** One check's result, as `lab check --json` prints it. */
export interface CheckResult {
  id: string;
  ok: boolean;
  message: string;
}

/** A subscription to end: xterm.js returns one of these from `onData`. */
export interface Disposable {
  dispose(): void;
}

/**
 * What the runtime needs of a terminal: write output to it, hear its keystrokes, know its size. An xterm.js
 * `Terminal` fits it as it is; so does a handle whose `onData` returns an unsubscribe function.
 */
export interface ITerminal {
  write(data: string): void;
  onData(listener: (data: string) => void): Disposable | (() => void);
  readonly cols: number;
  readonly rows: number;
}

/** The lab's files as the build publishes them for the page, fetched when the learner starts the lab. */
export interface LabWorkspace {
  format: 1;
  lab: string;
  /** The whole workspace: kit, manifest, network table, checks, starter files and their pristine copy. */
  files: FileMap;
  /** The workspace's symbolic links (`lab` on the terminal's PATH: see labs/lab-files.js). */
  links: LinkMap;
  /** The solution overlay: only the files whose solution differs from the starter file. */
  solution: FileMap;
}
