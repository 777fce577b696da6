// @ts-check
/**
 * Malformed HTTP from a client gets a 4xx (or is timed out), and the balancer keeps serving everyone else.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { test } from 'node:test';
import { freePort, get, startBackends, startBalancer } from './test-support/harness.js';

/**
 * Sends raw bytes (in pieces, `pauseMs` apart) and resolves with everything the balancer answered before closing.
 * @param {number} port
 * @param {string[]} pieces
 * @param {number} [pauseMs]
 */
function rawExchange(port, pieces, pauseMs = 0) {
  return new Promise((resolve, reject) => {
    let answer = '';
    const socket = net.connect(port, '127.0.0.1');
    const timer = setTimeout(() => { socket.destroy(); reject(new Error(`no answer; got so far: ${answer}`)); }, 8000);
    socket.on('data', (d) => { answer += d; });
    socket.on('close', () => { clearTimeout(timer); resolve(answer); });
    socket.on('error', () => {});
    let index = 0;
    const sendNext = () => {
      if (index >= pieces.length || socket.destroyed) return;
      socket.write(pieces[index++], () => {});
      setTimeout(sendNext, pauseMs);
    };
    socket.on('connect', sendNext);
  });
}

test('malformed requests get 400, 408 or 431 and the balancer keeps serving', async (t) => {
  const [backend] = await startBackends(t, ['web-01']);
  const port = await freePort();
  await startBalancer(t, `defaults
    mode http
    timeout connect 1s
    timeout client 5s
    timeout server 5s
    timeout http-request 1s
frontend www
    bind 127.0.0.1:${port}
    default_backend web
backend web
    server web-01 127.0.0.1:${backend.port}
`, port);
  const cases = [
    { what: 'a bad request line', pieces: ['THIS IS NOT HTTP\r\n\r\n'], status: /^HTTP\/1\.1 400 / },
    { what: 'Content-Length together with Transfer-Encoding', status: /^HTTP\/1\.1 400 /,
      pieces: ['POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n'] },
    { what: 'oversized headers', pieces: [`GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(40_000)}\r\n\r\n`], status: /^HTTP\/1\.1 431 / },
    { what: 'headers sent slowly (slowloris)', pieces: ['GET / HTTP/1.1\r\n', ...Array(30).fill('X-Slow: 1\r\n')], pauseMs: 200,
      status: /^HTTP\/1\.1 408 / },
  ];
  for (const { what, pieces, pauseMs, status } of cases) {
    const started = Date.now();
    const answer = await rawExchange(port, pieces, pauseMs);
    assert.match(String(answer), status, `${what}: got ${JSON.stringify(String(answer).slice(0, 80))}`);
    if (pauseMs) assert.ok(Date.now() - started < 4000, `${what}: cut off after ${Date.now() - started} ms, timeout http-request is 1s`);
    const after = await get(port);
    assert.equal(after.body, 'web-01', `still serving after ${what}`);
  }
});

test('what HAProxy answers that Node alone would not: the answer before a pipelined error, broken chunks, a second authority', async (t) => {
  const [backend] = await startBackends(t, ['web-01']);
  const [port, statsPort] = [await freePort(), await freePort()];
  await startBalancer(t, `defaults
    mode http
    timeout connect 1s
    timeout client 5s
    timeout server 5s
frontend www
    bind 127.0.0.1:${port}
    default_backend web
backend web
    server web-01 127.0.0.1:${backend.port}
listen stats
    bind 127.0.0.1:${statsPort}
    stats enable
    stats uri /haproxy?stats
`, port);
  const H = 'Host: x\r\n';
  const cases = [
    { what: 'a good request, then garbage', port, send: `GET / HTTP/1.1\r\n${H}\r\nGARBAGE\r\n\r\n`, statuses: [200, 400] },
    { what: 'a chunk size that is not hexadecimal', port, statuses: [400],
      send: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\nZZ\r\nabc\r\n0\r\n\r\n` },
    { what: 'a chunk size that overflows', port, statuses: [400],
      send: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFFFFF\r\nabc\r\n0\r\n\r\n` },
    { what: 'Transfer-Encoding: chunkedx', port, send: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunkedx\r\n\r\n0\r\n\r\n`, statuses: [400] },
    { what: 'an absolute-form target naming another host', port, send: `GET http://evil.test/ HTTP/1.1\r\n${H}\r\n`, statuses: [400] },
    { what: 'an absolute-form target naming the Host, with its default port', port,
      send: `GET http://X:80/ HTTP/1.1\r\n${H}Connection: close\r\n\r\n`, statuses: [200] },
    { what: 'two different Host headers', port, send: 'GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n', statuses: [400] },
    { what: 'the same Host header twice (merged)', port, send: 'GET / HTTP/1.1\r\nHost: a\r\nHost: A\r\nConnection: close\r\n\r\n', statuses: [200] },
    { what: 'HTTP/2.0 (passed on: the server decides)', port, send: `GET / HTTP/2.0\r\n${H}Connection: close\r\n\r\n`, statuses: [200] },
    { what: 'HTTP/0.9 to the stats listener', port: statsPort, send: 'GET /haproxy?stats\r\n\r\n', statuses: [400] },
    { what: 'two Host headers to the stats listener', port: statsPort, send: 'GET /haproxy?stats HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n', statuses: [400] },
    { what: 'the stats page', port: statsPort, send: `GET /haproxy?stats HTTP/1.1\r\n${H}Connection: close\r\n\r\n`, statuses: [200] },
  ];
  for (const { what, port: to, send, statuses } of cases) {
    const answer = String(await rawExchange(to, [send]));
    const got = [...answer.matchAll(/^HTTP\/1\.1 (\d{3})/gm)].map((m) => Number(m[1]));
    assert.deepEqual(got, statuses, `${what}: got ${JSON.stringify(answer.slice(0, 200))}`);
  }
  assert.equal((await get(port)).body, 'web-01', 'still serving');
});
