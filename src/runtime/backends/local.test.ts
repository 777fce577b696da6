/**
 * The local backend against the real lab runner (runner/index.js, started as `npm run labs` starts it), over a real
 * WebSocket: the `ws` package stands in for the browser's, sending the page's Origin as a browser does.
 */
import {spawn, type ChildProcess} from 'node:child_process';
import {mkdtemp, rm} from 'node:fs/promises';
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {WebSocket as NodeWebSocket} from 'ws';
import {isAlive} from '../../../runner/processes.js';
import type {LabProcess} from '../types';
import {
  LocalBackend,
  START_RUNNER_MESSAGE,
  parseRunnerAddress,
  saveRunnerAddress,
  takeRunnerAddress,
  type WebSocketConstructor,
} from './local';

const PAGE_ORIGIN = 'http://localhost:3000';
const TOKEN = 'local-backend-test-token-0123';
const RUNNER = path.resolve(import.meta.dirname, '../../../runner/index.js');

/** The browser sends the page's Origin with every request to the runner; Node's clients are told to. */
class PageWebSocket extends NodeWebSocket {
  constructor(url: string, protocols: string[]) {
    super(url, protocols, {origin: PAGE_ORIGIN});
  }
}
const pageFetch: typeof fetch = (input, init) =>
  fetch(input, {...init, headers: {...(init?.headers as Record<string, string>), Origin: PAGE_ORIGIN}});

function backend(port: number, token = TOKEN): LocalBackend {
  return new LocalBackend({port, token, timeoutMs: 3000, WebSocket: PageWebSocket as WebSocketConstructor, fetch: pageFetch});
}

/** Collects a process's output; resolves `waitFor` once a pattern shows up in it. */
function collect(process: LabProcess) {
  let text = '';
  process.onOutput((chunk) => {
    text += chunk;
  });
  return {
    get text() {
      return text;
    },
    waitFor: (pattern: RegExp) => until(() => pattern.exec(text), `output matching ${pattern}`),
  };
}

async function until<T>(probe: () => T | null | undefined | false, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** A port where nothing listens. */
async function freePort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const {port} = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const LAB = {
  'lab.json': JSON.stringify({format: 1, id: '98-local-backend', title: 'Backend test', topology: {control: 1, entry: 'x:80', servers: []}, steps: []}),
  'kit/bin/lab': '#!/bin/sh\necho "lab says: $*"\n',
  'web-01/www/index.html': '<h1>hello</h1>\n',
};

describe('the local backend with the real runner', () => {
  let runner: ChildProcess;
  let port: number;
  let workspace: string;
  const backends: LocalBackend[] = [];
  const make = (token = TOKEN) => {
    const made = backend(port, token);
    backends.push(made);
    return made;
  };

  beforeAll(async () => {
    workspace = await mkdtemp(path.join(tmpdir(), 'local-backend-'));
    runner = spawn(process.execPath, [RUNNER, '--port', '0', '--token', TOKEN, '--workspace', workspace, '--origin', PAGE_ORIGIN, '--site', `${PAGE_ORIGIN}/`]);
    let printed = '';
    runner.stdout!.on('data', (chunk) => {
      printed += chunk;
    });
    port = Number((await until(() => /^Lab runner on http:\/\/127\.0\.0\.1:(\d+) /m.exec(printed), 'the runner to start'))[1]);
  });

  afterEach(async () => {
    await Promise.all(backends.splice(0).map((b) => b.dispose()));
  });

  afterAll(async () => {
    runner.kill('SIGTERM');
    await new Promise((resolve) => runner.once('exit', resolve));
    await rm(workspace, {recursive: true, force: true});
  });

  it('says where the lab runs', () => {
    expect(make().kind).toBe('local');
    expect(backend(7300).label).toBe('on your machine (127.0.0.1:7300)');
  });

  it('tells the learner to start the runner when nothing listens', async () => {
    const nothing = backend(await freePort());
    const started = Date.now();
    await expect(nothing.boot()).rejects.toThrow(START_RUNNER_MESSAGE);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('asks for the token when the page has none', async () => {
    await expect(make('').boot()).rejects.toThrow(/npm run labs — then open the link it prints, or paste its token/);
  });

  it('tells the learner to paste the token again when it is wrong', async () => {
    await expect(make('not-the-runner-token-000000').boot()).rejects.toThrow(/refused the token.*npm run labs/);
  });

  it('mounts, spawns, reads output and the exit code, and edits files', async () => {
    const lab = make();
    await lab.boot();
    await lab.mount(LAB);
    const node = await lab.spawn('node', ['-e', 'console.log("hi from", process.env.LAB_HOME); process.exit(7)']);
    const output = collect(node);
    expect(await node.exit).toBe(7);
    expect(output.text).toMatch(/^hi from .*98-local-backend\n$/);

    const missing = lab.spawn('no-such-command-here', []);
    await expect(missing).rejects.toThrow(/command not found/);

    expect(await lab.readFile('web-01/www/index.html')).toBe('<h1>hello</h1>\n');
    await lab.writeFile('web-01/www/index.html', '<h1>edited</h1>\n');
    expect(await lab.readFile('web-01/www/index.html')).toBe('<h1>edited</h1>\n');
    await expect(lab.writeFile('../outside.txt', 'no')).rejects.toThrow(/refused the path/);
  });

  it('keeps output that comes before anyone listens', async () => {
    const lab = make();
    await lab.boot();
    await lab.mount(LAB);
    const quick = await lab.spawn('node', ['-e', 'console.log("early")']);
    await quick.exit;
    expect(collect(quick).text).toBe('early\n');
  });

  it('runs the shell in a terminal: typed commands come back, lab is on the PATH, resize reaches it', async () => {
    const lab = make();
    await lab.boot();
    await lab.mount(LAB);
    const shell = await lab.shell({cols: 80, rows: 24});
    const output = collect(shell);
    shell.write('echo "sum=$((40+2))"; lab status\r');
    await output.waitFor(/sum=42/);
    await output.waitFor(/lab says: status/);
    shell.resize(120, 40);
    shell.write('stty size\r');
    await output.waitFor(/40 120/);
  });

  it('previews only the lab\'s own ports', async () => {
    const lab = make();
    await lab.boot();
    await lab.mount({...LAB, 'network.json': JSON.stringify({ports: {'web-01:80': 20281}})});
    expect(await lab.previewUrl(20281)).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${port}/preview/[\\w-]+/20281/$`));
    await expect(lab.previewUrl(22)).rejects.toThrow(/not in the lab's network table/);
  });

  it('dispose ends every process of the lab', async () => {
    const lab = make();
    await lab.boot();
    await lab.mount(LAB);
    const command = await lab.spawn('node', ['-e', 'console.log(process.pid); setInterval(() => {}, 1000)']);
    const commandPid = Number((await collect(command).waitFor(/^(\d+)$/m))[1]);
    const shell = await lab.shell({cols: 80, rows: 24});
    const shellOutput = collect(shell);
    shell.write('sleep 300 & echo "pids=$$,$!"\r');
    const [, shellPid, sleepPid] = (await shellOutput.waitFor(/pids=(\d+),(\d+)/)).map(Number);
    expect([commandPid, shellPid, sleepPid].every(isAlive)).toBe(true);

    await lab.dispose();
    expect(await command.exit).toBe(-1);
    await until(() => ![commandPid, shellPid, sleepPid].some(isAlive), 'every process to end');
    await expect(lab.readFile('lab.json')).rejects.toThrow(/Not connected to the lab runner/);
  });

  it('boots again after dispose, into the same workspace', async () => {
    const first = make();
    await first.boot();
    await first.mount(LAB);
    await first.writeFile('notes.txt', 'kept');
    await first.dispose();
    const second = make();
    await second.boot();
    await second.mount(LAB);
    expect(await second.readFile('notes.txt')).toBe('kept');
  });
});

describe('the runner address', () => {
  it('is read from the printed link, its fragment, or the token alone', () => {
    const token = 'AbCdEfGhIjKlMnOpQrStUv_-0123456789abcdefghi';
    expect(parseRunnerAddress(`https://you.github.io/scale-up/#runner=7301&token=${token}`)).toEqual({port: 7301, token});
    expect(parseRunnerAddress(`#runner=7300&token=${token}`)).toEqual({port: 7300, token});
    expect(parseRunnerAddress(`  ${token}\n`)).toEqual({port: 7300, token});
    expect(parseRunnerAddress('#runner=99999&token=' + token)).toBeUndefined();
    expect(parseRunnerAddress('hello')).toBeUndefined();
    expect(parseRunnerAddress('#token=<script>')).toBeUndefined();
  });

  it('moves from the URL fragment into sessionStorage, and leaves the address bar', () => {
    const token = 'AbCdEfGhIjKlMnOpQrStUv_-0123456789abcdefghi';
    const storage = new Map<string, string>();
    const sessionStorage = {
      getItem: (key: string) => storage.get(key) ?? null,
      setItem: (key: string, value: string) => void storage.set(key, value),
      removeItem: (key: string) => void storage.delete(key),
    };
    const replaced: string[] = [];
    const history = {state: null, replaceState: (_state: unknown, _title: string, url?: string | URL | null) => void replaced.push(String(url))};
    const location = {hash: `#runner=7302&token=${token}`, pathname: '/02-load-balancer', search: '?x=1'};
    expect(takeRunnerAddress({location, history, sessionStorage})).toEqual({port: 7302, token});
    expect(replaced).toEqual(['/02-load-balancer?x=1']);

    const later = {hash: '', pathname: '/03-web-and-app', search: ''};
    expect(takeRunnerAddress({location: later, history, sessionStorage})).toEqual({port: 7302, token});
    expect(replaced).toHaveLength(1);

    saveRunnerAddress(sessionStorage, {port: 7303, token});
    expect(takeRunnerAddress({location: later, history, sessionStorage})).toEqual({port: 7303, token});
  });
});
