// @ts-check
/**
 * The database server, a miniature MySQL / MariaDB:
 *
 *   node kit/db --defaults-file=my.cnf
 *
 * It reads my.cnf, replays its log from the datadir, runs the init file (the accounts and the tables), and listens
 * for clients. SIGTERM (lab stop) closes it cleanly; SIGKILL (lab kill) loses nothing that was acknowledged.
 */
import os from 'node:os';
import path from 'node:path';
import { ConfigError } from '../lib/config-error.js';
import { listen } from '../lib/http-server.js';
import { runMain } from '../lib/main.js';
import { loadNetwork } from '../lib/network.js';
import { createReporter } from '../lib/report.js';
import { Accounts } from './accounts.js';
import { Database, LOG_FILE } from './database.js';
import { runInitFile } from './init-file.js';
import { readMyCnf } from './my-cnf.js';
import { createDbServer } from './server.js';

const USAGE = 'usage: node kit/db --defaults-file=my.cnf';

/** @param {'Note' | 'Warning'} level @param {string} message */
function say(level, message) {
  process.stderr.write(`[${level}] mysqld: ${message}\n`);
}

runMain('mysqld', async () => {
  const [first, ...rest] = process.argv.slice(2);
  if (!first?.startsWith('--defaults-file=') || rest.length > 0) {
    throw new ConfigError({ file: 'command line', line: 0 }, `expected one argument, --defaults-file=<file>, got: ${process.argv.slice(2).join(' ') || 'nothing'}`, USAGE);
  }
  const options = readMyCnf(first.slice('--defaults-file='.length));
  for (const warning of options.warnings) say('Warning', warning);

  const network = loadNetwork();
  const serverName = network.self || os.hostname();
  const reporter = createReporter('mysqld');
  const database = await Database.open(options.datadir, (message) => say('Warning', message));
  say('Note', `replayed ${database.replayed} records from ${path.join(options.datadir, LOG_FILE)}`);
  const accounts = new Accounts();
  if (options.initFile) await runInitFile(path.relative(process.cwd(), options.initFile), database, accounts);
  else say('Warning', `${options.file}: no init_file: there are no accounts, so every client will be refused`);

  const address = `${options.bindAddress}:${options.port}`;
  let endpoint;
  try {
    endpoint = network.listen(address);
  } catch (error) {
    throw new ConfigError({ file: options.file, line: options.lines['bind-address'] ?? options.lines.port ?? 0, directive: 'bind-address' },
      /** @type {Error} */ (error).message, 'bind to 0.0.0.0 (every address of this server) or to an address the lab network table names');
  }
  const server = createDbServer({ database, accounts, hosts: network.hosts, serverName, served: reporter.served });
  await listen(server, endpoint.port, endpoint.host);
  say('Note', `ready for connections. server: '${serverName}'  address: '${address}'  listening on ${endpoint.host}:${endpoint.port}`);
  reporter.ready();

  const shutdown = async () => {
    say('Note', 'Normal shutdown: finishing the writes under way');
    server.close();
    server.closeIdleConnections();
    await database.close();
    process.exit(0);
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
});
