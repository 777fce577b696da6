// @ts-check
/**
 * A tiny web server for the balancer's tests, run as its own process so that a test can SIGKILL it.
 * `node backend-server.js NAME` listens on a free loopback port and prints {"port": N} on its first line.
 *   GET /health        200 ok
 *   GET /headers       the request headers as JSON
 *   GET /slow?ms=N     answers after N milliseconds
 *   anything else      its NAME
 */
import http from 'node:http';

const name = process.argv[2] ?? 'backend';
const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://x');
  const send = (/** @type {string} */ body) => {
    res.writeHead(200, { 'content-type': 'text/plain', 'x-served-by': name });
    res.end(body);
  };
  if (url.pathname === '/health') send('ok');
  else if (url.pathname === '/headers') send(JSON.stringify(req.headers));
  else if (url.pathname === '/slow') setTimeout(() => send(name), Number(url.searchParams.get('ms') ?? 1000));
  else send(name);
});
server.keepAliveTimeout = 5000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`${JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 })}\n`);
});
