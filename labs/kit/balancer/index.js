// @ts-check
/**
 * The miniature HAProxy: `node balancer -f haproxy.cfg` runs it, `node balancer -c -f haproxy.cfg` only checks the
 * file, like `haproxy -c -f`. README.md lists the directives it reads and where it differs from HAProxy.
 */
import { loadNetwork } from '../lib/network.js';
import { createReporter } from '../lib/report.js';
import { runMain } from '../lib/main.js';
import { ConfigErrors, loadConfigFile } from './config.js';
import { startBalancer } from './balancer.js';
import { createLog } from './log.js';

const USAGE = 'usage: node balancer -f haproxy.cfg [-c]\n  -f FILE  the configuration to run\n  -c       only check the configuration';
const STOP_GRACE_MS = 2000;

runMain('balancer', async () => {
  const { file, checkOnly } = parseArguments(process.argv.slice(2));
  const config = loadAll(file);
  if (checkOnly) {
    process.stdout.write('Configuration file is valid\n');
    return;
  }
  const { log, flush } = createLog(process.stdout);
  const { stop } = await startBalancer(config, { log, reporter: createReporter('haproxy') });
  let stopping = false;
  const shutdown = () => {
    if (stopping) return;
    stopping = true;
    stop(STOP_GRACE_MS).then(() => {
      flush();
      process.exit(0);
    });
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
});

/**
 * Loads the configuration; with several errors, prints them all (one line each, and its hint), as `haproxy -c` does,
 * and exits 1.
 * @param {string} file
 */
function loadAll(file) {
  try {
    return loadConfigFile(file, loadNetwork());
  } catch (error) {
    if (!(error instanceof ConfigErrors) || error.errors.length === 1) throw error;
    for (const one of error.errors) process.stderr.write(`balancer: ${one.format()}\n`);
    process.stderr.write(`balancer: ${error.errors.length} errors in ${file}: fix them all, then check again with -c\n`);
    process.exit(1);
  }
}

/** @param {string[]} args */
function parseArguments(args) {
  let file = '';
  let checkOnly = false;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '-c') checkOnly = true;
    else if (args[i] === '-f' && args[i + 1]) file = args[++i];
    else if (args[i] === '-h' || args[i] === '--help') usage(0);
    else usage(1, `unknown argument '${args[i]}'`);
  }
  if (!file) usage(1, 'no configuration file given');
  return { file, checkOnly };
}

/**
 * @param {number} status
 * @param {string} [problem]
 * @returns {never}
 */
function usage(status, problem) {
  process.stderr.write(`${problem ? `balancer: ${problem}\n` : ''}${USAGE}\n`);
  process.exit(status);
}
