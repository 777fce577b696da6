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
import { prepareDatadir } from './datadir.js';
import { runInitFile } from './init-file.js';
import { ANY_ADDRESS, readMyCnf } from './my-cnf.js';
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
  const address = addressOf(options);
  const bindLine = { file: options.file, line: options.lines['bind-address'] ?? options.lines.port ?? 0, directive: 'bind-address' };
  /** @type {import('../lib/network.js').Endpoint} */
  let endpoint;
  try {
    endpoint = network.listen(address);
  } catch (error) {
    throw new ConfigError(bindLine, /** @type {Error} */ (error).message, 'bind to 0.0.0.0 (every address of this server) or to an address the lab network table names');
  }
  prepareDatadir(options);
  const database = await Database.open(options.datadir, (message) => say('Warning', message), options);
  if (options.flushLogAtTrxCommit !== 1) {
    say('Warning', `innodb_flush_log_at_trx_commit = ${options.flushLogAtTrxCommit}: writes are acknowledged before they are on disk,` +
      ` which they reach every ${options.flushLogAtTimeout} s; ${options.flushLogAtTrxCommit === 0 ? 'a crash of this server' : 'a power cut'}` +
      ' loses the writes acknowledged since');
  }
  say('Note', `replayed ${database.replayed} records from ${path.join(options.datadir, LOG_FILE)}`);
  const accounts = new Accounts();
  if (options.initFile) {
    await runInitFile(path.relative(process.cwd(), options.initFile) || options.initFile, database, accounts, { file: options.file, line: options.lines['init-file'] });
  } else {
    say('Warning', `${options.file}: no init_file: there are no accounts, so every client will be refused`);
  }

  const server = createDbServer({ database, accounts, hosts: network.hosts, serverName, served: reporter.served });
  try {
    await listen(server, endpoint.port, endpoint.host);
  } catch (error) {
    throw listenError(/** @type {NodeJS.ErrnoException} */ (error), address, bindLine, { ...bindLine, line: options.lines.port ?? 0, directive: 'port' });
  }
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

/**
 * my.cnf's bind-address and port as one address for the network table: `*:3306`, `10.0.0.41:3306`, `[::1]:3306`.
 * @param {import('./my-cnf.js').MyCnf} options
 */
function addressOf({ bindAddress, port }) {
  if (ANY_ADDRESS.includes(bindAddress)) return `*:${port}`;
  return bindAddress.includes(':') && !bindAddress.startsWith('[') ? `[${bindAddress}]:${port}` : `${bindAddress}:${port}`;
}

/**
 * Why the server could not listen, at the line of my.cnf to change. MariaDB: `Can't start server: Bind on TCP/IP
 * port. Got error: 99: Cannot assign requested address`.
 * @param {NodeJS.ErrnoException} error
 * @param {string} address
 * @param {{ file: string, line: number, directive: string }} bindLine
 * @param {{ file: string, line: number, directive: string }} portLine
 */
function listenError(error, address, bindLine, portLine) {
  switch (error.code) {
    case 'EADDRINUSE':
      return new ConfigError(portLine, `cannot listen on ${address}: the port is already in use`, 'is another database server running? stop it first, or choose another port');
    case 'EACCES':
      return new ConfigError(portLine, `cannot listen on ${address}: permission denied`, 'ports below 1024 need root: use 3306, MySQL\'s port');
    case 'EADDRNOTAVAIL':
      return new ConfigError(bindLine, `cannot listen on ${address}: this machine has no such address`,
        'bind to 0.0.0.0 (every address of this server), or to one of its own addresses');
    case 'ENOTFOUND': case 'EAI_AGAIN':
      return new ConfigError(bindLine, `cannot listen on ${address}: no such host`, 'bind to 0.0.0.0 or to an IP address');
    default:
      return error;
  }
}
