// @ts-check
/** The runner's limits: wide above what any lab needs, and each one refused with a message that names it. */
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { WORKSPACE_LINKS, labWorkspaceFiles, listLabs } from '../labs/lab-files.js';
import { LIMITS, WorkspaceLedger } from './limits.js';
import { Session } from './session.js';
import { labJson, runnerFor, waitFor } from './testing.js';

const MB = 1024 * 1024;
const LABS = path.join(import.meta.dirname, '..', 'labs');

test('every lab, starter and solution, stays under a tenth of every limit', () => {
  for (const lab of listLabs(LABS)) {
    for (const solution of [false, true]) {
      const files = labWorkspaceFiles(path.join(LABS, lab), { solution });
      const sizes = Object.values(files).map((content) => Buffer.byteLength(content));
      const mount = Buffer.byteLength(JSON.stringify({ id: 1, type: 'mount', files, links: WORKSPACE_LINKS }));
      const what = `${lab}${solution ? ' (solution)' : ''}`;
      assert.ok(Math.max(...sizes) * 10 < LIMITS.fileBytes, `${what}: its largest file`);
      assert.ok(sizes.reduce((a, b) => a + b, 0) * 10 < LIMITS.workspaceBytes, `${what}: its total size`);
      assert.ok(sizes.length * 10 < LIMITS.workspaceFiles, `${what}: its number of files`);
      assert.ok(mount * 10 < LIMITS.messageBytes, `${what}: its mount message`);
      assert.ok(mount * 10 < LIMITS.waitingBytes, `${what}: its mount message, waiting`);
    }
  }
});

test('the ledger counts each path once, at its latest size, and refuses before anything is recorded', () => {
  const ledger = new WorkspaceLedger();
  for (let i = 0; i < 10; i++) {
    ledger.check([[`big-${i}`, 5 * MB]]);
    ledger.record(`big-${i}`, 5 * MB);
  }
  assert.equal(ledger.bytes, LIMITS.workspaceBytes);
  assert.throws(() => ledger.check([['one-more', 1]]), /the page's files in the lab's workspace would pass 50 MB, the runner's limit/);
  ledger.check([['big-0', 5 * MB]]);
  ledger.check([['big-0', 1], ['one-more', 5 * MB - 1]]);
  assert.equal(ledger.bytes, LIMITS.workspaceBytes);

  const many = new WorkspaceLedger();
  const files = Array.from({ length: LIMITS.workspaceFiles }, (_, i) => /** @type {[string, number]} */ ([`f${i}`, 1]));
  many.check(files);
  assert.throws(() => many.check([...files, ['f-last', 1]]), /would have written 5001 files into the lab's workspace, more than the runner's limit of 5000/);
  assert.equal(many.sizes.size, 0);
});

test('a file over the limit is neither written nor read, and says which limit', async (t) => {
  const runner = await runnerFor(t);
  const client = await runner.connect();
  await client.ok({ type: 'mount', files: { 'lab.json': labJson() } });
  const home = path.join(runner.workspaceRoot, '99-test');

  const big = await client.request({ type: 'writeFile', path: 'big.txt', content: 'x'.repeat(LIMITS.fileBytes + 1) });
  assert.match(big.error, /refused to write "big\.txt": it is larger than 5 MB, the runner's limit for one file/);
  assert.equal(existsSync(path.join(home, 'big.txt')), false);
  const inMount = await client.request({ type: 'mount', files: { 'small.txt': 'x', 'big.txt': 'x'.repeat(LIMITS.fileBytes + 1) } });
  assert.match(inMount.error, /refused to write "big\.txt"/);
  assert.equal(existsSync(path.join(home, 'small.txt')), false, 'a mount with one file too large writes nothing');
  await client.ok({ type: 'writeFile', path: 'just.txt', content: 'x'.repeat(LIMITS.fileBytes) });

  await writeFile(path.join(home, 'grown.log'), Buffer.alloc(LIMITS.fileBytes + 1, 'x'));
  assert.match((await client.request({ type: 'readFile', path: 'grown.log' })).error, /refused to read "grown\.log": it is larger than 5 MB, the runner's limit for one file/);
});

test('the files the page writes into a workspace are counted across requests and sessions', async (t) => {
  const runner = await runnerFor(t);
  const first = await runner.connect();
  const files = Object.fromEntries(Array.from({ length: LIMITS.workspaceFiles - 1 }, (_, i) => [`many/f${i}.txt`, 'x']));
  const tooMany = await first.request({ type: 'mount', files: { ...files, 'lab.json': labJson(), 'one-more.txt': 'x' } });
  assert.match(tooMany.error, /5001 files into the lab's workspace, more than the runner's limit of 5000/);
  assert.equal(existsSync(path.join(runner.workspaceRoot, '99-test', 'many')), false, 'nothing of a refused mount is written');

  await first.ok({ type: 'mount', files: { ...files, 'lab.json': labJson() } });
  await first.close();
  const second = await runner.connect();
  await second.ok({ type: 'mount', files: { 'lab.json': labJson(), 'many/f0.txt': 'written again' } });
  assert.match((await second.request({ type: 'writeFile', path: 'new.txt', content: 'x' })).error, /5001 files/);
});

test('a message over the limit closes that connection, and the runner says why', async (t) => {
  const runner = await runnerFor(t);
  const client = await runner.connect();
  const closed = new Promise((resolve) => client.socket.once('close', resolve));
  client.socket.send(JSON.stringify({ id: 1, type: 'writeFile', path: 'x', content: 'x'.repeat(LIMITS.messageBytes) }));
  assert.equal(await closed, 1009);
  await waitFor(() => /the page sent a message larger than 16 MB, the runner's limit; closed the connection/.test(runner.logged.join('\n')), 'the log line');
  await (await runner.connect()).ok({ type: 'mount', files: { 'lab.json': labJson() } });
});

test('sessions beyond the limit are told why, and the next one is let in once one closes', async (t) => {
  const runner = await runnerFor(t);
  const open = await Promise.all(Array.from({ length: LIMITS.sessions }, () => runner.connect()));
  const extra = await runner.connect();
  const [code, reason] = await new Promise((resolve) => extra.socket.once('close', (/** @type {number} */ c, /** @type {Buffer} */ r) => resolve([c, r.toString()])));
  assert.equal(code, 4000);
  assert.equal(reason, `the runner already has ${LIMITS.sessions} labs open, its limit: close another lab's tab, then reload this page`);
  await open[0].close();
  await waitFor(async () => {
    const next = await runner.connect();
    return (await next.request({ type: 'mount', files: { 'lab.json': labJson() } })).ok === true;
  }, 'a session to be let in again');
});

test('a runner opens a limited number of labs', async (t) => {
  const runner = await runnerFor(t);
  for (let i = 0; i < LIMITS.labs; i++) {
    const client = await runner.connect();
    await client.ok({ type: 'mount', files: { 'lab.json': labJson(`lab-${i}`) } });
    await client.close();
  }
  const refused = await runner.connect();
  const answer = await refused.request({ type: 'mount', files: { 'lab.json': labJson('one-too-many') } });
  assert.match(answer.error, /refused to open the lab one-too-many: this runner has opened 30 labs, its limit/);
  await refused.close();
  const again = await runner.connect();
  await again.ok({ type: 'mount', files: { 'lab.json': labJson('lab-0') } });
});

/**
 * A session on a stand-in for the WebSocket, so that messages arrive exactly when the test says.
 * @param {import('node:test').TestContext} t
 */
async function standInSession(t) {
  const home = await realpath(await mkdtemp(path.join(tmpdir(), 'lab-limits-')));
  t.after(() => rm(home, { recursive: true, force: true }));
  /** @type {any[]} */
  const sent = [];
  const socket = Object.assign(new EventEmitter(), {
    OPEN: 1, readyState: 1, bufferedAmount: 0,
    send: (/** @type {string} */ text) => sent.push(JSON.parse(text)),
    close() {},
  });
  /** @type {import('./session.js').SessionContext} */
  const context = {
    claim: async () => home, release() {}, ledger: () => new WorkspaceLedger(), origin: 'http://127.0.0.1:1', log() {},
  };
  new Session(/** @type {any} */ (socket), context, '99-test');
  const message = (/** @type {Record<string, unknown>} */ body) => socket.emit('message', Buffer.from(JSON.stringify(body)), false);
  return { socket, sent, message };
}

test('messages that wait for an answer are held up to the limit; more are refused at once and kept by no one', async (t) => {
  const { sent, message } = await standInSession(t);
  // Two such messages fit in the limit; the third does not.
  const padding = 'x'.repeat(Math.floor(LIMITS.waitingBytes * 0.4));
  for (const id of [1, 2, 3]) message({ id, type: 'readFile', path: 'missing.txt', padding });
  assert.deepEqual(sent.map((frame) => frame.id), [3], 'the third is refused before the first is handled');
  assert.match(sent[0].error, /the page sent more than 32 MB of requests that wait for an answer, the runner's limit for one lab/);
  await waitFor(() => sent.length === 3, 'the first two to be answered');
  assert.deepEqual(sent.map((frame) => frame.id), [3, 1, 2]);
  message({ id: 4, type: 'readFile', path: 'missing.txt', padding });
  await waitFor(() => sent.length === 4, 'a message to be taken again once the others are handled');
  assert.match(sent[3].error, /there is no file "missing\.txt"/);
});

test('a page that does not take its answers gets no more until it does', async (t) => {
  const { socket, sent, message } = await standInSession(t);
  socket.bufferedAmount = 2 * MB;
  message({ id: 1, type: 'readFile', path: 'missing.txt' });
  await new Promise((resolve) => setTimeout(resolve, 200));
  assert.equal(sent.length, 0);
  socket.bufferedAmount = 0;
  await waitFor(() => sent.length === 1, 'the answer once the page has caught up');
});
