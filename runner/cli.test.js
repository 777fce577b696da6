// @ts-check
/** `node runner`: what it prints at start, the flags, and that Ctrl+C (SIGINT) stops it. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { WORKSPACE_LINKS, labWorkspaceFiles } from '../labs/lab-files.js';
import { isAlive } from './processes.js';
import { TOKEN, connect, labJson, waitFor } from './testing.js';

const RUNNER = path.join(import.meta.dirname, 'index.js');

/**
 * Starts `node runner` with the given flags; resolves once it has printed its three lines, or has ended.
 * @param {import('node:test').TestContext} t
 * @param {string[]} args
 */
async function start(t, args) {
  const workspace = await mkdtemp(path.join(tmpdir(), 'lab-runner-cli-'));
  // Its own process group, as a terminal or a test harness starts it, so that a test can signal the whole group.
  const child = spawn(process.execPath, [RUNNER, '--port', '0', '--workspace', workspace, ...args], { stdio: 'pipe', detached: true });
  t.after(async () => {
    child.kill('SIGKILL');
    await rm(workspace, { recursive: true, force: true });
  });
  /** @type {{ stdout: string, stderr: string, code: number | null | undefined }} */
  const run = { stdout: '', stderr: '', code: undefined };
  child.stdout.on('data', (chunk) => { run.stdout += chunk; });
  child.stderr.on('data', (chunk) => { run.stderr += chunk; });
  const ended = new Promise((resolve) => child.once('close', (code) => { run.code = code; resolve(code); }));
  await waitFor(() => run.stdout.split('\n').length > 3 || run.code !== undefined, 'the runner to start or end');
  return { child, ended, lines: run.stdout.split('\n'), code: run.code, stderr: run.stderr, output: () => run.stdout };
}

test('it prints its address, the token and the link, and stops on Ctrl+C', async (t) => {
  const { child, ended, lines } = await start(t, ['--site', 'https://you.github.io/scale-up/']);
  const [address, tokenLine, link] = lines;
  const port = Number(/^Lab runner on http:\/\/127\.0\.0\.1:(\d+) /.exec(address)?.[1]);
  assert.ok(port > 0, address);
  assert.match(address, /for pages from http:\/\/localhost:3000, http:\/\/127\.0\.0\.1:3000, https:\/\/you\.github\.io;/);
  const token = /^Token: ([A-Za-z0-9_-]{43})$/.exec(tokenLine)?.[1];
  assert.ok(token, tokenLine);
  assert.ok(link.includes(`https://you.github.io/scale-up/#runner=${port}&token=${token}`), link);

  const hello = await fetch(`http://127.0.0.1:${port}/api/hello`, { headers: { Origin: 'https://you.github.io', Authorization: `Bearer ${token}` } });
  assert.equal(hello.status, 200);

  child.kill('SIGINT');
  assert.equal(await ended, 0);
});

test('closing the runner\'s terminal (SIGHUP) ends the processes of its labs, then the runner', async (t) => {
  const { child, ended, lines } = await start(t, ['--token', TOKEN]);
  const port = Number(/127\.0\.0\.1:(\d+)/.exec(lines[0])?.[1]);
  const client = await connect(port);
  await client.ok({ type: 'mount', files: { 'lab.json': labJson() } });
  const { pid } = await client.ok({ type: 'spawn', command: 'node', args: ['-e', 'setInterval(() => {}, 1000)'] });
  assert.equal(isAlive(pid), true);
  child.kill('SIGHUP');
  assert.equal(await ended, 0);
  assert.equal(isAlive(pid), false);
});

test('a SIGTERM while the labs stop (npm start sends one) does not cut the stop short', async (t) => {
  const { child, ended, lines, output } = await start(t, ['--token', TOKEN]);
  const port = Number(/127\.0\.0\.1:(\d+)/.exec(lines[0])?.[1]);
  const client = await connect(port);
  // A supervisor that needs a second to stop its servers once asked to end.
  const slowStop = "process.on('SIGTERM', () => setTimeout(() => { require('node:fs').writeFileSync('stopped', 'yes'); process.exit(0); }, 1000));" +
    " setInterval(() => {}, 1000); console.log('supervising');";
  await client.ok({ type: 'mount', files: { 'lab.json': labJson(), 'kit/lab/index.cjs': slowStop, 'kit/lab/package.json': '{"main": "index.cjs"}' } });
  const { pid, proc } = await client.ok({ type: 'spawn', command: 'node', args: ['kit/lab', 'supervise', '--up', '--owned'] });
  await waitFor(() => /supervising/.test(client.output.get(proc) ?? ''), 'the supervisor to start');
  child.kill('SIGINT');
  await waitFor(() => /Stopping the labs/.test(output()), 'the runner to start stopping');
  child.kill('SIGTERM');
  assert.equal(await ended, 0);
  assert.equal(isAlive(pid), false);
  const workspace = /labs run in (\S+) /.exec(lines[0])?.[1] ?? '';
  assert.equal(readFileSync(path.join(workspace, '99-test', 'stopped'), 'utf8'), 'yes');
});

test('a new token at every start, unless one is given', async (t) => {
  const [first, second, fixed] = await Promise.all([start(t, []), start(t, []), start(t, ['--token', 'my-own-token-123456'])]);
  assert.notEqual(first.lines[1], second.lines[1]);
  assert.equal(fixed.lines[1], 'Token: my-own-token-123456');
});

test('--origin replaces the default pages', async (t) => {
  const { lines } = await start(t, ['--origin', 'http://localhost:8080/some/page', '--site', 'http://localhost:8080/']);
  assert.match(lines[0], /for pages from http:\/\/localhost:8080;/);
});

test('bad flags are explained, and the runner does not start', async (t) => {
  for (const [args, message] of /** @type {const} */ ([
    [['--port', 'http'], /--port http: a port is a whole number/],
    [['--origin', 'localhost:3000'], /only http and https pages can connect|not an address/],
    [['--token', 'short'], /a token is 16 to 256 letters/],
    [['--colour'], /Unknown option '--colour'[\s\S]*Usage: npm run labs/],
  ])) {
    const { code, stderr } = await start(t, [...args]);
    assert.equal(code, 1, args.join(' '));
    assert.match(stderr, message);
  }
});

test('a runner killed with SIGKILL leaves no lab behind: the supervisor sees its input close and stops every server', async (t) => {
  const { child, lines } = await start(t, ['--token', TOKEN]);
  const port = Number(/127\.0\.0\.1:(\d+)/.exec(lines[0])?.[1]);
  const client = await connect(port);
  const files = labWorkspaceFiles(path.join(import.meta.dirname, '..', 'labs', '02-load-balancer'));
  await client.ok({ type: 'mount', files, links: WORKSPACE_LINKS });
  const supervisor = await client.ok({ type: 'spawn', command: 'node', args: ['kit/lab', 'supervise', '--up', '--owned'] });
  const control = JSON.parse(files['lab.json']).topology.control;
  /** @returns {Promise<any>} the lab's state, or null while its supervisor does not answer */
  const state = () => fetch(`http://127.0.0.1:${control}/api/state`).then((answer) => answer.json(), () => null);
  await waitFor(async () => (await state())?.servers.every((/** @type {any} */ s) => s.state === 'up'), 'every server to be up', 20_000);
  const pids = [supervisor.pid, ...(await state()).servers.flatMap((/** @type {any} */ s) => s.services.map((/** @type {any} */ v) => v.pid))];
  assert.ok(pids.every(isAlive));

  child.kill('SIGKILL');
  await waitFor(() => !pids.some(isAlive), 'the supervisor and every server to end', 15_000);
  await assert.rejects(fetch(`http://127.0.0.1:${control}/api/state`), 'the control port is free');
});
