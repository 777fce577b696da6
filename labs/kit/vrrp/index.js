// @ts-check
/**
 * keepalived, in miniature: keeps a virtual IP on one of two load balancers with a VRRP-like protocol.
 *
 *   node kit/vrrp -f keepalived.conf       run (the file defaults to keepalived.conf in the working directory)
 *   node kit/vrrp -t -f keepalived.conf    only test the file: exit 0, or print the error and exit 1
 *
 * The configuration is a subset of the real keepalived.conf: see README.md beside this file.
 */
import { readFileSync } from 'node:fs';
import { ConfigError } from '../lib/config-error.js';
import { runMain } from '../lib/main.js';
import { loadNetwork } from '../lib/network.js';
import { parseKeepalivedConf } from './config.js';
import { planInstances, runDaemon } from './daemon.js';

const USAGE = 'usage: node kit/vrrp [-t] [-f keepalived.conf]';

runMain('vrrp', async () => {
  const { file, testOnly } = readArguments(process.argv.slice(2));
  const config = parseKeepalivedConf(readConfigFile(file), file);
  const context = { network: loadNetwork(), file, env: process.env };
  if (testOnly) {
    // keepalived -t also checks that each interface exists; the lab's equivalent is the network table.
    if (process.env.LAB_NETWORK) planInstances(config, context);
    process.stdout.write(`vrrp: the configuration file ${file} is valid\n`);
    return;
  }
  await runDaemon(config, context);
});

/** @param {string[]} args */
function readArguments(args) {
  let file = 'keepalived.conf';
  let testOnly = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '-t' || arg === '--config-test') testOnly = true;
    else if (arg === '-f' || arg === '--use-file') file = args[++i] ?? refuse(`${arg} needs the name of a file`);
    else if (arg.startsWith('--use-file=')) file = arg.slice('--use-file='.length);
    else refuse(`unknown argument '${arg}'`);
  }
  return { file, testOnly };
}

/**
 * @param {string} message
 * @returns {never}
 */
function refuse(message) {
  process.stderr.write(`vrrp: ${message}\n${USAGE}\n`);
  process.exit(1);
}

/** @param {string} file */
function readConfigFile(file) {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError({ file, line: 0 }, `cannot read the configuration file: ${/** @type {Error} */ (error).message}`,
      'name it with -f, e.g. node kit/vrrp -f keepalived.conf');
  }
}
