#!/usr/bin/env node
// @ts-check
/**
 * The `lab` command: `node kit/lab <command> [arguments]` anywhere, or `lab <command>` in a lab's terminal, where
 * kit/bin is on the PATH and kit/bin/lab is a link to this file (labs/lab-files.js says why).
 * Each command lives in commands/ and is loaded only when it runs, so that `lab` starts quickly; `lab help` lists
 * them. Errors meant for a person are printed without a stack trace, with exit status 1 (it failed) or 2 (the
 * command was not understood).
 */
import { LabError } from './errors.js';

/** @typedef {(argv: string[]) => Promise<number | void>} Command */

/** @type {Record<string, () => Promise<Command>>} */
const COMMANDS = {
  up: async () => (await import('./commands/lifecycle.js')).up,
  down: async () => (await import('./commands/lifecycle.js')).down,
  ps: async () => (await import('./commands/status.js')).status,
  status: async () => (await import('./commands/status.js')).status,
  start: async () => (await import('./commands/lifecycle.js')).serverAction('start'),
  stop: async () => (await import('./commands/lifecycle.js')).serverAction('stop'),
  restart: async () => (await import('./commands/lifecycle.js')).serverAction('restart'),
  kill: async () => (await import('./commands/lifecycle.js')).kill,
  logs: async () => (await import('./commands/logs.js')).logs,
  curl: async () => (await import('./commands/curl.js')).curl,
  load: async () => (await import('./commands/load.js')).load,
  check: async () => (await import('./commands/check.js')).check,
  drill: async () => (await import('./commands/drill.js')).drill,
  events: async () => (await import('./commands/status.js')).events,
  reset: async () => (await import('./commands/lifecycle.js')).reset,
  partition: async () => (await import('./commands/partition.js')).partition,
  heal: async () => (await import('./commands/partition.js')).heal,
  export: async () => (await import('./commands/export.js')).exportCommand,
  help: async () => (await import('./commands/help.js')).help,
  supervise: async () => (await import('./supervisor.js')).supervise,
};
COMMANDS['--help'] = COMMANDS.help;
COMMANDS['-h'] = COMMANDS.help;

const [name = 'help', ...argv] = process.argv.slice(2);
if (!Object.hasOwn(COMMANDS, name)) {
  process.stderr.write(`lab: there is no command '${name}': run \`lab help\` to see them all\n`);
  process.exit(2);
}
// A reader that goes away (`lab events | head`) ends the command quietly.
process.stdout.on('error', () => process.exit(0));

COMMANDS[name]()
  .then((command) => command(argv))
  .then((code) => { process.exitCode = code ?? 0; })
  .catch((error) => {
    process.stderr.write(`lab: ${error instanceof LabError ? error.message : error.stack}\n`);
    process.exitCode = error instanceof LabError ? error.exitCode : 1;
  });
