// @ts-check
/**
 * The servers of a new lab: from a list such as `lb-01,web-01,web-02`, each server's role, program, address and
 * loopback port, and the one thing the starter files leave for the learner to do (the "gap"), which its check probes.
 *
 * The servers form the course's chain: a balancer in front of the web tier, the web tier in front of the
 * application tier, the application tier in front of one database. The addresses are the course's own (lb-01
 * 10.0.0.11, web-0N 10.0.0.2N, app-0N 10.0.0.3N, db-01 10.0.0.41), so that a new chapter matches the others.
 */

const SERVER = /^(lb|web|app|db)-0([1-9])$/;

/**
 * @typedef {'balancer' | 'web' | 'app' | 'database'} Role
 * @typedef {{ name: string, role: Role, address: string, port: number }} Server  `port` is the one it serves on
 * @typedef {'serves-page' | 'balances' | 'reaches-app'} Gap  what the starter leaves out; also the check's id
 * @typedef {{ servers: Server[], entry: Server, gap: Gap }} Topology
 */

/** @type {Record<string, { role: Role, octet: number, port: number }>} */
const FAMILIES = {
  lb: { role: 'balancer', octet: 10, port: 80 },
  web: { role: 'web', octet: 20, port: 80 },
  app: { role: 'app', octet: 30, port: 3000 },
  db: { role: 'database', octet: 40, port: 3306 },
};

/**
 * Reads a list of servers; throws an Error saying what is wrong and what to write.
 * @param {string} list  comma-separated: `lb-01,web-01,web-02,app-01,db-01`
 * @returns {Topology}
 */
export function parseServers(list) {
  const names = list.split(',').map((name) => name.trim()).filter(Boolean);
  /** @type {Server[]} */
  const servers = [];
  for (const name of names) {
    const match = SERVER.exec(name);
    if (!match) {
      throw new Error(`"${name}" is not a server of the course: write lb-01, web-01 to web-09, app-01 to app-09 or db-01.`);
    }
    if (servers.some((server) => server.name === name)) throw new Error(`${name} is listed twice.`);
    const family = FAMILIES[match[1]];
    servers.push({ name, role: family.role, address: `10.0.0.${family.octet + Number(match[2])}`, port: family.port });
  }
  const count = (/** @type {Role} */ role) => servers.filter((server) => server.role === role).length;
  if (count('web') === 0) {
    throw new Error('the servers include no web server: every lab of the course serves its site from the web tier. Add web-01.');
  }
  if (servers.some((server) => server.role === 'balancer' && server.name !== 'lb-01')) {
    throw new Error('the one balancer is lb-01. A second balancer needs keepalived and a virtual IP: start from' +
      ' labs/05-load-balancer-cluster instead.');
  }
  if (servers.some((server) => server.role === 'database' && server.name !== 'db-01')) {
    throw new Error('the one database server is db-01: the kit has no replication yet.');
  }
  if (count('app') > 0 && count('database') === 0) {
    throw new Error('the application servers keep their data in a database: add db-01.');
  }
  if (count('database') > 0 && count('app') === 0) {
    throw new Error('only the application tier talks to the database: add app-01.');
  }
  const order = Object.values(FAMILIES).map((family) => family.role);
  servers.sort((a, b) => order.indexOf(a.role) - order.indexOf(b.role) || a.name.localeCompare(b.name));
  const entry = servers[0];
  /** @type {Gap} */
  const gap = count('app') > 0 ? 'reaches-app' : count('balancer') > 0 ? 'balances' : 'serves-page';
  return { servers, entry, gap };
}

/**
 * The lab network table: every server's address, and a loopback port of the lab's range for each address the
 * configurations name. Lab NN has ports 2NN01 to 2NN99 (2NN00 is the supervisor's): the balancer takes 2NN01, the
 * web servers 2NN11 to 2NN19, the application servers 2NN21 to 2NN29, the database 2NN31.
 * @param {Topology} topology
 * @param {number} number  the chapter's number
 */
export function networkTable({ servers }, number) {
  const control = controlPort(number);
  const offsets = { balancer: 0, web: 10, app: 20, database: 30 };
  return {
    hosts: Object.fromEntries(servers.map((server) => [server.name, server.address])),
    ports: Object.fromEntries(servers.map((server) =>
      [`${server.name}:${server.port}`, control + offsets[server.role] + Number(server.name.slice(-1))])),
  };
}

/**
 * The supervisor's control port of lab NN: 20000 + NN × 100.
 * @param {number} number
 */
export function controlPort(number) {
  return 20_000 + number * 100;
}
