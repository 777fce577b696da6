// @ts-check
/**
 * The common ending of every tier's entry point: a bad configuration prints `file:line: what` and a hint, and the
 * process exits with status 1, as the real servers do; anything else is a bug and prints its stack.
 */
import { ConfigError } from './config-error.js';

/**
 * @param {string} program the name to prefix messages with, e.g. `balancer`
 * @param {() => Promise<void> | void} main
 */
export function runMain(program, main) {
  Promise.resolve()
    .then(main)
    .catch((error) => {
      if (error instanceof ConfigError) {
        process.stderr.write(`${program}: ${error.format()}\n`);
      } else if (error && error.code === 'EADDRINUSE') {
        process.stderr.write(`${program}: cannot listen on ${error.address}:${error.port}: the port is already in use` +
          ` (is another copy running? stop it first)\n`);
      } else {
        process.stderr.write(`${program}: ${error && error.stack ? error.stack : error}\n`);
      }
      process.exitCode = 1;
      process.exit(1);
    });
}
