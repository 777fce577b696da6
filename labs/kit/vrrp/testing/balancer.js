// @ts-check
/**
 * A stand-in for HAProxy in the vrrp tests: answers every request with the name of its server, so that a test can
 * tell which load balancer the virtual IP reached. Usage: node balancer.js PORT NAME
 */
import http from 'node:http';

const [port, name] = process.argv.slice(2);
http.createServer((request, response) => {
  response.writeHead(200, { 'content-type': 'text/plain' }).end(`${name}\n`);
}).listen(Number(port), '127.0.0.1', () => process.stdout.write('ready\n'));
