// @ts-check
/**
 * run-netns.sh: the lab on Debian's programs, in network namespaces of one Linux machine. The machinery (the
 * bridge, starting and killing a server, cleaning up) is the fixed script run-netns.sh beside this module; what
 * this lab has (its servers, their addresses and programs) is written in place of its MARK line.
 */
import { readFileSync } from 'node:fs';

const TEMPLATE = new URL('./run-netns.sh', import.meta.url);
const MARK = '# @LAB@';

/** How each kit program starts in the script (a function of run-netns.sh), and the Debian packages it needs. */
const RUNNERS = {
  balancer: { run: 'run_haproxy', needs: ['haproxy:haproxy'] },
  web: { run: 'run_nginx', needs: ['nginx:nginx'] },
  vrrp: { run: 'run_keepalived', needs: ['keepalived:keepalived'] },
  db: { run: 'run_mariadb', needs: ['mariadbd:mariadb-server', 'mariadb-install-db:mariadb-server'] },
  app: { run: 'run_app', needs: ['node:nodejs'] },
};

/** @param {import('./plan.js').ExportPlan} plan */
export function netnsScript(plan) {
  const template = readFileSync(TEMPLATE, 'utf8');
  if (!template.includes(MARK)) throw new Error(`${TEMPLATE.pathname} has lost its ${MARK} line`);
  const programs = [...new Set(plan.servers.flatMap((s) => s.services.flatMap((service) => RUNNERS[service.program].needs)))];
  const lines = [
    `# This lab, as lab export read it from the lab's files.`,
    `LAB_ID=${quote(plan.lab)}`,
    `DEFAULT_PREFIX=${quote(plan.prefix)}`,
    'SUBNET_BITS=24',
    `CLIENT_ADDRESS=${quote(plan.client)}`,
    `ENTRY=${quote(`${plan.entry.host}:${plan.entry.port}`)}`,
    `VIRTUAL_IPS=${quote(plan.virtualIps.join(' '))}`,
    `VRRP_SERVERS=${quote(plan.servers.filter((s) => s.services.some((x) => x.program === 'vrrp')).map((s) => s.name).join(' '))}`,
    `SERVERS=${quote(plan.servers.map((s) => s.name).join(' '))}`,
    `# program:Debian package, for each program the lab runs`,
    `PROGRAMS=${quote(programs.join(' '))}`,
    '',
    'address_of() {',
    '  case $1 in',
    ...plan.servers.map((s) => `    ${s.name}) echo ${s.address} ;;`),
    '    *) return 1 ;;',
    '  esac',
    '}',
    '',
    '# What each server runs: `service NAME` then the command, in a copy of the server\'s folder.',
    'services_of() {',
    '  case $1 in',
    ...plan.servers.flatMap((s) => [`    ${s.name})`, ...s.services.map((service) => `      ${serviceLine(service)}`), '      ;;']),
    '  esac',
    '}',
  ];
  return template.replace(MARK, lines.join('\n'));
}

/** @param {import('./plan.js').ServicePlan} service */
function serviceLine(service) {
  const { run } = RUNNERS[service.program];
  const args = service.program === 'app' ? service.args
    : service.program === 'db' ? [service.config ?? 'my.cnf', ...(service.initFile ? [service.initFile] : [])]
      : [service.config ?? ''];
  return ['service', quote(service.name), run, ...args.map(quote)].join(' ');
}

/**
 * A word for the shell, in single quotes unless it is plain.
 * @param {string} word
 */
export function quote(word) {
  return /^[\w./:=@%+-]+$/.test(word) ? word : `'${word.replace(/'/g, "'\\''")}'`;
}
