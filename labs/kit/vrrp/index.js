// @ts-check
/**
 * keepalived, in miniature: keeps a virtual IP on one of two load balancers with a VRRP-like protocol.
 *
 *   node kit/vrrp -f keepalived.conf       run (the file defaults to keepalived.conf in the working directory)
 *   node kit/vrrp -t -f keepalived.conf    only test the file: exit 0, or print every error and exit 5, as keepalived -t
 *
 * The configuration is a subset of the real keepalived.conf: see README.md beside this file.
 */
import { readFileSync } from 'node:fs';
import { ConfigError } from '../lib/config-error.js';
import { runMain } from '../lib/main.js';
import { loadNetwork } from '../lib/network.js';
import { parseKeepalivedConf } from './config.js';
import { ConfigErrors } from './config-values.js';
import { planInstances, runDaemon } from './daemon.js';

const USAGE = 'usage: node kit/vrrp [-t] [-f keepalived.conf]';
/** keepalived 2.2.7's exit status when `-t` finds errors in the file (measured). */
const CONFIG_TEST_FAILED = 5;

runMain('vrrp', async () => {
  const { file, testOnly } = readArguments(process.argv.slice(2));
  const config = readConfig(file, testOnly);
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

/**
 * The configuration, or every error in the file printed, one after the other, and the process ended.
 * @param {string} file
 * @param {boolean} testOnly
 */
function readConfig(file, testOnly) {
  const text = readConfigFile(file);
  try {
    return parseKeepalivedConf(text, file);
  } catch (error) {
    if (!(error instanceof ConfigErrors)) throw error;
    for (const each of error.errors) process.stderr.write(`vrrp: ${each.format()}\n`);
    process.stderr.write(`vrrp: ${error.errors.length === 1 ? 'one error' : `${error.errors.length} errors`} in ${file}: fix ${error.errors.length === 1 ? 'it' : 'them'}, then run again\n`);
    return process.exit(testOnly ? CONFIG_TEST_FAILED : 1);
  }
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
