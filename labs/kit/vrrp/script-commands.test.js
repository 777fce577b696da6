// @ts-check
/**
 * The two vrrp_script commands the lab runs itself, against real servers in this process: they give the exit
 * status the real killall and curl would give, and any other line is refused when the file is loaded.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, test } from 'node:test';
import { ConfigError } from '../lib/config-error.js';
import { Network } from '../lib/network.js';
import { parseScriptCommand, prepareCheck } from './script-commands.js';
import { ScriptTracker } from './track-script.js';

const where = { file: 'keepalived.conf', line: 7 };
/** @type {http.Server} */
let server;
/** @type {Network} */
let network;

before(async () => {
  // `/ok` answers 200, `/broken` 500, `/slow` never.
  server = http.createServer((request, response) => {
    if (request.url === '/slow') return;
    response.writeHead(request.url === '/broken' ? 500 : 200).end();
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  // lb-01's port 80 is the server above; lb-02's is port 9 (the old "discard" service), where nothing listens.
  network = new Network({ hosts: { 'lb-01': '10.0.0.11', 'lb-02': '10.0.0.12' }, ports: { 'lb-01:80': port, 'lb-02:80': 9 } });
});
after(() => {
  server.closeAllConnections();
  server.close();
});

/**
 * @param {string} line the script line
 * @param {string} [home] the server the daemon runs on
 */
function check(line, home = 'lb-01') {
  return prepareCheck(parseScriptCommand(line, where), { network, home });
}

test('killall -0 haproxy succeeds while port 80 of this server accepts connections, and fails with 1 otherwise', async () => {
  assert.equal(await check('/usr/bin/killall -0 haproxy')(1000), 0);
  assert.equal(await check('killall -0 haproxy', 'lb-02')(1000), 1);
});

test('pidof, pgrep and systemctl is-active ask the same question as killall -0, each with its own "not running" status', async () => {
  for (const line of ['pidof haproxy', '/usr/bin/pgrep haproxy', 'pgrep -x haproxy', 'systemctl is-active haproxy', '/usr/bin/systemctl is-active --quiet haproxy.service']) {
    assert.equal(await check(line)(1000), 0, line);
  }
  assert.equal(await check('/bin/pidof haproxy', 'lb-02')(1000), 1);
  assert.equal(await check('pgrep haproxy', 'lb-02')(1000), 1);
  assert.equal(await check('systemctl is-active haproxy', 'lb-02')(1000), 3, 'systemctl is-active exits 3 for an inactive unit');
});

test('/bin/true always succeeds and /bin/false always fails, with or without the path', async () => {
  assert.equal(await check('/bin/true')(1000), 0);
  assert.equal(await check('true')(1000), 0);
  assert.equal(await check('/usr/bin/false')(1000), 1);
});

test('curl gives curl\'s exit statuses: 0, 22 for an HTTP error with -f, 7 when nothing listens, 28 at --max-time', async () => {
  assert.equal(await check('/usr/bin/curl -sf -o /dev/null http://10.0.0.11:80/ok')(1000), 0);
  assert.equal(await check('/usr/bin/curl -sf -o /dev/null http://lb-01/broken')(1000), 22);
  assert.equal(await check('/usr/bin/curl -s -o /dev/null http://lb-01/broken')(1000), 0, 'without -f curl succeeds on any answer');
  assert.equal(await check('curl --fail http://10.0.0.12:80/')(1000), 7);
  assert.equal(await check('curl -fsS -m 0.2 http://lb-01/slow')(5000), 28);
  assert.equal(await check('curl -f http://lb-01/slow')(200), 'timeout', 'keepalived\'s own timeout, without -m');
});

test('every other script line is refused when the file is loaded, with a hint', () => {
  for (const line of ['/bin/sh -c "pidof haproxy"', 'killall haproxy', 'killall -0 nginx', 'pidof nginx', 'pgrep -f haproxy',
    'systemctl restart haproxy', 'systemctl is-active nginx', '/bin/true 1', '/etc/keepalived/check.sh', 'curl -I http://lb-01/',
    'curl -o /tmp/page http://lb-01/', 'curl https://lb-01/', 'curl http://a/ http://b/', 'curl -sf']) {
    assert.throws(() => parseScriptCommand(line, where), (error) => {
      assert.ok(error instanceof ConfigError, line);
      assert.match(error.format(), /^keepalived\.conf:7: 'script': .+\n {2}hint: \S/);
      return true;
    });
  }
});

test('fall failures in a row make a script fail, rise successes in a row make it succeed, the first result decides', () => {
  let changes = 0;
  const script = { name: 'chk', line: 1, text: '', command: /** @type {const} */ ({ kind: 'balancer-alive', notRunning: 1 }),
    interval: 1, timeout: 1, weight: -20, fall: 2, rise: 3 };
  const tracker = new ScriptTracker(script, async () => 0, () => { changes++; });
  const statuses = [0, 1, 0, 1, 1, 0, 0, 1, 0, 0, 0, 'timeout', 'timeout'].map((result) => {
    tracker.record(/** @type {number | 'timeout'} */ (result));
    return tracker.status;
  });
  assert.deepEqual(statuses, ['good', 'good', 'good', 'good', 'bad', 'bad', 'bad', 'bad', 'bad', 'bad', 'good', 'good', 'bad']);
  assert.equal(changes, 4);
});
