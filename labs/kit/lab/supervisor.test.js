// @ts-check
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import http from 'node:http';
import os from 'node:os';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { balancer, createWorkspace, eventually, fixture, lab, removeWorkspace, web } from './fixtures/workspace.js';

/** @param {string} home */
async function state(home) {
  const { stdout, code } = await lab(home, ['status', '--json']);
  assert.equal(code, 0);
  return JSON.parse(stdout);
}

/** @param {any} labState @param {string} name */
const serverOf = (labState, name) => labState.servers.find((/** @type {any} */ s) => s.name === name);

describe('lab up', () => {
  /** @type {string} */
  let home;
  before(() => {
    // Each of these reports ready only when all three run: a supervisor that waited for one before starting the
    // next would never bring them up. The barrier folder is relative to each server's folder: it is in the workspace.
    home = createWorkspace({
      control: 24100,
      servers: ['lb-01', 'web-01', 'web-02'].map((name) => fixture(name, 'tiny-web.js', ['--barrier', '../barrier', '--peers', '3'])),
    });
  });
  after(() => removeWorkspace(home));

  test('starts every server at the same time, and `lab status --json` shows them up', async () => {
    const up = await lab(home, ['up']);
    assert.equal(up.code, 0, up.stdout + up.stderr);
    const labState = await state(home);
    assert.equal(labState.type, 'state');
    assert.deepEqual(labState.servers.map((/** @type {any} */ s) => s.state), ['up', 'up', 'up']);
    for (const server of labState.servers) assert.ok(server.services[0].pid > 0);
  });

  test('a second `lab up` uses the running supervisor', async () => {
    const first = JSON.parse(readFileSync(path.join(home, '.lab', 'supervisor.json'), 'utf8')).pid;
    const pids = (await state(home)).servers.map((/** @type {any} */ s) => s.services[0].pid);
    const again = await lab(home, ['up']);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(JSON.parse(readFileSync(path.join(home, '.lab', 'supervisor.json'), 'utf8')).pid, first);
    assert.deepEqual((await state(home)).servers.map((/** @type {any} */ s) => s.services[0].pid), pids, 'nothing restarted');
    const log = readFileSync(path.join(home, '.lab', 'supervisor.log'), 'utf8');
    assert.equal(log.match(/supervising/g)?.length, 1, 'one supervisor was started');
    assert.doesNotMatch(log, /already runs/);
  });
});

describe('a running lab', () => {
  /** @type {string} */
  let home;
  before(async () => {
    home = createWorkspace({ control: 24200, servers: [balancer(), web('web-01'), web('web-02')] });
    const up = await lab(home, ['up']);
    assert.equal(up.code, 0, up.stdout + up.stderr);
  });
  after(() => removeWorkspace(home));

  test('`lab kill` turns a server down at once, and the event stream shows it', async () => {
    const events = spawn(process.execPath, [path.join(home, 'kit', 'lab'), 'events', '--json'], { cwd: home, env: { ...process.env, LAB_HOME: home } });
    try {
      let stream = '';
      events.stdout.on('data', (chunk) => { stream += chunk; });
      const states = () => stream.split('\n').filter(Boolean).map((line) => JSON.parse(line));
      await eventually(() => states().length > 0, 'the first state on the stream');
      assert.equal(serverOf(states()[0], 'web-02').state, 'up');
      const killed = await lab(home, ['kill', 'web-02']);
      assert.equal(killed.code, 0, killed.stderr);
      assert.match(killed.stdout, /web-02\s+web\s+down/);
      await eventually(() => states().some((s) => serverOf(s, 'web-02').services[0].state === 'killed'), 'web-02 killed on the stream');
      assert.equal(serverOf(await state(home), 'web-02').services[0].pid, null);
    } finally {
      events.kill();
    }
    const started = await lab(home, ['start', 'web-02']);
    assert.equal(started.code, 0, started.stdout);
    assert.equal(serverOf(await state(home), 'web-02').state, 'up');
  });

  test('`lab stop`, `start` and `restart` a server or one service', async () => {
    const stopped = await lab(home, ['stop', 'web-01', 'nginx']);
    assert.equal(stopped.code, 0, stopped.stderr);
    let web01 = serverOf(await state(home), 'web-01');
    assert.equal(web01.state, 'down');
    assert.equal(web01.services[0].state, 'stopped');

    assert.equal((await lab(home, ['start', 'web-01'])).code, 0);
    web01 = serverOf(await state(home), 'web-01');
    assert.equal(web01.state, 'up');

    const restarted = await lab(home, ['restart', 'web-01']);
    assert.equal(restarted.code, 0, restarted.stderr);
    const again = serverOf(await state(home), 'web-01');
    assert.equal(again.state, 'up');
    assert.notEqual(again.services[0].pid, web01.services[0].pid, 'a new process');

    const unknown = await lab(home, ['restart', 'web-07']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /no server 'web-07'.*lb-01, web-01, web-02/);
  });

  test('request counts keep growing across a restart of the server that counted them', async () => {
    const load = async () => JSON.parse((await lab(home, ['load', '-n', '10', '-c', '2', '--json'])).stdout);
    await load();
    const first = serverOf(await state(home), 'lb-01').requests;
    assert.ok(first >= 10, `lb-01 counted ${first}`);
    assert.equal((await lab(home, ['restart', 'lb-01'])).code, 0);
    await load();
    assert.equal(serverOf(await state(home), 'lb-01').requests, first + 10);
  });

  test('the control API answers on 127.0.0.1 only, and only to requests addressed to it', async () => {
    const get = (/** @type {string} */ host, /** @type {Record<string, string>} */ headers = {}) => new Promise((resolve) => {
      const req = http.get({ host, port: 24200, path: '/api/state', headers, timeout: 2000 }, (res) => {
        res.resume();
        resolve(res.statusCode);
      });
      req.on('error', (error) => resolve(/** @type {NodeJS.ErrnoException} */ (error).code));
    });
    assert.equal(await get('127.0.0.1'), 200);
    assert.equal(await get('127.0.0.1', { host: 'evil.example:24200' }), 403);
    const outside = Object.values(os.networkInterfaces()).flat()
      .filter((address) => address && address.family === 'IPv4' && !address.internal)
      .map((address) => address?.address);
    for (const address of ['127.0.0.2', ...outside]) {
      assert.notEqual(await get(/** @type {string} */ (address)), 200, `the control API answered on ${address}`);
    }
  });

  test('on SIGTERM the supervisor stops every server, then ends', async () => {
    /** @type {number[]} */
    const pids = (await state(home)).servers.map((/** @type {any} */ s) => s.services[0].pid);
    const pidFile = path.join(home, '.lab', 'supervisor.json');
    process.kill(JSON.parse(readFileSync(pidFile, 'utf8')).pid, 'SIGTERM');
    await eventually(() => !existsSync(pidFile), 'the supervisor to end');
    const alive = pids.filter((pid) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    });
    assert.deepEqual(alive, [], 'every server process has ended');
    assert.match(readFileSync(path.join(home, '.lab', 'supervisor.log'), 'utf8'), /every server is stopped; the supervisor ends/);
  });
});

describe('servers that fail or never say they are ready', () => {
  /** @type {string} */
  let home;
  before(() => {
    home = createWorkspace({
      control: 24300,
      servers: [
        fixture('lb-01', 'tiny-vrrp.js', ['--state', 'MASTER', '--priority', '150'], 'balancer'),
        fixture('lb-02', 'tiny-vrrp.js', ['--state', 'BACKUP', '--priority', '100'], 'balancer'),
        fixture('web-01', 'tiny-web.js', ['--fail']),
        fixture('web-02', 'tiny-web.js', ['--quiet']),
      ],
    });
  });
  after(() => removeWorkspace(home));

  test('`lab up` fails, shows why, and restarts nothing; a silent server is up after the fallback delay', async () => {
    const up = await lab(home, ['up']);
    assert.equal(up.code, 1);
    assert.match(up.stdout, /web-01\/web did not start/);
    assert.match(up.stdout, /a deliberate failure/);
    const web01 = serverOf(await state(home), 'web-01');
    assert.deepEqual(web01.services[0], { name: 'web', state: 'exited', pid: null, exitCode: 1 });
    await eventually(async () => serverOf(await state(home), 'web-02').state === 'up', 'the silent web-02 to count as up');
    assert.equal(serverOf(await state(home), 'web-01').services[0].state, 'exited', 'never restarted');
  });

  test('the virtual IP belongs to the server whose VRRP daemon says MASTER', async () => {
    const labState = await eventually(async () => {
      const s = await state(home);
      return s.vip?.owner ? s : null;
    }, 'a VRRP report');
    assert.deepEqual(labState.vip, { address: '10.0.0.100', owner: 'lb-01', claimants: ['lb-01'] });
    assert.deepEqual(serverOf(labState, 'lb-02').vrrp, [{ instance: 'VI_1', state: 'BACKUP', priority: 100, addresses: ['10.0.0.100'] }]);
    await lab(home, ['kill', 'lb-01']);
    assert.deepEqual((await state(home)).vip, { address: '10.0.0.100', owner: null, claimants: [] });
  });
});
