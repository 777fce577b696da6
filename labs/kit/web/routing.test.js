// @ts-check
/**
 * Which location and which server block answer (fixtures/routing): exact before prefix, the longest prefix
 * wherever it stands in the file, server_name and default_server, and `return` with its variables.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { copyFixture, fileCleanup, freePort, rawRequest, request, startWebTier, statusOf } from './harness.js';

const cleanup = fileCleanup();
const port81 = await freePort();
const web = await startWebTier(cleanup, await copyFixture(cleanup, 'routing'), { ports: { 'web-01:81': port81 } });

test('locations: exact match first, then the longest prefix, as nginx chooses', async () => {
  const table = [
    ['/', 'exact /'],
    ['/index.html', 'prefix /'],
    ['/images/a.png', 'prefix /images/'],
    ['/images/icons/a.png', 'prefix /images/icons/'],
    ['/images/logo.png', 'exact /images/logo.png'],
    ['/images/logo.png/more', 'prefix /images/'],
    ['/static/app.js', '^~ /static/'],
    ['/imgs/a.png', 'prefix /img'],
    ['/IMAGES/a.png', 'prefix /'],
    ['/images', 'prefix /'],
    ['/x/../images/a.png', 'prefix /images/'],
    ['/%69mages/a.png', 'prefix /images/'],
  ];
  for (const [path, location] of table) {
    const reply = await request(web.port, path);
    assert.equal(reply.status, 200, path);
    assert.equal(reply.body, location, path);
  }
});

test('server blocks: by server_name, wildcards, then the default server; and by port', async () => {
  const table = [
    ['routing.test', 'exact /'],
    ['example.test', 'server example.test'],
    ['WWW.Example.Test:80', 'server example.test'],
    ['a.b.wild.test', 'server *.wild.test'],
    ['shop.example.org', 'server shop.*'],
    ['unknown.test', 'exact /'],
  ];
  for (const [host, answer] of table) {
    assert.equal((await request(web.port, '/', { headers: { Host: host } })).body, answer, host);
  }
  assert.equal((await request(port81, '/')).body, 'server on port 81');
});

test('return: variables, redirects that stay relative, error codes and 444', async () => {
  const vars = await request(web.port, '/vars/a%20b?x=1', { headers: { Host: 'Routing.Test:8080' } });
  assert.equal(vars.body, 'host=routing.test uri=/vars/a b args=x=1 request_uri=/vars/a%20b?x=1 server_port=80 hostname=web-01');
  assert.equal(vars.headers['content-type'], 'text/plain', 'default_type when no type matches');
  const moved = await request(web.port, '/old/page');
  assert.equal(moved.status, 301);
  assert.equal(moved.headers.location, '/new/');
  const gone = await request(web.port, '/gone');
  assert.equal(gone.status, 410);
  assert.match(gone.body, /<h1>410 Gone<\/h1>/);
  const dropped = await rawRequest(web.port, 'GET /drop HTTP/1.1\r\nHost: routing.test\r\n\r\n');
  assert.equal(dropped, '', 'return 444 closes the connection without an answer');
  assert.equal(statusOf(await rawRequest(web.port, 'GET / HTTP/1.1\r\nHost: routing.test\r\nConnection: close\r\n\r\n')), 200);
});
