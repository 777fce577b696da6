// @ts-check
/**
 * The supervisor's process model, the same for both backends: it runs in the foreground of whoever started it and
 * never as a daemon. Owned by the lab page, it ends when its standard input closes; in a terminal, `lab up` becomes
 * the supervisor when none runs, and Ctrl-C ends it.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { isAlive } from '../../../runner/processes.js';
import { createWorkspace, eventually, fixture, lab, removeWorkspace, supervise, web } from './fixtures/workspace.js';

/** @param {string} home */
async function servicePids(home) {
  const { stdout } = await lab(home, ['status', '--json']);
  return JSON.parse(stdout).servers.flatMap((/** @type {any} */ s) => s.services.map((/** @type {any} */ v) => v.pid));
}

test('an owned supervisor ends, with every server, when its owner closes its input; `lab down --all` leaves it to its owner', async (t) => {
  const home = createWorkspace({ control: 25200, servers: [web('web-01'), web('web-02')] });
  t.after(() => removeWorkspace(home));
  const supervisor = await supervise(home, { up: true });
  await eventually(async () => (await servicePids(home)).every(Boolean), 'both servers to run');

  const down = await lab(home, ['down', '--all']);
  assert.equal(down.code, 0, down.stderr);
  assert.match(down.stdout, /The supervisor stays: it belongs to the lab page/);
  assert.equal(supervisor.exitCode, null, 'the supervisor still runs');
  const up = await lab(home, ['up']);
  assert.equal(up.code, 0, up.stderr);
  const pids = [/** @type {number} */ (supervisor.pid), ...await servicePids(home)];
  assert.ok(pids.every(isAlive));

  supervisor.stdin?.end();
  await eventually(() => !pids.some(isAlive), 'the supervisor and every server to end');
});

test('`lab up` without a supervisor becomes the supervisor, in the foreground, until Ctrl-C', async (t) => {
  const home = createWorkspace({ control: 25300, servers: [web('web-01')] });
  t.after(() => removeWorkspace(home));
  const child = spawn(process.execPath, [path.join(home, 'kit', 'lab'), 'up'], {
    cwd: home, env: { ...process.env, LAB_HOME: home, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => { output += chunk; });
  child.stderr.on('data', (chunk) => { output += chunk; });
  const ended = new Promise((resolve) => child.once('exit', resolve));
  await eventually(() => /The lab runs in this terminal/.test(output), '`lab up` to say that the lab runs in the foreground');
  assert.match(output, /web-01\s+web\s+up/);
  const pids = await servicePids(home);
  assert.equal((await lab(home, ['status'])).code, 0, 'another terminal drives the lab');
  assert.equal(child.exitCode, null, '`lab up` keeps running');

  child.kill('SIGINT');
  assert.equal(await ended, 0);
  assert.ok(!pids.some(isAlive), 'Ctrl-C stopped every server');
});

/**
 * `supervise --up --owned --events` in a new workspace, as the lab page starts it; `documents` are the JSON lines of
 * its output so far.
 * @param {string} home
 * @param {{ colour?: boolean }} [options] without NO_COLOR (the page's terminal shows colours)
 */
function superviseWithEvents(home, { colour = false } = {}) {
  /** @type {NodeJS.ProcessEnv} */
  const env = { ...process.env, LAB_HOME: home, NO_COLOR: '1' };
  if (colour) delete env.NO_COLOR;
  const child = spawn(process.execPath, [path.join(home, 'kit', 'lab'), 'supervise', '--up', '--owned', '--events'], {
    cwd: home, env, stdio: ['pipe', 'pipe', 'pipe'],
  });
  const ended = new Promise((resolve) => child.once('exit', resolve));
  let output = '';
  child.stdout.on('data', (chunk) => { output += chunk; });
  const documents = () => output.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line));
  return { child, ended, output: () => output, documents };
}

test('`supervise --events` prints the lab\'s state on its own output, one JSON document a line, among its own lines', async (t) => {
  const home = createWorkspace({ control: 25450, servers: [web('web-01')] });
  t.after(() => removeWorkspace(home));
  const { child, ended, output, documents } = superviseWithEvents(home);
  const states = () => documents().filter((document) => document.type === 'state');
  await eventually(() => states().some((state) => state.servers[0]?.state === 'up'), 'a state with web-01 up');
  assert.equal(documents()[0].type, 'state');
  assert.match(output(), /supervising \S+ on 127\.0\.0\.1:25450/, 'its own lines are there too');
  // Then, once, what `lab up` would print: the page shows it instead of running `lab up`.
  await eventually(() => documents().some((document) => document.type === 'up'), 'the start\'s report');
  const reports = documents().filter((document) => document.type === 'up');
  assert.equal(reports.length, 1);
  assert.equal(reports[0].code, 0);
  assert.match(reports[0].text, /^SERVER +ROLE +STATE +REQUESTS +SERVICES\nweb-01 +web +up /);
  assert.match(reports[0].text, /is up: 1 server in \S+ m?s\. Try `lab curl`/);
  assert.doesNotMatch(reports[0].text, /\u001b\[/, 'no colour with NO_COLOR set');
  child.stdin.end();
  assert.equal(await ended, 0);
});

test('`supervise --up --events` reports a server that does not start as `lab up` does, with the end of its output', async (t) => {
  const home = createWorkspace({ control: 25460, servers: [fixture('web-01', 'tiny-web.js', ['--fail'])] });
  t.after(() => removeWorkspace(home));
  const { child, ended, documents } = superviseWithEvents(home, { colour: true });
  await eventually(() => documents().some((document) => document.type === 'up'), 'the start\'s report');
  const report = documents().find((document) => document.type === 'up');
  assert.equal(report.code, 1);
  assert.match(report.text, /\u001b\[31mweb-01\/web did not start\u001b\[0m; the end of its output \(`lab logs web-01 web`\):\n(?: {2}.*\n)* {2}tiny-web: .*a deliberate failure/);
  assert.match(report.text, /Fix what the output says, then run `lab start web-01` \(or `lab up`\)\.$/);
  child.stdin.end();
  assert.equal(await ended, 0);
});

test('`lab supervise` refuses an argument it does not know', async (t) => {
  const home = createWorkspace({ control: 25400, servers: [web('web-01')] });
  t.after(() => removeWorkspace(home));
  const answer = await lab(home, ['supervise', '--detach']);
  assert.equal(answer.code, 2);
  assert.match(answer.stderr, /unknown argument --detach; usage: lab supervise \[--up\] \[--owned\] \[--events\]/);
});
