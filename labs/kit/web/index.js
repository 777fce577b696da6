// @ts-check
/**
 * The web tier of the labs: a miniature nginx that reads a subset of nginx.conf (README.md lists it).
 *
 *   node kit/web -c nginx.conf        serve, until SIGTERM, SIGINT or SIGQUIT
 *   node kit/web -t -c nginx.conf     test the configuration file and exit, as `nginx -t` does
 *
 * Addresses in the file (`listen 80`, `server 10.0.0.31:3000`) go through the lab network table (LAB_NETWORK),
 * so the same file works in a lab and on real machines.
 */
import { runMain } from '../lib/main.js';
import { loadNetwork } from '../lib/network.js';
import { createReporter } from '../lib/report.js';
import { loadConfig } from './config.js';
import { startWeb } from './server.js';

const USAGE = `usage: node kit/web [-t] [-c file] [-p prefix]
  -c file    the configuration file (default: nginx.conf)
  -t         test the configuration file and exit
  -p prefix  the folder that relative paths (root, access_log) start from (default: the working directory)
  -h         show this help`;

runMain('nginx', async () => {
  const flags = readFlags(process.argv.slice(2));
  if (typeof flags === 'string') {
    process.stderr.write(`nginx: ${flags}\n${USAGE}\n`);
    process.exitCode = 1;
    return;
  }
  if (flags.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const network = loadNetwork();
  const config = loadConfig(flags.file, { prefix: flags.prefix, network });
  if (flags.test) {
    process.stderr.write(`nginx: the configuration file ${flags.file} syntax is ok\nnginx: configuration file ${flags.file} test is successful\n`);
    return;
  }
  const web = await startWeb(config, { reporter: createReporter('nginx'), network });
  // nginx stops at once on TERM and INT and gracefully on QUIT; the miniature lets requests in progress finish
  // on all three, since `lab stop` sends SIGTERM and a cut-off answer is not what a lab should show.
  // A second signal finds no handler and ends the process at once.
  for (const signal of /** @type {const} */ (['SIGTERM', 'SIGINT', 'SIGQUIT'])) {
    process.once(signal, () => {
      web.stop().then(() => process.exit(0));
    });
  }
});

/**
 * @param {string[]} args
 * @returns {{ file: string, prefix: string, test: boolean, help: boolean } | string}  a string is what was wrong
 */
function readFlags(args) {
  const flags = { file: 'nginx.conf', prefix: process.cwd(), test: false, help: false };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '-t') flags.test = true;
    else if (arg === '-h' || arg === '-?' || arg === '--help') flags.help = true;
    else if (arg === '-c' || arg === '-p') {
      const value = args[++i];
      if (value === undefined) return `option "${arg}" requires a file name`;
      if (arg === '-c') flags.file = value;
      else flags.prefix = value;
    } else {
      return `invalid option: "${arg}"`;
    }
  }
  return flags;
}
