// @ts-check
/**
 * The files of a new lab, `labs/NN-slug/`: its manifest, its network table, the starter files, the solution overlay
 * and the one check, which fails on the starter and passes with the solution (`npm run labs:verify` proves it).
 * The starter leaves one thing out, the topology's "gap": the check probes exactly that, by behaviour.
 */
import { fill, inWords } from './templates.mjs';
import { controlPort, networkTable } from './topology.mjs';

/**
 * @typedef {import('./topology.mjs').Topology} Topology
 * @typedef {import('./topology.mjs').Server} Server
 * @typedef {Record<string, string>} Files  path relative to the lab's folder -> content
 */

const DB_ACCOUNT = ['--db-user', 'app', '--db-password', 'a-long-random-password', '--database', 'shop'];

/**
 * The service each kind of server runs, as lab.json names it, and the file it reads (none for the application).
 * @type {Record<Server['role'], { name: string, program: string, args: (db: string) => string[], file?: string }>}
 */
const SERVICES = {
  balancer: { name: 'haproxy', program: 'balancer', args: () => ['-f', 'haproxy.cfg'], file: 'haproxy.cfg' },
  web: { name: 'nginx', program: 'web', args: () => ['-c', 'nginx.conf'], file: 'nginx.conf' },
  app: { name: 'app', program: 'app', args: (db) => ['--port', '3000', '--db', db, ...DB_ACCOUNT] },
  database: { name: 'mariadb', program: 'db', args: () => ['--defaults-file=my.cnf'], file: 'my.cnf' },
};

/**
 * @param {{ labId: string, title: string, number: number, topology: Topology }} chapter
 * @returns {Files}
 */
export function labFiles({ labId, title, number, topology }) {
  const { servers, gap } = topology;
  const db = servers.find((server) => server.role === 'database');
  const starter = serverFiles(topology, false);
  const solved = serverFiles(topology, true);
  /** @type {Files} */
  const files = {};
  for (const [file, content] of Object.entries(starter)) files[`files/${file}`] = content;
  for (const [file, content] of Object.entries(solved)) {
    if (starter[file] !== content) files[`solution/${file}`] = content;
  }
  const manifest = {
    format: 1,
    id: labId,
    title,
    summary: 'TODO: one sentence shown on the lab panel before it starts: what the learner builds, and why.',
    topology: {
      control: controlPort(number),
      entry: `${topology.entry.name}:${topology.entry.port}`,
      servers: servers.map((server) => {
        const service = SERVICES[server.role];
        return {
          name: server.name,
          role: server.role,
          services: [{ name: service.name, program: service.program, args: service.args(db ? `${db.address}:${db.port}` : '') }],
        };
      }),
    },
    editable: Object.keys(starter).filter((file) => !file.includes('/www/')).map((file) => {
      const server = /** @type {Server} */ (servers.find((s) => file.startsWith(`${s.name}/`)));
      return { file, server: server.name, service: SERVICES[server.role].name };
    }),
    steps: [JSON.parse(fill(`lab/steps/${gap}.json`, stepValues(topology)))],
  };
  files['lab.json'] = `${readableJson(manifest)}\n`;
  files['network.json'] = `${readableJson(networkTable(topology, number))}\n`;
  files[`checks/${gap}.js`] = fill(`lab/checks/${gap}.js.tmpl`);
  return files;
}

/**
 * The file that the learner's step changes, as the chapter's "The real thing" shows it.
 * @param {Topology} topology
 */
export function realFile({ gap }) {
  return gap === 'balances'
    ? { file: 'lb-01/haproxy.cfg', lang: 'haproxy', title: '/etc/haproxy/haproxy.cfg' }
    : { file: 'web-01/nginx.conf', lang: 'nginx', title: '/etc/nginx/nginx.conf' };
}

/**
 * Every server's files, as the starter has them or as the solution does.
 * @param {Topology} topology
 * @param {boolean} solved
 * @returns {Files}
 */
function serverFiles({ servers, gap }, solved) {
  const named = (/** @type {Server['role']} */ role) => servers.filter((server) => server.role === role);
  /** @type {Files} */
  const files = {};
  for (const lb of named('balancer')) {
    const lines = named('web').map((web) => `    server ${web.name} ${web.address}:${web.port} check inter 1s fall 2 rise 2`);
    files[`${lb.name}/haproxy.cfg`] = fill('lab/balancer/haproxy.cfg', {
      servers: gap === 'balances' && !solved ? '    # No server yet: the lab\'s first step adds one line for each web server.' : lines.join('\n'),
    });
  }
  const apps = named('app');
  for (const web of named('web')) {
    if (apps.length > 0) {
      files[`${web.name}/nginx.conf`] = fill('lab/web/app.conf', {
        server: web.name,
        upstream: apps.map((app) => `        server ${app.address}:${app.port};`).join('\n'),
        proxy: solved
          ? '            proxy_pass http://app;\n            proxy_set_header X-Web-Server $hostname;'
          : '            # Nothing here yet: the lab\'s first step passes the request on to the application tier.',
      });
    } else {
      files[`${web.name}/nginx.conf`] = fill('lab/web/static.conf', {
        server: web.name,
        root: gap === 'serves-page' && !solved ? '        # Where are the site\'s files? The lab\'s first step tells nginx.' : '        root www;',
      });
      files[`${web.name}/www/index.html`] = fill('lab/web/index.html', { server: web.name });
    }
  }
  for (const db of named('database')) {
    files[`${db.name}/my.cnf`] = fill('lab/database/my.cnf');
    files[`${db.name}/grants.sql`] = fill('lab/database/grants.sql', {
      users: apps.map((app) => `CREATE USER IF NOT EXISTS 'app'@'${app.address}' IDENTIFIED BY 'a-long-random-password';`).join('\n'),
      grants: apps.map((app) => `GRANT SELECT, INSERT ON shop.* TO 'app'@'${app.address}';`).join('\n'),
    });
  }
  return files;
}

/**
 * The values of a step's template: the servers, in words.
 * @param {Topology} topology
 */
function stepValues({ servers, gap }) {
  const names = (/** @type {Server['role']} */ role) => servers.filter((server) => server.role === role);
  const webs = names('web');
  const others = webs.slice(1).map((web) => `${web.name}/nginx.conf`);
  /** @type {Record<string, Record<string, string>>} */
  const values = {
    'serves-page': {
      webCount: webs.length === 1 ? 'one web server' : `${webs.length} web servers`,
      webList: inWords(webs.map((web) => `**${web.name}**`)),
      firstWeb: webs[0].name,
      others: others.length > 0 ? ` (and the same in ${inWords(others.map((file) => `\`${file}\``))})` : '',
    },
    balances: {
      webList: inWords(webs.map((web) => `**${web.name}**`)),
      webAddresses: inWords(webs.map((web) => `${web.name} is ${web.address}`)),
    },
    'reaches-app': {
      appList: inWords(names('app').map((app) => `**${app.name}**`)),
      firstWeb: webs[0].name,
      others: others.length > 0 ? ` (and the same in ${inWords(others.map((file) => `\`${file}\``))})` : '',
    },
  };
  return values[gap];
}

/**
 * JSON as the course's manifests are written: one line for a list or an object that holds no list or object (a
 * service's args, a check), and one line for each member of the others.
 * @param {unknown} value
 * @param {string} [indent]
 * @returns {string}
 */
function readableJson(value, indent = '') {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  const inner = `${indent}  `;
  const flat = Object.values(value).every((member) => member === null || typeof member !== 'object');
  if (Array.isArray(value)) {
    return flat ? JSON.stringify(value).replace(/","/g, '", "')
      : `[\n${value.map((member) => inner + readableJson(member, inner)).join(',\n')}\n${indent}]`;
  }
  const members = Object.entries(value).map(([key, member]) => `${JSON.stringify(key)}: ${readableJson(member, inner)}`);
  return flat && value.constructor === Object && members.join(', ').length < 100 ? `{ ${members.join(', ')} }`
    : `{\n${members.map((member) => inner + member).join(',\n')}\n${indent}}`;
}
