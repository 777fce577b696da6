// @ts-check
/**
 * MariaDB against the miniature database, on the same my.cnf (`innodb_flush_log_at_trx_commit = 1`) and grants
 * file: writers insert rows, each waiting for the acknowledgement of the last; the server is killed (SIGKILL) in
 * the middle, started again on the same data, and every acknowledged row is looked for. The real server runs with
 * its data folder, socket and logs moved into the run's folder on the command line (which wins over the file),
 * and without networking: the writers use its socket, through the `mariadb` client. Port 26600.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { AS_ROOT, MARIADBD, installDatadir } from '../kit/db/testing.js';
import { KIT, kill, sleep, start, tempFolder, waitFor } from './common.js';

const PORT = 26600;
const WRITERS = 4;
/** Acknowledged writes before the kill. */
const BEFORE_KILL = 200;
const MY_CNF = `[mysqld]
port = ${PORT}
bind-address = 127.0.0.1
datadir = data
init_file = grants.sql
innodb_flush_log_at_trx_commit = 1
`;
const GRANTS = `CREATE DATABASE IF NOT EXISTS shop;
CREATE TABLE IF NOT EXISTS shop.guestbook (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(80) NOT NULL, message TEXT NOT NULL);
CREATE USER IF NOT EXISTS 'app'@'%' IDENTIFIED BY 'secret';
GRANT ALL PRIVILEGES ON shop.* TO 'app'@'%';
`;
const ACCOUNT = { user: 'app', password: 'secret', host: '127.0.0.1', database: 'shop' };
const MARIADB_SMALL = ['--innodb-buffer-pool-size=16M', '--innodb-log-file-size=4M'];

/** @typedef {import('./common.js').Finding} Finding */

/**
 * @typedef {object} Server
 * @property {() => Promise<void>} start
 * @property {() => Promise<void>} kill
 * @property {(writer: number) => { next: (i: number) => Promise<number | undefined>, close: () => void }} writer
 *   a connection: next(i) inserts a row and resolves with its id once acknowledged, undefined on failure
 * @property {() => Promise<number[]>} ids  the rows' ids
 */

/** @returns {Promise<Server>} */
async function realServer() {
  const dir = tempFolder('mariadb');
  writeFileSync(path.join(dir, 'my.cnf'), MY_CNF);
  writeFileSync(path.join(dir, 'grants.sql'), GRANTS);
  await installDatadir(path.join(dir, 'data'), MARIADB_SMALL);
  const socket = path.join(dir, 'mysqld.sock');
  const log = path.join(dir, 'error.log');
  /** @type {ReturnType<typeof start> | undefined} */
  let server;
  const client = (/** @type {string[]} */ args) => start('mariadb', ['--batch', '--unbuffered', '--skip-column-names', '-S', socket, '-u', 'root', ...args],
    { stdio: ['pipe', 'pipe', 'pipe'] });
  return {
    async start() {
      writeFileSync(log, '');
      server = start(/** @type {string} */ (MARIADBD), [`--defaults-file=${path.join(dir, 'my.cnf')}`, `--datadir=${path.join(dir, 'data')}`,
        `--init-file=${path.join(dir, 'grants.sql')}`, `--socket=${socket}`, `--pid-file=${path.join(dir, 'mysqld.pid')}`,
        `--log-error=${log}`, '--skip-networking', ...MARIADB_SMALL, ...AS_ROOT]);
      const current = server;
      await waitFor(() => readFileSync(log, 'utf8').includes('ready for connections') || current.exitCode !== null, 90_000, 'mariadbd');
      if (current.exitCode !== null) throw new Error(`mariadbd exited:\n${readFileSync(log, 'utf8')}`);
    },
    async kill() {
      if (server) await kill(server);
    },
    writer(w) {
      const cli = client(['shop']);
      /** @type {Array<(id: number | undefined) => void>} */
      const waiting = [];
      createInterface({ input: /** @type {import('node:stream').Readable} */ (cli.stdout) }).on('line', (line) => waiting.shift()?.(Number(line)));
      cli.once('exit', () => { for (const resolve of waiting.splice(0)) resolve(undefined); });
      return {
        next: (i) => new Promise((resolve) => {
          if (cli.exitCode !== null) { resolve(undefined); return; }
          waiting.push(resolve);
          cli.stdin?.write(`INSERT INTO guestbook (name, message) VALUES ('w${w}', 'entry ${i}'); SELECT LAST_INSERT_ID();\n`);
        }),
        close: () => { cli.kill('SIGKILL'); },
      };
    },
    async ids() {
      const cli = client(['shop', '-e', 'SELECT id FROM guestbook']);
      await new Promise((resolve) => cli.once('exit', resolve));
      return cli.output().split('\n').filter(Boolean).map(Number);
    },
  };
}

/** @returns {Promise<Server>} */
async function miniServer() {
  const dir = tempFolder('db');
  writeFileSync(path.join(dir, 'my.cnf'), MY_CNF);
  writeFileSync(path.join(dir, 'grants.sql'), GRANTS);
  /** @type {ReturnType<typeof start> | undefined} */
  let server;
  /** @param {string} sql @param {unknown[]} [params] */
  const query = async (sql, params = []) => {
    const response = await fetch(`http://127.0.0.1:${PORT}/query`, { method: 'POST', body: JSON.stringify({ ...ACCOUNT, sql, params }) });
    return { status: response.status, body: /** @type {any} */ (await response.json()) };
  };
  return {
    async start() {
      server = start(process.execPath, [path.join(KIT, 'db'), '--defaults-file=my.cnf'], { cwd: dir, env: { ...process.env, LAB_NETWORK: '', LAB_CONTROL: '' } });
      const current = server;
      await waitFor(() => current.output().includes('ready for connections') || current.exitCode !== null, 30_000, 'the miniature database');
      if (current.exitCode !== null) throw new Error(`the miniature database exited:\n${current.output()}`);
    },
    async kill() {
      if (server) await kill(server);
    },
    writer(w) {
      return {
        next: async (i) => {
          try {
            const { status, body } = await query('INSERT INTO guestbook (name, message) VALUES (?, ?)', [`w${w}`, `entry ${i}`]);
            return status === 200 ? body.insertId : undefined;
          } catch {
            return undefined;
          }
        },
        close: () => {},
      };
    },
    async ids() {
      return (await query('SELECT id FROM guestbook')).body.rows.map((/** @type {{ id: number }} */ row) => row.id);
    },
  };
}

/**
 * Writers insert until the server dies; it is killed after BEFORE_KILL acknowledgements, started again, and the
 * acknowledged rows are looked for.
 * @param {Server} server
 */
async function killDuringWrites(server) {
  await server.start();
  /** @type {number[]} */
  const acknowledged = [];
  const writers = Array.from({ length: WRITERS }, async (_, w) => {
    const connection = server.writer(w);
    for (let i = 0; ; i++) {
      const id = await connection.next(i);
      if (id === undefined || Number.isNaN(id)) break;
      acknowledged.push(id);
    }
    connection.close();
  });
  await waitFor(() => acknowledged.length >= BEFORE_KILL, 60_000, `${BEFORE_KILL} acknowledged writes`, 5);
  await server.kill();
  await Promise.all(writers);
  await sleep(100);
  await server.start();
  const stored = new Set(await server.ids());
  await server.kill();
  return { acknowledged: acknowledged.length, lost: acknowledged.filter((id) => !stored.has(id)).length };
}

/** @returns {Promise<Finding[]>} */
export async function dbFindings() {
  if (!existsSync('/usr/bin/mariadb')) throw new Error('the mariadb client is needed (/usr/bin/mariadb)');
  const real = await killDuringWrites(await realServer());
  const mini = await killDuringWrites(await miniServer());
  return [{ family: 'db', id: 'db/killed-during-writes', figure: 'acknowledged writes lost',
    scenario: `${WRITERS} writers, SIGKILL after ${BEFORE_KILL} acknowledged inserts (real ${real.acknowledged}, miniature ${mini.acknowledged} by the end), innodb_flush_log_at_trx_commit = 1, restarted on the same data`,
    real: real.lost, mini: mini.lost, range: { min: 0, max: 0 },
    why: 'flush at every commit: a write is on disk before its OK, so none is lost' }];
}
