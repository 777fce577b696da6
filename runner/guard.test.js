// @ts-check
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRefusalLog, hostProblem, originProblem, protocolToken, tokenProblem } from './guard.js';

test('only loopback names with the runner\'s own port pass the Host check', () => {
  for (const host of ['127.0.0.1:7300', 'localhost:7300', 'LOCALHOST:7300', '[::1]:7300']) {
    assert.equal(hostProblem(host, 7300), undefined, host);
  }
  for (const host of [undefined, '', 'evil.example:7300', '127.0.0.1.evil.example:7300', '127.0.0.1:7301', '127.0.0.1', '10.0.0.5:7300']) {
    assert.match(String(hostProblem(host, 7300)), /Host/, String(host));
  }
});

test('only listed origins pass, compared exactly', () => {
  const allowed = new Set(['http://localhost:3000', 'https://you.github.io']);
  assert.equal(originProblem('https://you.github.io', allowed), undefined);
  assert.match(String(originProblem(undefined, allowed)), /no Origin/);
  assert.match(String(originProblem('https://you.github.io.evil.example', allowed)), /not allowed.*--origin/);
  assert.match(String(originProblem('http://localhost:3001', allowed)), /not allowed/);
  assert.match(String(originProblem('null', allowed)), /not allowed/);
});

test('the token must be present and equal', () => {
  assert.equal(tokenProblem('abcdefabcdefabcdef', 'abcdefabcdefabcdef'), undefined);
  assert.equal(tokenProblem(undefined, 'abcdefabcdefabcdef'), 'missing token');
  assert.equal(tokenProblem('abcdefabcdefabcdeX', 'abcdefabcdefabcdef'), 'wrong token');
  assert.equal(tokenProblem('abc', 'abcdefabcdefabcdef'), 'wrong token');
});

test('the WebSocket token travels as a subprotocol', () => {
  const req = /** @type {any} */ ({ headers: { 'sec-websocket-protocol': 'scale-up-lab.1, token.secret-123' } });
  assert.equal(protocolToken(req), 'secret-123');
  assert.equal(protocolToken(/** @type {any} */ ({ headers: {} })), undefined);
});

test('refusals are logged at most once per reason and interval, then counted', () => {
  /** @type {string[]} */
  const lines = [];
  let now = 0;
  const refused = createRefusalLog((line) => lines.push(line), 10_000, () => now);
  refused('a WebSocket connection from https://evil.example', 'origin https://evil.example is not allowed');
  refused('a WebSocket connection from https://evil.example', 'origin https://evil.example is not allowed');
  refused('GET /api/hello', 'wrong token');
  now = 11_000;
  refused('a WebSocket connection from https://evil.example', 'origin https://evil.example is not allowed');
  assert.deepEqual(lines, [
    'refused a WebSocket connection from https://evil.example: origin https://evil.example is not allowed',
    'refused GET /api/hello: wrong token',
    'refused a WebSocket connection from https://evil.example: origin https://evil.example is not allowed (and 1 more like it)',
  ]);
});
