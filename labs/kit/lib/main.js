// @ts-check
/**
 * The common ending of every tier's entry point: a bad configuration prints `file:line: what` and a hint, and the
 * process exits with status 1, as the real servers do; anything else is a bug and prints its stack.
 */
import path from 'node:path';
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
        process.stderr.write(`${program}: ${error && error.stack ? error.stack : error}\n${builtFrom()}`);
      }
      process.exitCode = 1;
      process.exit(1);
    });
}

/**
 * Under a stack from a tier's one-file build (kit/web/bundle.js, which the lab's supervisor runs), how to see the
 * same failure in the sources, where the stack names the files and lines.
 */
function builtFrom() {
  const file = process.argv[1] ?? '';
  if (path.basename(file) !== 'bundle.js') return '';
  const tier = path.basename(path.dirname(file));
  const restart = process.env.LAB_SERVER ? `\`lab restart ${process.env.LAB_SERVER}\`` : 'start it again';
  return `  hint: this ran kit/${tier}/bundle.js, the kit's ${tier} built into one file, whose stack names no source lines: `
    + `delete that file and ${restart} to run the sources, and see where in them\n`;
}
