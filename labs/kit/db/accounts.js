// @ts-check
/**
 * Who may connect, from where, and do what: the accounts that CREATE USER makes and the privileges that GRANT
 * gives. In MySQL an account is a user *and* the host it connects from: 'app'@'10.0.0.31' is not 'app'@'10.0.0.32'.
 * A host may use the wildcards of LIKE: '%' (any host), '10.0.0.%' (any host of that network).
 *
 * A real server stores accounts in the mysql.user table inside its datadir, and a password only as a hash; the
 * miniature keeps them in memory, read again from the init file at every start.
 */
import { SqlError } from './sql-tokens.js';

/**
 * @typedef {{ privileges: string[], db: string, table: string }} Grant  db and table may be '*'
 * @typedef {{ user: string, host: string, password: string, grants: Grant[] }} Account
 * @typedef {{ ip: string, name: string }} ClientHost  the client's address and its host name
 * @typedef {{ account: Account, who: string }} Session  who: `'app'@'10.0.0.31'`, for messages
 */

export class Accounts {
  constructor() {
    /** @type {Account[]} */
    this.accounts = [];
  }

  /** @param {import('./sql.js').CreateUser} statement */
  createUser({ account: { user, host }, password, ifNotExists }) {
    if (this.find(user, host)) {
      if (ifNotExists) return;
      throw new SqlError(1396, 'HY000', `Operation CREATE USER failed for '${user}'@'${host}'`);
    }
    this.accounts.push({ user, host, password, grants: [] });
  }

  /** @param {import('./sql.js').Grant} statement */
  grant({ privileges, db, table, account: { user, host } }) {
    const account = this.find(user, host);
    if (!account) throw new SqlError(1133, '28000', `Can't find any matching row in the user table (create the user first: CREATE USER '${user}'@'${host}' ...)`);
    account.grants.push({ privileges, db, table });
  }

  /**
   * Checks a client as the server does when it connects. No account for its host at all: 1130, before any
   * password is looked at. An account for the host, but not this user or not this password: 1045.
   * @param {string} user
   * @param {string} password
   * @param {ClientHost} client
   * @returns {Session}
   */
  authenticate(user, password, client) {
    const forHost = this.accounts.filter((account) => hostMatches(account.host, client)).sort(bySpecificHost);
    if (forHost.length === 0) throw new SqlError(1130, 'HY000', `Host '${client.ip}' is not allowed to connect to this MariaDB server`);
    const account = forHost.find((candidate) => candidate.user === user);
    if (!account || account.password !== password) {
      throw new SqlError(1045, '28000', `Access denied for user '${user}'@'${client.ip}' (using password: ${password ? 'YES' : 'NO'})`);
    }
    return { account, who: `'${user}'@'${client.ip}'` };
  }

  /**
   * A client that names a database must have some privilege in it.
   * @param {Session} session
   * @param {string} db
   */
  checkDatabase({ account, who }, db) {
    if (!account.grants.some((grant) => grant.db === '*' || grant.db === db)) {
      throw new SqlError(1044, '42000', `Access denied for user ${who} to database '${db}'`);
    }
  }

  /**
   * @param {Session} session
   * @param {string} privilege SELECT, INSERT, ...
   * @param {string} db
   * @param {string} table
   */
  check({ account, who }, privilege, db, table) {
    const allowed = account.grants.some((grant) => (grant.db === '*' || grant.db === db) && (grant.table === '*' || grant.table === table) &&
      (grant.privileges.includes('ALL') || grant.privileges.includes(privilege)));
    if (!allowed) throw new SqlError(1142, '42000', `${privilege} command denied to user ${who} for table \`${db}\`.\`${table}\``);
  }

  /** @param {string} user @param {string} host */
  find(user, host) {
    return this.accounts.find((account) => account.user === user && account.host.toLowerCase() === host.toLowerCase());
  }
}

/**
 * Who the client is. A real server sees the address a connection comes from; in a lab every client is on
 * 127.0.0.1, so a client states its host (a name such as app-01, or an address) and the lab network table gives
 * the address of a name. 127.0.0.1 is also known as localhost, as a server with name resolution sees it.
 * @param {string} stated
 * @param {Record<string, string>} hosts the network table's names and addresses
 * @returns {ClientHost}
 */
export function clientHost(stated, hosts) {
  const ip = hosts[stated] ?? stated;
  const name = Object.keys(hosts).find((host) => hosts[host] === ip) ?? (ip === '127.0.0.1' ? 'localhost' : stated);
  return { ip, name };
}

/**
 * @param {string} pattern an account's host: '10.0.0.31', 'app-01', '10.0.0.%', '%'
 * @param {ClientHost} client
 */
function hostMatches(pattern, client) {
  const like = new RegExp(`^${pattern.replace(/[.*+^${}()|[\]\\]/g, '\\$&').replaceAll('%', '.*').replaceAll('_', '.')}$`, 'i');
  return like.test(client.ip) || like.test(client.name);
}

/** The most specific host first, as the server sorts its accounts: '10.0.0.31' before '10.0.0.%' before '%'. */
function bySpecificHost(/** @type {Account} */ a, /** @type {Account} */ b) {
  const rank = (/** @type {string} */ host) => (host === '%' ? 2 : /[%_]/.test(host) ? 1 : 0);
  return rank(a.host) - rank(b.host);
}
