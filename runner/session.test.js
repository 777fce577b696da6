// @ts-check
/** A session end to end: mount, spawn, the shell through a pty, files, and the end of everything at close. */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { isAlive } from './processes.js';
import { labJson, runnerFor, waitFor } from './testing.js';

/**
 * A stand-in for the kit's `lab` command: `supervise` runs in the foreground until its standard input closes, as the
 * real supervisor does when the page owns it, and writes its pid; `up` says the lab is up.
 */
const FAKE_LAB = `#!/usr/bin/env node
import { writeFileSync, mkdirSync } from 'node:fs';
mkdirSync('.lab', { recursive: true });
const [command] = process.argv.slice(2);
if (command === 'supervise') {
  writeFileSync('.lab/supervisor.pid', String(process.pid));
  process.stdin.on('end', () => process.exit(0));
  process.stdin.resume();
  console.log('supervising');
} else if (command === 'up') {
  console.log('lab is up');
}
`;

const LAB_FILES = {
  'lab.json': labJson('99-test'),
  'kit/package.json': '{ "type": "module" }',
  'kit/lab/index.js': FAKE_LAB,
  'lb-01/haproxy.cfg': 'frontend www\n',
};
const LAB_LINKS = { 'kit/bin/lab': '../lab/index.js' };

test('mount writes the files into the lab\'s workspace and refuses paths that leave it', async (t) => {
  const runner = await runnerFor(t);
  const client = await runner.connect();
  await client.ok({ type: 'mount', files: LAB_FILES });
  const home = path.join(runner.workspaceRoot, '99-test');
  assert.equal(await readFile(path.join(home, 'lb-01/haproxy.cfg'), 'utf8'), 'frontend www\n');

  for (const bad of ['../x', '/etc/x']) {
    const answer = await client.request({ type: 'mount', files: { [bad]: 'no' } });
    assert.equal(answer.ok, false);
    assert.match(answer.error, /refused the path/);
  }
  assert.equal(existsSync(path.join(runner.workspaceRoot, 'x')), false);

  await symlink(runner.workspaceRoot, path.join(home, 'escape'));
  const escape = await client.request({ type: 'mount', files: { 'escape/x': 'no' } });
  assert.match(escape.error, /leads out of the lab's workspace through a symbolic link/);
  assert.equal(existsSync(path.join(runner.workspaceRoot, 'x')), false);
  await writeFile(path.join(runner.workspaceRoot, 'beside.txt'), 'not the lab\'s');
  const read = await client.request({ type: 'readFile', path: 'escape/beside.txt' });
  assert.match(read.error, /leads out of the lab's workspace/);

  await client.ok({ type: 'writeFile', path: 'lb-01/haproxy.cfg', content: 'edited\n' });
  assert.equal((await client.ok({ type: 'readFile', path: 'lb-01/haproxy.cfg' })).content, 'edited\n');
});

test('nothing runs before the lab is known', async (t) => {
  const runner = await runnerFor(t);
  const client = await runner.connect();
  const answer = await client.request({ type: 'spawn', command: 'node', args: ['-e', '1'] });
  assert.match(answer.error, /mount the lab's files, with its lab\.json, first/);
  const unknown = await client.request({ type: 'format-disk' });
  assert.match(unknown.error, /unknown request type "format-disk"/);
});

test('spawn without a terminal returns the output and the exit code', async (t) => {
  const runner = await runnerFor(t);
  const client = await runner.connect();
  await client.ok({ type: 'mount', files: LAB_FILES });
  const { proc } = await client.ok({
    type: 'spawn', command: 'node', args: ['-e', 'console.log(process.env.LAB_HOME); console.error("to stderr"); process.exit(3)'],
    env: { EXTRA: '1' },
  });
  await waitFor(() => client.exits.has(proc), 'the process to exit');
  assert.equal(client.exits.get(proc), 3);
  assert.match(String(client.output.get(proc)), new RegExp(`${path.join(runner.workspaceRoot, '99-test').replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')}\\n`));
  assert.match(String(client.output.get(proc)), /to stderr/);

  const stdin = await client.ok({ type: 'spawn', command: 'node', args: ['-e', 'process.stdin.pipe(process.stdout)'], cwd: 'lb-01' });
  client.tell({ type: 'stdin', proc: stdin.proc, data: 'ping\n' });
  await waitFor(() => client.output.get(stdin.proc) === 'ping\n', 'stdin to come back');
  client.tell({ type: 'kill', proc: stdin.proc });
  await waitFor(() => client.exits.has(stdin.proc), 'the killed process to exit');
  assert.equal(client.exits.get(stdin.proc), 143);

  const missing = await client.request({ type: 'spawn', command: 'no-such-command-here', args: [] });
  assert.match(missing.error, /cannot start 'no-such-command-here': command not found/);
  const outside = await client.request({ type: 'spawn', command: 'node', args: [], cwd: '../..' });
  assert.match(outside.error, /refused the path/);
});

test('the shell runs in a terminal, with lab on its PATH, and resizes', async (t) => {
  const runner = await runnerFor(t);
  const client = await runner.connect();
  await client.ok({ type: 'mount', files: LAB_FILES, links: LAB_LINKS });
  const { proc } = await client.ok({ type: 'shell', cols: 80, rows: 24 });
  client.tell({ type: 'stdin', proc, data: 'echo "answer=$((6*7))"; echo "home=$LAB_HOME"\r' });
  await waitFor(() => /answer=42/.test(client.output.get(proc) ?? ''), 'the shell to answer');
  assert.match(String(client.output.get(proc)), /home=.*99-test/);
  client.tell({ type: 'stdin', proc, data: 'lab up\r' });
  await waitFor(() => /lab is up/.test(client.output.get(proc) ?? ''), '`lab up` to run from kit/bin, a link to kit/lab/index.js');

  client.tell({ type: 'resize', proc, cols: 100, rows: 30 });
  client.tell({ type: 'stdin', proc, data: 'stty size\r' });
  await waitFor(() => /30 100/.test(client.output.get(proc) ?? ''), 'stty to show the new size');
  const bad = await client.request({ type: 'resize', proc, cols: 0, rows: 30 });
  assert.match(bad.error, /a terminal size is \{ cols, rows \}/);
});

test('closing the socket ends every process of the session: the lab\'s supervisor, the shell and its jobs', async (t) => {
  // sh, unlike bash, does not pass SIGHUP on to its background jobs: the runner must end them itself.
  const runner = await runnerFor(t, { shell: 'sh' });
  const client = await runner.connect();
  await client.ok({ type: 'mount', files: LAB_FILES, links: LAB_LINKS });
  const supervisor = await client.ok({ type: 'spawn', command: 'node', args: ['kit/lab', 'supervise', '--up', '--owned'] });
  await waitFor(() => /supervising/.test(client.output.get(supervisor.proc) ?? ''), 'the supervisor to start');
  const shell = await client.ok({ type: 'shell', cols: 80, rows: 24 });
  client.tell({ type: 'stdin', proc: shell.proc, data: 'lab up; sleep 300 & echo "sleeping=$!"\r' });
  await waitFor(() => /sleeping=\d+/.test(client.output.get(shell.proc) ?? ''), 'the background job to start');
  const sleeper = Number(/sleeping=(\d+)/.exec(String(client.output.get(shell.proc)))?.[1]);
  const all = [supervisor.pid, shell.pid, sleeper];
  assert.ok(all.every(isAlive), 'every process runs before the close');

  await client.close();
  await waitFor(() => !all.some(isAlive), 'every process of the session to end');
});

test('links are made inside the workspace only', async (t) => {
  const runner = await runnerFor(t);
  const client = await runner.connect();
  await client.ok({ type: 'mount', files: LAB_FILES, links: LAB_LINKS });
  const home = path.join(runner.workspaceRoot, '99-test');
  assert.equal(await readFile(path.join(home, 'kit/bin/lab'), 'utf8'), FAKE_LAB);
  for (const [link, target] of [['kit/bin/x', '../../../outside'], ['kit/bin/y', '/etc/passwd'], ['../z', 'lab.json']]) {
    const answer = await client.request({ type: 'mount', files: {}, links: { [link]: target } });
    assert.equal(answer.ok, false, `${link} -> ${target} is refused`);
    assert.match(answer.error, /refused|relative target/);
  }
  const onFile = await client.request({ type: 'mount', files: {}, links: { 'lab.json': 'kit/lab/index.js' } });
  assert.match(onFile.error, /a file or folder is already there/);
});

test('a second page that opens the same lab takes it over, once the first has stopped', async (t) => {
  const runner = await runnerFor(t);
  const first = await runner.connect();
  await first.ok({ type: 'mount', files: LAB_FILES });
  const running = await first.ok({ type: 'spawn', command: 'node', args: ['-e', 'setInterval(() => {}, 1000)'] });
  const closed = new Promise((resolve) => first.socket.once('close', (/** @type {number} */ code, /** @type {Buffer} */ reason) => resolve([code, reason.toString()])));

  const second = await runner.connect({ path: '/session?lab=99-test' });
  await second.ok({ type: 'mount', files: { 'notes.txt': 'mine' } });
  assert.deepEqual(await closed, [4000, 'this lab was opened in another tab or window']);
  assert.equal(isAlive(running.pid), false);
  assert.equal((await second.ok({ type: 'readFile', path: 'notes.txt' })).content, 'mine');
});

test('a lab id that is not a plain folder name is refused', async (t) => {
  const runner = await runnerFor(t);
  const named = await runner.connect({ path: '/session?lab=..%2Fescape' });
  assert.match((await named.request({ type: 'mount', files: { 'a.txt': 'x' } })).error, /"\.\.\/escape" is not a lab id/);
  const manifest = await runner.connect();
  const answer = await manifest.request({ type: 'mount', files: { 'lab.json': JSON.stringify({ id: '../escape' }) } });
  assert.match(answer.error, /"\.\.\/escape" is not a lab id/);
});

test('a frame the runner cannot read ends that connection, not the runner', async (t) => {
  const runner = await runnerFor(t);
  const client = await runner.connect();
  const closed = new Promise((resolve) => client.socket.once('close', resolve));
  client.socket.send(Buffer.from([0xff, 0xfe, 0xfd]), { binary: false });
  assert.equal(await closed, 1007);
  const next = await runner.connect();
  await next.ok({ type: 'mount', files: { 'lab.json': labJson() } });
  assert.match(runner.logged.join('\n'), /invalid UTF-8/i);
});
