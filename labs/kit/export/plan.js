// @ts-check
/**
 * What `lab export` writes, worked out once from the workspace: every server with its address on the lab network,
 * what each of its services runs and which file it reads, the virtual IPs, and the entry point. compose.js,
 * netns.js and readme.js only render this plan, so that the Compose file, the namespace script and the README
 * always describe the same lab.
 *
 * In the lab every server lives on one loopback interface; here each gets the address the lab's network table
 * gives it (10.0.0.21). A server that the table leaves on 127.0.0.1 (a lab with one machine) gets a free address
 * of the course's plan: balancers from .11, web servers from .21, application servers from .31, databases from .41.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { LabError } from '../lab/errors.js';
import { Network } from '../lib/network.js';
import { fileProblems } from './check-files.js';

/** The real program for each kit program, and the flag of lab.json's args that names its configuration file. */
export const PROGRAMS = {
  balancer: { real: 'HAProxy', flag: '-f' },
  web: { real: 'nginx', flag: '-c' },
  vrrp: { real: 'keepalived', flag: '-f' },
  db: { real: 'MariaDB', flag: '--defaults-file' },
  app: { real: 'the application (the kit\'s app on Node.js)', flag: '' },
};

const FIRST_ADDRESS = { balancer: 11, web: 21, app: 31, database: 41 };
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/**
 * @typedef {keyof typeof PROGRAMS} Program
 * @typedef {object} ServicePlan
 * @property {string} name  as lab.json names it: haproxy, nginx, app, mysql
 * @property {Program} program
 * @property {string[]} args  lab.json's args
 * @property {string} [config]  the configuration file, relative to the server's folder
 * @property {string} [initFile]  a database's init file (init_file in my.cnf), relative to the server's folder
 * @property {string} [datadir]  a database's data folder in the workspace (the miniature's data): not exported
 * @typedef {object} ServerPlan
 * @property {string} name
 * @property {string} role
 * @property {string} address
 * @property {ServicePlan[]} services
 * @property {string[]} files  the server's files, relative to its folder, sorted
 * @typedef {object} ExportPlan
 * @property {string} lab  the lab's id
 * @property {string} title
 * @property {string} prefix  the start of the names this export gives (namespaces, the Compose project): su05-
 * @property {string} subnet  10.0.0.0/24
 * @property {ServerPlan[]} servers
 * @property {string[]} virtualIps
 * @property {{ host: string, port: number }} entry  where a visitor connects
 * @property {string} client  the address of the visitor's namespace in run-netns.sh
 * @property {Array<{ file: string, message: string }>} problems  files that the real programs would refuse
 */

/**
 * @param {import('../lab/workspace.js').Workspace} workspace
 * @param {(dir: string) => string[]} listFiles  a server folder's files, relative to it
 * @returns {ExportPlan}
 */
export function planExport(workspace, listFiles) {
  const { manifest, topology, home } = workspace;
  const table = readTable(workspace.networkFile);
  const network = new Network(table);
  /** @type {ExportPlan['problems']} */
  const problems = [];
  /** @type {ServerPlan[]} */
  const servers = topology.servers.map((server) => ({
    name: server.name,
    role: server.role,
    address: '',
    services: server.services.map((service) => planService(server.name, service, { home, network, problems })),
    files: [],
  }));
  assignAddresses(servers, table.hosts ?? {});
  for (const server of servers) {
    const skip = server.services.flatMap((s) => (s.datadir ? [s.datadir] : []));
    server.files = listFiles(path.join(home, server.name))
      .filter((file) => !skip.some((dir) => file === dir || file.startsWith(`${dir}/`))).sort();
  }
  const virtualIps = [...new Set(servers.flatMap((server) => server.services.filter((s) => s.program === 'vrrp' && s.config)
    .flatMap((s) => virtualIpsIn(path.join(home, server.name, /** @type {string} */ (s.config))))))];
  const subnet = `${servers[0].address.split('.').slice(0, 3).join('.')}.0/24`;
  for (const address of [...servers.map((s) => s.address), ...virtualIps]) {
    if (!inSubnet(address, subnet)) problems.push({ file: 'network.json', message: `${address} is outside the lab network ${subnet}: give every server and virtual IP an address in it` });
  }
  const used = new Set([...servers.map((s) => s.address), ...virtualIps]);
  const base = subnet.replace(/\.0\/24$/, '');
  const client = [...Array(253).keys()].map((i) => `${base}.${i + 2}`).find((address) => !used.has(address)) ?? `${base}.254`;
  return {
    lab: manifest.id,
    title: manifest.title,
    prefix: `su${manifest.id.slice(0, 2)}-`,
    subnet,
    servers,
    virtualIps,
    entry: entryOf(topology.entry, servers),
    client,
    problems,
  };
}

/**
 * @param {string} server
 * @param {import('../lab/workspace.js').ServiceSpec} service
 * @param {{ home: string, network: Network, problems: ExportPlan['problems'] }} context
 * @returns {ServicePlan}
 */
function planService(server, service, { home, network, problems }) {
  if (!Object.hasOwn(PROGRAMS, service.program)) {
    throw new LabError(`lab.json: ${server} runs '${service.program}' (service ${service.name}), and lab export knows no real program for it.`
      + ` It exports ${Object.keys(PROGRAMS).join(', ')}: change the service's program, or run this lab in the miniature only`);
  }
  const program = /** @type {Program} */ (service.program);
  const args = service.args ?? [];
  /** @type {ServicePlan} */
  const plan = { name: service.name, program, args };
  const { flag } = PROGRAMS[program];
  if (!flag) return plan;
  const at = args.indexOf(flag);
  const config = at >= 0 ? args[at + 1] : args.find((arg) => arg.startsWith(`${flag}=`))?.slice(flag.length + 1);
  if (!config) {
    problems.push({ file: 'lab.json', message: `${server} starts ${service.program} without '${flag} FILE': there is no configuration file to export` });
    return plan;
  }
  plan.config = config;
  const file = path.join(home, server, config);
  for (const message of fileProblems(program, file, network)) problems.push({ file: `${server}/${config}`, message });
  if (program === 'db') Object.assign(plan, databaseFiles(path.join(home, server), config));
  return plan;
}

/**
 * The init file and the data folder a my.cnf names, relative to the server's folder. Read with a pattern, not the
 * miniature's parser, so that a file the miniature refuses still exports.
 * @param {string} dir
 * @param {string} config
 */
function databaseFiles(dir, config) {
  const text = existsSync(path.join(dir, config)) ? readFileSync(path.join(dir, config), 'utf8') : '';
  /** @param {string} option */
  const value = (option) => [...text.matchAll(new RegExp(`^\\s*${option}\\s*=\\s*(.*?)\\s*$`, 'gm'))].at(-1)?.[1]
    ?.replace(/^(["'])(.*)\1$/, '$2');
  const inside = (/** @type {string | undefined} */ file) => {
    if (!file) return undefined;
    const relative = path.relative(dir, path.resolve(dir, path.dirname(config), file)).split(path.sep).join('/');
    return relative.startsWith('..') ? undefined : relative;
  };
  return { initFile: inside(value('init[-_]file')), datadir: inside(value('datadir') ?? 'data') };
}

/**
 * @param {ServerPlan[]} servers
 * @param {Record<string, string>} hosts
 */
function assignAddresses(servers, hosts) {
  const given = new Set(Object.values(hosts));
  for (const server of servers) {
    const address = hosts[server.name];
    if (address && IPV4.test(address) && !address.startsWith('127.')) server.address = address;
  }
  const base = servers.find((s) => s.address)?.address.split('.').slice(0, 3).join('.') ?? '10.0.0';
  for (const server of servers.filter((s) => !s.address)) {
    const first = FIRST_ADDRESS[/** @type {keyof typeof FIRST_ADDRESS} */ (server.role)] ?? 50;
    for (let last = first; last < 255; last++) {
      const address = `${base}.${last}`;
      if (!given.has(address) && !servers.some((s) => s.address === address)) {
        server.address = address;
        break;
      }
    }
  }
}

/**
 * The addresses a keepalived.conf's virtual_ipaddress blocks hold, read with a pattern so that a broken file still
 * gives its addresses.
 * @param {string} file
 */
export function virtualIpsIn(file) {
  if (!existsSync(file)) return [];
  const text = readFileSync(file, 'utf8').replace(/[#!].*$/gm, '');
  return [...text.matchAll(/virtual_ipaddress\s*\{([^}]*)\}/g)]
    .flatMap((m) => m[1].split('\n').map((line) => line.trim().split(/\s+/)[0].split('/')[0]))
    .filter((address) => IPV4.test(address));
}

/**
 * @param {string} entry  lab.json's topology.entry: web-01:80, 10.0.0.100:80
 * @param {ServerPlan[]} servers
 */
function entryOf(entry, servers) {
  const [host, port] = entry.split(':');
  const address = servers.find((s) => s.name === host)?.address ?? host;
  return { host: address, port: Number(port) || 80 };
}

/**
 * @param {string} address
 * @param {string} subnet  a /24
 */
function inSubnet(address, subnet) {
  return address.startsWith(subnet.replace(/0\/24$/, ''));
}

/**
 * @param {string} file
 * @returns {import('../lib/network.js').NetworkTable}
 */
function readTable(file) {
  if (!existsSync(file)) return {};
  try {
    return /** @type {import('../lib/network.js').NetworkTable} */ (JSON.parse(readFileSync(file, 'utf8')));
  } catch (error) {
    throw new LabError(`cannot read ${file}: ${/** @type {Error} */ (error).message}`);
  }
}
