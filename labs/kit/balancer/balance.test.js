// @ts-check
/**
 * The balancing algorithms against sequences recorded from the real HAProxy 2.6 (Debian 2.6.12) with the same
 * servers and weights: server n is written as the digit n, one request after the other from a fresh start.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createPicker } from './balance.js';
import { RoundRobin } from './round-robin.js';
import { hashAddress, ServerMap } from './server-map.js';

/** @param {number[]} weights */
function servers(weights) {
  return weights.map((weight, i) => ({ name: String(i + 1), weight, active: 0, leastconnOrder: i }));
}

/**
 * @param {{ pick(): { name: string } | undefined }} picker
 * @param {number} count
 */
function take(picker, count) {
  return Array.from({ length: count }, () => picker.pick()?.name).join('');
}

const RECORDED_ROUND_ROBIN = [
  { weights: [1, 1, 1], sequence: '123123123123' },
  { weights: [3, 2, 1], sequence: '121312121312' },
  // 110 requests: more than one window of 16 x (2 + 1) positions, so the window restart is covered too.
  { weights: [2, 1], sequence: '11211211211211211211211211211211211211211211211211211211211211211211211211211211211211211211211211211211211211' },
  { weights: [7, 4, 2, 1], sequence: '12131214121321121312141213211213121412132112131214121321121312141213211213121412132112131214121321121312141213' },
  { weights: [1, 10], sequence: '22222222221222222222212222222222122222222221222222222212222222222122222222221222222222212222222222122222222221' },
];

for (const { weights, sequence } of RECORDED_ROUND_ROBIN) {
  test(`roundrobin with weights ${weights.join(', ')} gives HAProxy's rotation`, () => {
    assert.equal(take(new RoundRobin(servers(weights)), sequence.length), sequence);
  });
}

test('roundrobin skips the server to avoid (a redispatch) when another is usable, and uses it when it is the only one', () => {
  const list = servers([1, 1, 1]);
  const rotation = new RoundRobin(list);
  assert.equal(rotation.pick(list[0])?.name, '2');
  const alone = new RoundRobin([list[0]]);
  assert.equal(alone.pick(list[0])?.name, '1');
});

test('static-rr walks HAProxy\'s table of slots', () => {
  const map = new ServerMap(servers([3, 2, 1]));
  assert.equal(take({ pick: () => map.next() }, 12), '112123112123');
});

test('source hashes the client address as HAProxy does', () => {
  assert.equal(hashAddress('127.0.0.1'), 0x7f000001);
  assert.equal(hashAddress('::ffff:127.0.0.1'), 0x7f000001);
  assert.equal(hashAddress('::1'), 1);
  const map = new ServerMap(servers([3, 2, 1]));
  const clients = Array.from({ length: 12 }, (_, i) => map.byAddress(`127.0.0.${i + 1}`)?.name).join('');
  assert.equal(clients, '311212311212');
});

test('leastconn: fewest requests in progress for the weight, idle servers in turn', () => {
  const list = servers([2, 1]);
  const picker = createPicker('leastconn', list);
  let clock = 10;
  /** @param {typeof list[number]} server @param {number} change */
  const count = (server, change) => { server.active += change; server.leastconnOrder = ++clock; };
  const held = [];
  for (let i = 0; i < 6; i++) {
    const server = /** @type {typeof list[number]} */ (picker.pick(''));
    count(server, 1);
    held.push(server.name);
  }
  assert.equal(held.join(''), '121121', 'weight 2 takes two requests in progress for each one of weight 1');
  for (const server of list) count(server, -server.active);
  assert.equal(picker.pick('')?.name, '1');
});

test('first: always the first usable server', () => {
  const list = servers([1, 1]);
  const picker = createPicker('first', list);
  assert.equal(take({ pick: () => picker.pick('') }, 3), '111');
  assert.equal(picker.pick('', list[0])?.name, '2');
});
