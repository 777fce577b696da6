// @ts-check
/**
 * worker_connections (fixtures/worker-connections): a connection over the limit is closed at once, and the error
 * log says why in nginx's words, so that a learner who sees `connection reset` under load can find the cause.
 */
import net from 'node:net';
import { test } from 'node:test';
import { copyFixture, startWebTier, waitFor } from './harness.js';

test('a connection over worker_connections is closed, and the error log says so', async (t) => {
  const web = await startWebTier(t, await copyFixture(t, 'worker-connections'));
  /** @type {net.Socket[]} */
  const held = [];
  t.after(() => held.forEach((socket) => socket.destroy()));
  const connect = () => new Promise((resolve) => {
    const socket = net.connect(web.port, '127.0.0.1', () => resolve(socket));
    socket.on('error', () => {});
    held.push(socket);
  });
  await connect();
  await connect();
  const third = /** @type {net.Socket} */ (await connect());
  third.resume();
  await waitFor(() => third.destroyed || third.readableEnded, 'the third connection to be closed');
  await waitFor(() => /\[alert\] 2 worker_connections are not enough/.test(web.stderr), 'the alert in the error log');
});
