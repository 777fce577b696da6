/**
 * LabSession: one lab on the page, driven through a backend. A facade over small stores (status, terminal, lab
 * state, checks, progress, files, solution, workspace, actions), in the manner of TutorialKit's TutorialStore: the
 * page reads one immutable snapshot (React's useSyncExternalStore) and calls the actions; it never sees a backend.
 *
 * Start: choose a backend -> boot -> mount the workspace, then the learner's restored edits -> start the lab's
 * supervisor, which the page owns for the life of the lab, and follow the states it prints; open the shell meanwhile
 * -> the supervisor's report of the start (what `lab up` prints) in the terminal -> the shell's prompt. Stop ends
 * the supervisor, and with it every server.
 */
import { BootTimeoutError } from './errors';
import { loadWorkspace, type LabPageData } from './lab-data';
import type { CommandResult } from './lab-command';
import { LabMemory, type KeyValueStorage } from './persistence';
import { ActionsStore, type ActionState } from './stores/actions';
import { ChecksStore, type ChecksState } from './stores/checks';
import { FilesStore, type FilesState } from './stores/files';
import { LabStateStore } from './stores/lab-state';
import { ProgressStore, type ProgressState } from './stores/progress';
import { SolutionStore, solutionFiles, type SolutionFile } from './stores/solution';
import { StatusStore, type StatusState } from './stores/status';
import { TerminalStore } from './stores/terminal';
import { WorkspaceStore } from './stores/workspace';
import { chooseBackend, detectSupport, type Support } from './support';
import { tarArchive } from './tar';
import { exportRealStack, type RealStackExport } from './real-stack';
import type { CountsAt } from './traffic';
import type { BackendKind, CheckResult, FileMap, ITerminal, LabBackend, LabProcess, LabState, LabWorkspace, StartReport } from './types';

/** Makes a backend of each kind; the page passes loaders that import a backend's module only when it is chosen. */
export type BackendFactories = Record<BackendKind, () => Promise<LabBackend>>;

export interface LabSessionOptions {
  lab: LabPageData;
  backends: BackendFactories;
  /** Fetches the lab's workspace; by default from `lab.workspaceUrl`. */
  loadWorkspace?: () => Promise<LabWorkspace>;
  /** Where progress and edits are remembered; by default localStorage; null to remember nothing. */
  storage?: KeyValueStorage | null;
  /** Whether this browser can run the lab in the page; by default detected. */
  support?: () => Support;
}

export interface LabSessionSnapshot {
  status: StatusState;
  terminal: { readonly attached: boolean };
  lab: LabState | null;
  /** The request counts seen lately, for each server's recent share of the traffic (see traffic.ts). */
  traffic: readonly CountsAt[];
  checks: ChecksState;
  progress: ProgressState;
  files: FilesState;
  solution: { readonly available: boolean; readonly applied: boolean };
  action: ActionState;
}

/** The snapshot less the lab's live state (see LabSession.getPanelSnapshot). */
export type PanelSnapshot = Omit<LabSessionSnapshot, 'lab' | 'traffic'>;

/** What "Download my files" saves. */
export interface LabDownload {
  fileName: string;
  mimeType: string;
  bytes: Uint8Array;
}

/** One start of the lab on one backend, and what to end when it stops. */
interface Run {
  backend: LabBackend;
  abort: AbortController;
  processes: LabProcess[];
  shell: LabProcess | null;
  stops: (() => void)[];
  /** While the boot is slow: what the learner's "keep waiting" calls. */
  keepWaiting: (() => void) | null;
}

const DEFAULT_TERMINAL = { cols: 80, rows: 24 };
/** A shell that ends sooner than this after it opened is not opened again: it would end again. */
const SHELL_RESTART_MIN_MS = 1000;

export class LabSession {
  readonly lab: LabPageData;
  readonly #options: LabSessionOptions;
  readonly #memory: LabMemory;
  readonly #status = new StatusStore();
  readonly #terminal = new TerminalStore();
  readonly #labState = new LabStateStore();
  readonly #checks = new ChecksStore();
  readonly #progress = new ProgressStore();
  readonly #files = new FilesStore();
  readonly #solution = new SolutionStore();
  readonly #actions = new ActionsStore();
  readonly #workspace: WorkspaceStore;
  readonly #listeners = new Set<() => void>();
  readonly #unsubscribe: (() => void)[] = [];
  #snapshot: LabSessionSnapshot | null = null;
  #panelSnapshot: PanelSnapshot | null = null;
  #run: Run | null = null;
  #attempt = 0;
  #size = DEFAULT_TERMINAL;
  #restoredEdits: FileMap;

  constructor(options: LabSessionOptions) {
    this.lab = options.lab;
    this.#options = options;
    const editable = options.lab.editable.map((e) => e.file);
    this.#workspace = new WorkspaceStore(options.loadWorkspace ?? (() => loadWorkspace(options.lab)), editable);
    this.#memory = new LabMemory(options.lab.id, options.storage);
    const saved = this.#memory.load();
    this.#restoredEdits = Object.fromEntries(Object.entries(saved.edits).filter(([path]) => editable.includes(path)));
    this.#progress.restore(saved.passed, Math.min(Math.max(saved.step, 0), options.lab.steps.length - 1));
    for (const { state } of [this.#status, this.#terminal, this.#checks, this.#progress, this.#files, this.#solution,
      this.#actions, this.#workspace]) {
      this.#unsubscribe.push(state.subscribe(() => this.#changed()));
    }
    for (const live of [this.#labState.state, this.#labState.traffic]) {
      this.#unsubscribe.push(live.subscribe(() => this.#changed({ live: true })));
    }
    this.#unsubscribe.push(this.#progress.state.subscribe(() => this.#remember()), this.#files.state.subscribe(() => this.#remember()));
  }

  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  };

  /** The same object until something changes. */
  getSnapshot = (): LabSessionSnapshot => {
    this.#snapshot ??= {
      status: this.#status.state.get(),
      terminal: this.#terminal.state.get(),
      lab: this.#labState.state.get(),
      traffic: this.#labState.traffic.get(),
      checks: this.#checks.state.get(),
      progress: this.#progress.state.get(),
      files: this.#files.state.get(),
      solution: { available: Object.keys(this.#workspace.solution()).length > 0, applied: this.#solution.state.get().before !== null },
      action: this.#actions.state.get(),
    };
    return this.#snapshot;
  };

  /**
   * The snapshot less the lab's live state, the same object until something else changes. The live state changes up
   * to ten times a second while the servers start or take load, and only the topology shows it: what shows the rest
   * reads this, and is not drawn again at each of those changes.
   */
  getPanelSnapshot = (): PanelSnapshot => {
    if (this.#panelSnapshot === null) {
      const { status, terminal, checks, progress, files, solution, action } = this.getSnapshot();
      this.#panelSnapshot = { status, terminal, checks, progress, files, solution, action };
    }
    return this.#panelSnapshot;
  };

  /** Starts the lab on `kind` (by default in the browser when it can, else the local runner), stopping any run first. */
  async start(kind?: BackendKind): Promise<void> {
    await this.#stopRun();
    const attempt = ++this.#attempt;
    const current = () => attempt === this.#attempt;
    this.#status.enter('checking');
    const support = (this.#options.support ?? detectSupport)();
    const chosen = kind ?? chooseBackend(support);
    this.#status.useBackend(chosen, null);
    if (chosen === 'webcontainer' && !support.supported) return this.#status.fail(support.reason);
    const workspace = this.#workspace.load();
    workspace.catch(() => undefined); // fetched while the backend boots; a failure is reported where it is awaited
    try {
      this.#status.enter('booting');
      const backend = await this.#options.backends[chosen]();
      if (!current()) return void (await backend.dispose());
      const run: Run = { backend, abort: new AbortController(), processes: [], shell: null, stops: [], keepWaiting: null };
      this.#run = run;
      this.#status.useBackend(chosen, backend.label);
      await this.#boot(run, current);
      if (!current()) return;
      const stopErrors = backend.onError?.((message) => {
        if (current()) this.#status.fail(message);
      });
      if (stopErrors) run.stops.push(stopErrors);

      this.#status.enter('mounting');
      const { files, links } = await workspace;
      await backend.mount(files, links);
      const edits = { ...this.#restoredEdits, ...this.#files.contents() };
      for (const [path, content] of Object.entries(edits)) {
        if (content !== files[path]) await backend.writeFile(path, content);
      }
      this.#files.load(Object.fromEntries(this.lab.editable.map(({ file }) => [file, edits[file] ?? files[file] ?? ''])));
      if (!current()) return;

      this.#status.enter('starting');
      // The supervisor runs in the foreground, as a process of the page's own, never as a daemon: a WebContainer
      // promises nothing about detached processes. `--owned`: it ends when its owner is gone (its input closes).
      // `--events`: it prints the lab's state on its output too, and what `lab up` would say once the servers have
      // settled, so that no other process is needed to start the lab or to follow it.
      const supervisor = await backend.spawn('node', ['kit/lab', 'supervise', '--up', '--owned', '--events']);
      run.processes.push(supervisor);
      const started = untilReported(supervisor, this.#labState);
      run.stops.push(started.stop);
      // The supervisor says what `lab up` would have said once the servers have settled; the terminal shows it as
      // that command's output. The shell starts meanwhile (a shell takes a few hundred milliseconds to print its
      // prompt), and its output waits until the report is shown, so that the prompt comes last.
      const upExit = started.report.then(({ text, code }) => {
        this.#terminal.write(`${text}\n`);
        return code;
      });
      const shell = this.#openShell(run, current, upExit);
      const [code] = await Promise.all([upExit, shell]);
      if (!current()) return;
      const caution = chosen === 'webcontainer' && support.supported && support.caution ? ` ${support.caution}` : '';
      this.#status.enter('ready', code === 0
        ? `The lab is running ${backend.label}.${caution}`
        : `The lab is running ${backend.label}, but \`lab up\` reported a problem: read the terminal, fix it, and run \`lab up\` again.${caution}`);
      // After 'ready', so that a supervisor that has already ended is not shown as running.
      void supervisor.exit.then((exitCode) => {
        if (!current()) return;
        // Its last state would show servers that no longer run.
        started.stop();
        this.#status.fail(`The lab's supervisor ended (exit status ${exitCode}), and with it every server. Stop the lab and start it again.`);
      });
    } catch (error) {
      if (current()) this.#status.fail((error as Error).message);
    }
  }

  /** While the boot is slow (phase `slow`): waits for the backend once more, with its watchdog started afresh. */
  keepWaiting(): void {
    this.#run?.keepWaiting?.();
  }

  /** Stops the lab: ends its processes and lets the backend go. Progress and edits are kept. */
  async stop(): Promise<void> {
    await this.#stopRun();
    this.#status.useBackend(null, null);
    this.#status.enter('idle');
  }

  /** Stops the lab and lets go of everything; the session is not used again. */
  async dispose(): Promise<void> {
    await this.stop();
    this.#terminal.detach();
    for (const unsubscribe of this.#unsubscribe) unsubscribe();
    this.#listeners.clear();
  }

  /** Shows the terminal what the lab printed so far, and connects it to the shell. Returns `detach`. */
  attachTerminal(terminal: ITerminal): () => void {
    const detach = this.#terminal.attach(terminal);
    this.resize(terminal.cols, terminal.rows);
    return detach;
  }

  /** Call after fitting the terminal: the shell must know its size, or full-screen output is garbled. */
  resize(cols: number, rows: number): void {
    this.#size = { cols, rows };
    this.#run?.shell?.resize(cols, rows);
  }

  /** Runs checks (by default those of the current step); those that pass join the learner's progress for good. */
  async runChecks(ids: readonly string[] = this.lab.steps[this.#progress.state.get().step].checks.map((c) => c.id)): Promise<CheckResult[]> {
    const results = await this.#checks.run(this.#backend(), ids);
    this.#progress.pass(results.filter((result) => result.ok).map((result) => result.id));
    return results;
  }

  setStep(step: number): void {
    if (!Number.isInteger(step) || step < 0 || step >= this.lab.steps.length) throw new Error(`Lab ${this.lab.id} has no step ${step + 1}.`);
    this.#progress.setStep(step);
  }

  /** The editor's text changed: remembered at once, written to the workspace by saveFile. */
  setFileContent(path: string, content: string): void {
    this.#files.setContent(path, content);
  }

  /** Writes the file to the workspace, then restarts the service that reads it (`lab restart <server> <service>`). */
  async saveFile(path: string, content = this.#files.state.get()[path]?.content): Promise<CommandResult> {
    const editable = this.lab.editable.find((e) => e.file === path);
    if (!editable || content === undefined) throw new Error(`${path} is not an editable file of lab ${this.lab.id}.`);
    const backend = this.#backend();
    await backend.writeFile(path, content);
    this.#files.markSaved(path, content);
    return this.#actions.run(backend, ['restart', editable.server, editable.service]);
  }

  /** Powers a server off at once, as when its power is cut. */
  killServer(server: string): Promise<CommandResult> {
    return this.#actions.run(this.#backend(), ['kill', server]);
  }

  stopServer(server: string): Promise<CommandResult> {
    return this.#actions.run(this.#backend(), ['stop', server]);
  }

  startServer(server: string): Promise<CommandResult> {
    return this.#actions.run(this.#backend(), ['start', server]);
  }

  /** The preview's URL: the lab's entry point, once it listens. */
  previewUrl(): Promise<string> {
    return this.#backend().previewUrl(this.lab.previewPort);
  }

  /** Each file the solution changes, with a diff against the learner's current text. Computed on request. */
  solutionFiles(): SolutionFile[] {
    return solutionFiles(this.#files.contents(), this.#workspace.solution());
  }

  /** Replaces the learner's files by the solution's (saved, services restarted), keeping theirs for undoSolution. */
  async applySolution(): Promise<void> {
    const files = this.solutionFiles().filter((file) => file.mine !== file.solution);
    if (files.length === 0) return;
    const before = this.#solution.state.get().before ?? this.#files.contents();
    for (const file of files) await this.saveFile(file.path, file.solution);
    this.#solution.remember(before);
  }

  /** Puts back the learner's files as they were before the solution was applied. */
  async undoSolution(): Promise<void> {
    const before = this.#solution.state.get().before;
    if (!before) return;
    const current = this.#files.contents();
    for (const [path, content] of Object.entries(before)) {
      if (current[path] !== content) await this.saveFile(path, content);
    }
    this.#solution.forget();
  }

  /** `lab reset`: the starter files back and the servers restarted. The learner's edits go; progress stays. */
  async reset(): Promise<CommandResult> {
    const backend = this.#backend();
    const result = await this.#actions.run(backend, ['reset']);
    const files = await Promise.all(this.lab.editable.map(async ({ file }) => [file, await backend.readFile(file)] as const));
    this.#files.load(Object.fromEntries(files));
    this.#restoredEdits = {};
    this.#solution.forget();
    return result;
  }

  /** The learner's editable files as a tar archive, in a folder named for the lab: `02-load-balancer/lb-01/haproxy.cfg`. */
  download(): LabDownload {
    const files = Object.entries(this.#files.contents()).map(([path, content]) => [`${this.lab.id}/${path}`, content]);
    return { fileName: `${this.lab.id}.tar`, mimeType: 'application/x-tar', bytes: tarArchive(Object.fromEntries(files)) };
  }

  /** "Run it for real": `lab export` with the learner's saved files, as one archive (real-stack.ts). */
  exportRealStack(): Promise<RealStackExport> {
    return exportRealStack(this.#backend(), this.lab.id);
  }

  #changed({ live = false } = {}): void {
    this.#snapshot = null;
    if (!live) this.#panelSnapshot = null;
    for (const listener of [...this.#listeners]) listener();
  }

  /** Saves progress and the edits (the editable files that differ from the starter files). */
  #remember(): void {
    const { passed, step } = this.#progress.state.get();
    const files = this.#files.contents();
    const edits = Object.keys(files).length > 0 ? this.#workspace.edits(files) : this.#restoredEdits;
    this.#memory.save({ passed: [...passed], step, edits });
  }

  #backend(): LabBackend {
    if (!this.#run || this.#status.state.get().phase !== 'ready') throw new Error('The lab is not running: start it first.');
    return this.#run.backend;
  }

  /**
   * Opens the terminal's shell, whose output reaches the terminal once `after` has settled; when the learner ends
   * the shell (`exit`), opens a new one.
   */
  async #openShell(run: Run, current: () => boolean, after: Promise<unknown> = Promise.resolve()): Promise<void> {
    const shell = await run.backend.shell(this.#terminal.size() ?? this.#size);
    const opened = Date.now();
    run.shell = shell;
    run.processes.push(shell);
    let held: string[] | null = [];
    shell.onOutput((chunk) => (held ? held.push(chunk) : this.#terminal.write(chunk)));
    // Whether `after` succeeded or failed (its failure is reported where it is awaited), the prompt shows then.
    const release = () => {
      for (const chunk of held ?? []) this.#terminal.write(chunk);
      held = null;
    };
    void after.then(release, release);
    this.#terminal.connect((data) => shell.write(data));
    void shell.exit.then(() => {
      if (!current()) return;
      if (Date.now() - opened < SHELL_RESTART_MIN_MS) return this.#terminal.write('\r\nThe shell ended. Stop and start the lab to open a new one.\r\n');
      this.#terminal.write('\r\nThe shell ended; here is a new one.\r\n');
      void this.#openShell(run, current).catch((error: Error) => this.#status.fail(error.message));
    });
  }

  /**
   * Boots the backend. When it is slow rather than broken (a BootTimeoutError), says so and waits for the learner,
   * who may keep waiting (another boot, which goes on with the same start) or start the lab elsewhere.
   */
  async #boot(run: Run, current: () => boolean): Promise<void> {
    for (;;) {
      try {
        return await run.backend.boot(run.abort.signal);
      } catch (error) {
        if (!(error instanceof BootTimeoutError) || !current()) throw error;
        this.#status.slow(error.message);
        await new Promise<void>((resolve, reject) => {
          run.keepWaiting = resolve;
          run.abort.signal.addEventListener('abort', () => reject(run.abort.signal.reason), { once: true });
        });
        run.keepWaiting = null;
        this.#status.enter('booting', 'Still starting the lab’s machine: waiting a while longer…');
      }
    }
  }

  async #stopRun(): Promise<void> {
    const run = this.#run;
    this.#run = null;
    this.#attempt++;
    this.#terminal.connect(null);
    if (!run) return;
    run.abort.abort(new Error('The lab was stopped while it started.'));
    for (const stop of run.stops) stop();
    for (const process of run.processes) process.kill();
    this.#checks.clear();
    await run.backend.dispose();
  }
}

function isStartReport(value: unknown): value is StartReport {
  const report = value as Partial<StartReport> | null;
  return report !== null && typeof report === 'object' && report.type === 'up' && typeof report.text === 'string' &&
    typeof report.code === 'number';
}

/** The end of what the supervisor printed that is not JSON, for a message: its own lines, an error's stack. */
const LAST_LINES = 6;

/**
 * Reads all of the supervisor's output (early output goes to the first listener only): the states go to `states`,
 * and `report` is the report of the start, or fails, with the supervisor's last lines, if the supervisor ends first.
 * `stop` forgets the state (the lab is stopped) and ignores what comes after.
 */
function untilReported(supervisor: LabProcess, states: LabStateStore): { report: Promise<StartReport>; stop: () => void } {
  let reported: (report: StartReport) => void = () => undefined;
  const report = new Promise<StartReport>((resolve) => (reported = resolve));
  let lines: string[] | null = [];
  const reader = states.reader((line, document) => {
    if (lines === null) return; // reported: no message needs them any more
    if (isStartReport(document)) {
      lines = null;
      reported(document);
    } else if (document === undefined) {
      lines = [...lines, line].slice(-LAST_LINES);
    }
  });
  const stopReading = supervisor.onOutput(reader.read);
  const ended = supervisor.exit.then((code): never => {
    stopReading();
    const said = (lines ?? []).join('\n').trim();
    throw new Error(`The lab's supervisor ended (exit status ${code}) before the servers had started: ${said || 'it printed nothing'}`);
  });
  return { report: Promise.race([report, ended]), stop: reader.stop };
}
