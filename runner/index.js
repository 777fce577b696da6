#!/usr/bin/env node
// @ts-check
/**
 * `npm run labs` (`node runner`): runs the course's labs on this machine, for the course page to drive. Prints, in
 * three lines, where it listens, its token and the link that opens the course page connected to it.
 * Ctrl+C stops it, and with it every lab it started.
 */
import path from 'node:path';
import { parseOptions, runnerLink, USAGE, UsageError } from './options.js';
import { startRunner } from './server.js';

try {
  const options = await parseOptions(process.argv.slice(2), { projectRoot: path.resolve(import.meta.dirname, '..') });
  if (options.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const { port, origins, site, token, workspaceRoot, shell } = options;
  const runner = await startRunner({ port, origins, token, workspaceRoot, shell });
  const relative = path.relative(process.cwd(), workspaceRoot);
  const workspace = relative === '' || relative.startsWith('..') ? workspaceRoot : relative;
  console.log(`Lab runner on ${runner.origin} for pages from ${origins.join(', ')}; labs run in ${workspace} (Ctrl+C stops it)`);
  console.log(`Token: ${token}`);
  console.log(`Open ${runnerLink(site, runner.port, token)} or paste the token into the lab panel and press Connect`);

  let stopping = false;
  const stop = async (/** @type {NodeJS.Signals} */ signal) => {
    // A second Ctrl+C is a person in a hurry; a SIGTERM meanwhile (from `npm start`, say) waits for the labs to stop.
    if (stopping && signal === 'SIGINT') process.exit(1);
    if (stopping) return;
    stopping = true;
    // SIGHUP: the runner's terminal window was closed, and there is nowhere left to print.
    if (signal !== 'SIGHUP') console.log('Stopping the labs... (Ctrl+C again quits at once, and may leave a lab running)');
    await runner.close();
    process.exit(0);
  };
  for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM', 'SIGHUP'])) process.on(signal, stop);
} catch (error) {
  const code = /** @type {NodeJS.ErrnoException} */ (error).code;
  if (error instanceof UsageError) {
    console.error(`lab runner: ${error.message}`);
  } else if (code === 'EADDRINUSE') {
    const { port } = /** @type {{ port?: number }} */ (error);
    console.error(`lab runner: port ${port} is already in use (is a runner already running? stop it, or pick another with --port)`);
  } else {
    console.error(`lab runner: ${/** @type {Error} */ (error).stack ?? error}`);
  }
  process.exit(1);
}
