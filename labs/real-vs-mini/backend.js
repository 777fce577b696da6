// @ts-check
/**
 * A stand-in application server for the real-versus-miniature runs: answers every request with its name (and
 * a `x-served-by` header), after a delay. Prints "ready" and the time it began to listen (Date.now()) once it does.
 * Usage: node backend.js NAME HOST PORT [DELAY_MS]
 */
import http from 'node:http';

const [name, host, port, delay = '0'] = process.argv.slice(2);
http.createServer((request, response) => {
  request.resume();
  setTimeout(() => response.writeHead(200, { 'content-type': 'text/plain', 'x-served-by': name }).end(`${name}\n`), Number(delay));
}).listen(Number(port), host, () => process.stdout.write(`ready ${Date.now()}\n`));
