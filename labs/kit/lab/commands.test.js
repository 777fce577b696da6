// @ts-check
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { balancer, createWorkspace, lab, removeWorkspace, web } from './fixtures/workspace.js';

describe('the lab command on a running lab', () => {
  /** @type {string} */
  let home;
  before(async () => {
    home = createWorkspace({
      control: 24400, servers: [balancer(), web('web-01'), web('web-02')], checks: ['answers', 'kills-web-02'],
    });
    const up = await lab(home, ['up']);
    assert.equal(up.code, 0, up.stdout + up.stderr);
  });
  after(() => removeWorkspace(home));

  test('`lab logs` shows what a server printed, its last N lines with -n', async () => {
    const logs = await lab(home, ['logs', 'web-01']);
    assert.equal(logs.code, 0, logs.stderr);
    assert.match(logs.stdout, /^lab: started node kit\/\S+/m);
    const last = await lab(home, ['logs', 'web-01', 'nginx', '-n', '1']);
    assert.equal(last.stdout.trimEnd().split('\n').length, 1);
    const wrong = await lab(home, ['logs', 'db-01']);
    assert.equal(wrong.code, 2);
    assert.match(wrong.stderr, /no server 'db-01'/);
  });

  test('`lab curl` shows the answer and who served it', async () => {
    const curl = await lab(home, ['curl', '/']);
    assert.equal(curl.code, 0, curl.stderr);
    const served = /^served by: (web-0[12]) \(X-Served-By\)$/m.exec(curl.stdout);
    assert.ok(served, curl.stdout);
    assert.match(curl.stdout, /^HTTP\/1\.1 200 OK/);
    assert.match(curl.stdout, new RegExp(`^counted by: lb-01 \\+1, ${served[1]} \\+1$`, 'm'));
    const direct = await lab(home, ['curl', 'web-02:80/', '-i']);
    assert.match(direct.stdout, /^x-served-by: web-02$/m);
  });

  test('`lab load` counts the requests and each server\'s share, which add up to the total', async () => {
    const load = await lab(home, ['load', '-n', '60', '-c', '4', '--json']);
    assert.equal(load.code, 0, load.stdout + load.stderr);
    const result = JSON.parse(load.stdout);
    assert.equal(result.requests, 60);
    assert.equal(result.failed, 0);
    assert.ok(result.latencyMs.p50 <= result.latencyMs.p95 && result.latencyMs.p95 <= result.latencyMs.p99);
    const webs = result.servers.filter((/** @type {any} */ s) => s.role === 'web');
    assert.equal(webs.reduce((/** @type {number} */ sum, /** @type {any} */ s) => sum + s.requests, 0), 60);
    assert.equal(result.servers.find((/** @type {any} */ s) => s.name === 'lb-01').requests, 60);
    assert.ok(Math.abs(webs.reduce((/** @type {number} */ sum, /** @type {any} */ s) => sum + s.share, 0) - 1) < 1e-9);

    const human = await lab(home, ['load', '-n', '20']);
    assert.match(human.stdout, /^requests {2}20 in /m);
    assert.match(human.stdout, /^latency {3}p50 .*, p95 .*, p99 /m);
    assert.match(human.stdout, /^ {2}web +web-01 +\d+ +\d+%/m);
  });

  test('`lab check --json` prints one array of results, and puts back what a check turned off', async () => {
    const check = await lab(home, ['check', '--json'], { timeoutMs: 40_000 });
    assert.equal(check.code, 1, 'one check fails');
    const results = JSON.parse(check.stdout);
    assert.deepEqual(results.map((/** @type {any} */ r) => [r.id, r.ok]), [['answers', true], ['kills-web-02', false]]);
    for (const result of results) assert.equal(typeof result.message, 'string');
    assert.match(results[1].message, /web-02 is down now/);
    const state = JSON.parse((await lab(home, ['status', '--json'])).stdout);
    assert.equal(state.servers.find((/** @type {any} */ s) => s.name === 'web-02').state, 'up', 'web-02 was started again');

    const one = await lab(home, ['check', 'answers']);
    assert.equal(one.code, 0);
    assert.match(one.stdout, /^PASS {2}answers/m);
    assert.equal((await lab(home, ['check', 'nope'])).code, 2);
  });

  test('`lab reset` puts a starter file back and starts the lab again', async () => {
    const page = path.join(home, 'web-01', 'www', 'index.html');
    const original = readFileSync(page, 'utf8');
    writeFileSync(page, 'my edit\n');
    const reset = await lab(home, ['reset']);
    assert.equal(reset.code, 0, reset.stdout + reset.stderr);
    assert.match(reset.stdout, /restored \d+ starter files?: .*web-01\/www\/index\.html/);
    assert.equal(readFileSync(page, 'utf8'), original);
    const state = JSON.parse((await lab(home, ['status', '--json'])).stdout);
    assert.deepEqual(state.servers.map((/** @type {any} */ s) => s.state), ['up', 'up', 'up']);
  });
});

describe('the lab command without a running lab', () => {
  /** @type {string} */
  let home;
  before(() => { home = createWorkspace({ control: 24500, servers: [balancer(), web('web-01'), web('web-02')] }); });
  after(() => removeWorkspace(home));

  test('says what to do', async () => {
    const ps = await lab(home, ['ps']);
    assert.equal(ps.code, 1);
    assert.equal(ps.stderr, 'lab: the lab is not running: run `lab up`\n');
    const down = await lab(home, ['down']);
    assert.equal(down.code, 0);
    const check = await lab(home, ['check', '--json']);
    assert.deepEqual(JSON.parse(check.stdout), []);
  });

  test('tells a usage mistake (exit status 2) from a failure', async () => {
    assert.equal((await lab(home, ['curl', 'a', 'b'])).code, 2);
    assert.equal((await lab(home, ['load', '-n', 'lots'])).code, 2);
    assert.equal((await lab(home, ['start'])).code, 2);
    assert.equal((await lab(home, ['frobnicate'])).code, 2);
    const help = await lab(home, ['help']);
    assert.equal(help.code, 0);
    for (const command of ['up', 'down', 'ps', 'start', 'stop', 'restart', 'kill', 'partition', 'heal', 'logs', 'curl', 'load', 'check', 'drill', 'events', 'reset', 'supervise']) {
      assert.match(help.stdout, new RegExp(`^ {2}lab ${command}\\b`, 'm'));
    }
  });
});
