// @ts-check
/**
 * The application server, running the guestbook:
 *
 *   node kit/app --port 3000 --db db-01:3306 --db-user app --db-password secret --database shop
 *
 * (or the same settings in APP_PORT, DB_ADDRESS, DB_USER, DB_PASSWORD, DB_NAME). It starts whether or not the
 * database answers, and answers 503 until it does: a server that refuses to start because another one is down
 * turns one failure into two.
 */
import os from 'node:os';
import { ConfigError } from '../lib/config-error.js';
import { createHttpServer, listen } from '../lib/http-server.js';
import { runMain } from '../lib/main.js';
import { loadNetwork } from '../lib/network.js';
import { createReporter } from '../lib/report.js';
import { createDbClient } from './db-client.js';
import { createGuestbook } from './guestbook.js';
import { createMysqlClient } from './mysql-client.js';
import { USAGE, readSettings } from './settings.js';

/** @param {string} message */
function log(message) {
  process.stderr.write(`app: ${message}\n`);
}

runMain('app', async () => {
  const settings = readSettings(process.argv.slice(2), process.env);
  if (settings.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const network = loadNetwork();
  const appServer = network.self || os.hostname();
  let endpoint;
  try {
    endpoint = network.resolve(settings.db);
  } catch (error) {
    throw new ConfigError({ file: 'command line', line: 0, directive: '--db' }, /** @type {Error} */ (error).message,
      'name the database server as the lab network table does, such as db-01:3306');
  }
  // On the real programs (`lab export`) the database is a real MariaDB: DB_PROTOCOL=mysql speaks its protocol.
  const createClient = process.env.DB_PROTOCOL === 'mysql' ? createMysqlClient : createDbClient;
  const db = createClient({
    address: settings.db, endpoint, user: settings.user, password: settings.password, database: settings.database,
    // Who this app server is, for the database's grants: its address in the network table, else its name.
    clientHost: network.hosts[appServer] ?? (network.self || '127.0.0.1'),
    log,
  });
  const reporter = createReporter('app');
  const server = createHttpServer(createGuestbook({ db, appServer, served: reporter.served }));
  // The lab maps `*` to a loopback port; on the real programs (`lab export`) APP_HOST=0.0.0.0 is every address.
  const bind = process.env.APP_HOST ? { host: process.env.APP_HOST, port: settings.port } : network.listen(`*:${settings.port}`);
  await listen(server, bind.port, bind.host);
  log(`${appServer} listening on port ${settings.port} (${bind.host}:${bind.port}); database ${settings.db} (${endpoint.host}:${endpoint.port})`);
  reporter.ready();
  const stop = () => {
    server.close();
    server.closeIdleConnections();
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
});
