/**
 * Starts the site's servers as child processes for a test, and stops them: `node scripts/serve.mjs` and the
 * Docusaurus dev server. Each prints its address when it is ready; the tests read it from there.
 */
import {spawn, type ChildProcess} from 'node:child_process';
import {createServer} from 'node:net';

export interface RunningServer {
  /** The address the server printed, e.g. http://localhost:41235/ */
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Spawns `command args`, and resolves once a line of its output matches `ready` (whose first group is the URL).
 * Rejects with the output so far if it exits first or takes longer than `timeoutMs`.
 */
export function startServer(
  command: string,
  args: string[],
  options: {ready: RegExp; timeoutMs: number; env?: NodeJS.ProcessEnv},
): Promise<RunningServer> {
  const child = spawn(command, args, {
    env: {...process.env, ...options.env},
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group, so that stop() also ends what it started
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop(child);
      reject(new Error(`${command} ${args.join(' ')} was not ready after ${options.timeoutMs} ms:\n${output}`));
    }, options.timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = options.ready.exec(output.replace(/\x1b\[[0-9;]*m/g, ''));
      if (match) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        child.stderr?.off('data', onData);
        child.stdout?.resume();
        child.stderr?.resume();
        resolve({url: match[1], process: child, stop: () => stop(child)});
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${command} ${args.join(' ')} exited with ${code} before it was ready:\n${output}`));
    });
  });
}

/** Ends the process group: SIGTERM, then SIGKILL if it is still there after 5 s. */
function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) {
    return Promise.resolve();
  }
  const pid = child.pid;
  return new Promise((resolve) => {
    const kill = setTimeout(() => signalGroup(pid, 'SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    signalGroup(pid, 'SIGTERM');
  });
}

function signalGroup(pid: number, signal: NodeJS.Signals) {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

/** A TCP port that is free now (the OS picks it), for a server that cannot be told to pick its own. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** `node scripts/serve.mjs` on a free port; `extraArgs` e.g. ['--no-isolation']. */
export function startPreview(extraArgs: string[] = []): Promise<RunningServer> {
  return startServer(process.execPath, ['scripts/serve.mjs', '--port', '0', ...extraArgs], {
    ready: /at (http:\/\/\S+?) \(/,
    timeoutMs: 15_000,
  });
}
