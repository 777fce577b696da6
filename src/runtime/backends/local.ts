/**
 * The local backend: the lab runs on the learner's own machine, in the lab runner (`npm run labs`, runner/), and
 * this page drives it over one WebSocket to 127.0.0.1. For browsers that cannot run WebContainers (Safari, iOS,
 * locked-down networks, offline) and for learners who want the lab in their own terminal.
 *
 * The runner accepts only the course's own pages, and only with its secret token, which reaches this page in the
 * fragment of the link the runner prints (`#runner=7300&token=...`, never sent to any server) or pasted by the
 * learner; the page keeps it in sessionStorage. The protocol is documented in runner/README.md.
 */
import type {BackendKind, FileMap, LabBackend, LabProcess, LinkMap, SpawnOptions} from '../types';

export const DEFAULT_RUNNER_PORT = 7300;
/** The version of the runner's protocol this page speaks; the runner answers with the same. */
export const RUNNER_PROTOCOL = 'scale-up-lab.1';
export const START_RUNNER_MESSAGE = 'Start the lab runner on your machine: npm run labs — then press Connect';
const NOT_REACHED_HINT = 'If it runs already, its terminal says why it refused this page';
const NO_TOKEN_MESSAGE =
  'Start the lab runner on your machine: npm run labs — then open the link it prints, or paste its token here and press Connect';
const WRONG_TOKEN_MESSAGE =
  'The lab runner refused the token. It changes at every start: copy it again from the terminal where ' +
  '`npm run labs` runs, paste it here, then press Connect';
const STORAGE_KEY = 'scale-up.lab-runner';
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{16,256}$/;
/** Output kept for a process until something listens to it. */
const MAX_BUFFERED_CHARS = 256 * 1024;

/** Where the runner listens (always 127.0.0.1) and its token. */
export interface RunnerAddress {
  port: number;
  token: string;
}

/**
 * Reads a runner address from what the learner pasted or the page's URL holds: the link the runner printed, its
 * fragment (`#runner=7300&token=...`), or the token alone (the port is then 7300).
 */
export function parseRunnerAddress(text: string): RunnerAddress | undefined {
  const trimmed = text.trim();
  if (TOKEN_SHAPE.test(trimmed)) return {port: DEFAULT_RUNNER_PORT, token: trimmed};
  const params = new URLSearchParams(trimmed.slice(trimmed.indexOf('#') + 1));
  const token = params.get('token') ?? '';
  const port = Number(params.get('runner') ?? DEFAULT_RUNNER_PORT);
  if (!TOKEN_SHAPE.test(token) || !Number.isInteger(port) || port < 1 || port > 65535) return undefined;
  return {port, token};
}

type AddressStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export function loadRunnerAddress(storage: AddressStorage): RunnerAddress | undefined {
  const saved = storage.getItem(STORAGE_KEY);
  return saved === null ? undefined : parseRunnerAddress(saved);
}

export function saveRunnerAddress(storage: AddressStorage, {port, token}: RunnerAddress): void {
  storage.setItem(STORAGE_KEY, `#runner=${port}&token=${token}`);
}

export function forgetRunnerAddress(storage: AddressStorage): void {
  storage.removeItem(STORAGE_KEY);
}

/**
 * The runner address of this tab. One in the URL's fragment (the learner opened the runner's link) is stored in
 * sessionStorage and removed from the address bar, so that it is not bookmarked or shared with a screenshot;
 * otherwise the one stored earlier in this tab, if any.
 */
export function takeRunnerAddress(page: {
  location: Pick<Location, 'hash' | 'pathname' | 'search'>;
  history: Pick<History, 'replaceState' | 'state'>;
  sessionStorage: AddressStorage;
}): RunnerAddress | undefined {
  const fromLink = page.location.hash.includes('token=') ? parseRunnerAddress(page.location.hash) : undefined;
  if (!fromLink) return loadRunnerAddress(page.sessionStorage);
  saveRunnerAddress(page.sessionStorage, fromLink);
  page.history.replaceState(page.history.state, '', page.location.pathname + page.location.search);
  return fromLink;
}

/** What this backend needs of a WebSocket: the browser's, or the `ws` package's in Node. */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'message', listener: (event: {data: unknown}) => void): void;
  addEventListener(type: 'close', listener: (event: {code: number; reason: string}) => void): void;
  addEventListener(type: 'open' | 'error', listener: () => void): void;
}
export type WebSocketConstructor = new (url: string, protocols: string[]) => WebSocketLike;

export interface LocalBackendOptions extends RunnerAddress {
  /** The lab this backend runs, which names its workspace on the learner's machine; else lab.json's id. */
  lab?: string;
  /** How long to wait for the runner before telling the learner to start it. */
  timeoutMs?: number;
  /** The WebSocket class: the browser's by default; tests in Node pass the `ws` package's. */
  WebSocket?: WebSocketConstructor;
  fetch?: typeof fetch;
}

const OPEN = 1;

type Frame = {type?: string; id?: number; ok?: boolean; error?: string; proc?: number; [key: string]: unknown};
type Reply = Frame & {started?: RemoteProcess};

export class LocalBackend implements LabBackend {
  readonly kind: BackendKind = 'local';
  readonly label: string;
  private readonly origin: string;
  private socket: WebSocketLike | undefined;
  private booting: Promise<void> | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, {resolve: (reply: Reply) => void; reject: (error: Error) => void}>();
  private readonly processes = new Map<number, RemoteProcess>();
  private readonly disconnectListeners = new Set<(message: string) => void>();

  constructor(private readonly options: LocalBackendOptions) {
    this.origin = `127.0.0.1:${options.port}`;
    this.label = `on your machine (${this.origin})`;
  }

  /** Calls `listener` with a message for a person when the connection to the runner ends without dispose(). */
  onDisconnect(listener: (message: string) => void): () => void {
    this.disconnectListeners.add(listener);
    return () => this.disconnectListeners.delete(listener);
  }

  /** Connects to the runner; once connected, does nothing. After a failure or a lost connection, tries again. */
  boot(signal?: AbortSignal): Promise<void> {
    this.booting ??= this.connect(signal).catch((error: unknown) => {
      this.booting = undefined;
      throw error;
    });
    return this.booting;
  }

  private async connect(signal?: AbortSignal): Promise<void> {
    const {timeoutMs = 4000, WebSocket: Socket = globalThis.WebSocket as WebSocketConstructor} = this.options;
    if (!TOKEN_SHAPE.test(this.options.token)) throw new Error(NO_TOKEN_MESSAGE);
    // The question and the connection go out together (the question alone costs a round trip, and its CORS
    // preflight another, before every lab start); when the question fails, its answer is the one to give.
    const hello = this.hello(timeoutMs, signal);
    const query = this.options.lab ? `?lab=${encodeURIComponent(this.options.lab)}` : '';
    const socket = new Socket(`ws://${this.origin}/session${query}`, [RUNNER_PROTOCOL, `token.${this.options.token}`]);
    socket.addEventListener('message', (event) => this.receive(String(event.data)));
    const open = opened(socket, timeoutMs, signal);
    open.catch(() => undefined); // awaited below, once hello has had its say
    try {
      await hello;
    } catch (error) {
      socket.close();
      throw error;
    }
    await open;
    this.socket = socket;
    socket.addEventListener('close', (event) => this.disconnected(event.code, event.reason));
  }

  async mount(files: FileMap, links: LinkMap = {}): Promise<void> {
    await this.request({type: 'mount', files, links});
  }

  async spawn(command: string, args: string[], options: SpawnOptions = {}): Promise<LabProcess> {
    const {terminal, env, cwd} = options;
    return started(await this.request({type: 'spawn', command, args, terminal, env, cwd}));
  }

  async shell({cols, rows}: {cols: number; rows: number}): Promise<LabProcess> {
    return started(await this.request({type: 'shell', cols, rows}));
  }

  async readFile(path: string): Promise<string> {
    return String((await this.request({type: 'readFile', path})).content);
  }

  async writeFile(path: string, content: string): Promise<void> {
    await this.request({type: 'writeFile', path, content});
  }

  async previewUrl(port: number): Promise<string> {
    return String((await this.request({type: 'preview', port})).url);
  }

  /** Closes the connection; the runner then stops the lab and ends every process of this session. */
  async dispose(): Promise<void> {
    const socket = this.socket;
    this.booting = undefined;
    if (!socket) return;
    this.socket = undefined;
    const closed = new Promise<void>((resolve) => socket.addEventListener('close', () => resolve()));
    socket.close(1000, 'the page closed the lab');
    this.endAll('The lab was closed');
    await closed;
  }

  /** Asks `GET /api/hello`: tells "not running" from "wrong token" from "another version", which a WebSocket cannot. */
  private async hello(timeoutMs: number, signal?: AbortSignal): Promise<void> {
    const {fetch: fetchFn = globalThis.fetch.bind(globalThis), token} = this.options;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    const cancel = () => controller.abort();
    signal?.addEventListener('abort', cancel);
    let response: Response;
    try {
      response = await fetchFn(`http://${this.origin}/api/hello`, {
        headers: {Authorization: `Bearer ${token}`},
        signal: controller.signal,
      });
    } catch {
      // A runner that refuses this page's origin looks the same from here as no runner: its terminal says which.
      throw new Error(signal?.aborted ? 'Connecting to the lab runner was cancelled' : `${START_RUNNER_MESSAGE}. ${NOT_REACHED_HINT}`);
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', cancel);
    }
    if (response.status === 401) throw new Error(WRONG_TOKEN_MESSAGE);
    const body = (await response.json().catch(() => ({}))) as {protocol?: string; error?: string};
    if (!response.ok) throw new Error(`The lab runner refused the connection: ${body.error ?? response.status}`);
    if (body.protocol !== RUNNER_PROTOCOL) {
      throw new Error('The lab runner on your machine is from another version of the course: update your copy, then start it again');
    }
  }

  private request(message: Record<string, unknown>): Promise<Reply> {
    const socket = this.socket;
    if (!socket || socket.readyState !== OPEN) {
      return Promise.reject(new Error(`Not connected to the lab runner. ${START_RUNNER_MESSAGE}`));
    }
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, {resolve, reject});
      socket.send(JSON.stringify({...message, id}));
    });
  }

  private receive(text: string): void {
    const frame = JSON.parse(text) as Frame;
    if (frame.type === 'output') {
      this.processes.get(frame.proc ?? -1)?.output(String(frame.data));
    } else if (frame.type === 'exit') {
      this.processes.get(frame.proc ?? -1)?.finish(Number(frame.code));
      this.processes.delete(frame.proc ?? -1);
    } else if (typeof frame.id === 'number') {
      const request = this.pending.get(frame.id);
      this.pending.delete(frame.id);
      // A process is tracked before anything else runs: its output, even its exit, may be in the very next frame.
      if (frame.ok && typeof frame.proc === 'number') request?.resolve({...frame, started: this.track(frame.proc)});
      else if (frame.ok) request?.resolve(frame);
      else request?.reject(new Error(frame.error ?? 'the lab runner could not do this'));
    }
  }

  private track(proc: number): RemoteProcess {
    const remote = new RemoteProcess((message) => this.socket?.send(JSON.stringify({...message, proc})));
    this.processes.set(proc, remote);
    return remote;
  }

  private disconnected(code: number, reason: string): void {
    if (!this.socket) return;
    this.socket = undefined;
    this.booting = undefined;
    const message =
      code === 4000 || code === 1001
        ? `The lab runner closed this lab: ${reason}`
        : `The connection to the lab runner was lost. ${START_RUNNER_MESSAGE}`;
    this.endAll(message);
    for (const listener of this.disconnectListeners) listener(message);
  }

  private endAll(message: string): void {
    for (const request of this.pending.values()) request.reject(new Error(message));
    this.pending.clear();
    for (const remote of this.processes.values()) remote.finish(-1);
    this.processes.clear();
  }
}

/** Waits for a new WebSocket to open; rejects with a message for a person when it does not. */
function opened(socket: WebSocketLike, timeoutMs: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    const settle = (error?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', cancel);
      if (!error) return resolve();
      socket.close();
      reject(error);
    };
    const cancel = () => settle(new Error('Connecting to the lab runner was cancelled'));
    const timer = setTimeout(() => settle(new Error(START_RUNNER_MESSAGE)), timeoutMs);
    signal?.addEventListener('abort', cancel);
    socket.addEventListener('open', () => settle());
    socket.addEventListener('error', () => undefined); // the close event that follows says it
    socket.addEventListener('close', () => settle(new Error(`The lab runner refused the connection. ${START_RUNNER_MESSAGE}`)));
  });
}

function started(reply: Reply): LabProcess {
  if (!reply.started) throw new Error('the lab runner did not say which process it started');
  return reply.started;
}

/** A process in the runner, seen from the page. */
class RemoteProcess implements LabProcess {
  readonly exit: Promise<number>;
  private resolveExit!: (code: number) => void;
  private readonly listeners = new Set<(chunk: string) => void>();
  private buffered = '';

  constructor(private readonly send: (message: Record<string, unknown>) => void) {
    this.exit = new Promise((resolve) => (this.resolveExit = resolve));
  }

  onOutput(listener: (chunk: string) => void): () => void {
    this.listeners.add(listener);
    if (this.buffered) {
      listener(this.buffered);
      this.buffered = '';
    }
    return () => this.listeners.delete(listener);
  }

  write(data: string): void {
    this.send({type: 'stdin', data});
  }

  resize(cols: number, rows: number): void {
    this.send({type: 'resize', cols, rows});
  }

  kill(): void {
    this.send({type: 'kill'});
  }

  output(chunk: string): void {
    if (this.listeners.size === 0) {
      this.buffered = (this.buffered + chunk).slice(-MAX_BUFFERED_CHARS);
      return;
    }
    for (const listener of this.listeners) listener(chunk);
  }

  finish(code: number): void {
    this.resolveExit(code);
  }
}
