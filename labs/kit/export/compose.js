// @ts-check
/**
 * compose.yaml: the lab on the official images. Each lab server is one container with the server's lab address on
 * a network of the lab's addresses. A server that runs several programs (a balancer with keepalived; chapter 1's
 * single machine) is its first program's container, and each other program is a container that shares its network
 * and its processes (`network_mode` and `pid` of `service:NAME`), as the programs of one machine do: keepalived's
 * `killall -0 haproxy` sees HAProxy, the application reaches MySQL on 127.0.0.1, and `docker compose kill lb-01`
 * takes the whole machine down.
 *
 * The images are the versions of the programs that Debian 12 ships, which run-netns.sh runs, and which CI runs it
 * with: HAProxy 2.6, nginx 1.22, MariaDB 10.11, keepalived 2.2 (installed in a Debian 12 image when the container
 * starts, as no official keepalived image exists), and Node.js 20 for the application.
 */
import { toYaml } from './yaml.js';

export const IMAGES = {
  balancer: 'haproxy:2.6',
  web: 'nginx:1.22',
  vrrp: 'debian:bookworm-slim',
  db: 'mariadb:10.11',
  app: 'node:20-slim',
};

/** Docker's own addresses (its gateway and any container without a fixed address) stay out of the lab's. */
const DOCKER_RANGE = '.248/29';
/** keepalived and what a track script may call; apt-get runs once, when the container is created. */
const KEEPALIVED_START = 'command -v keepalived >/dev/null || { apt-get update -qq && apt-get install -y -qq --no-install-recommends'
  + ' keepalived psmisc procps curl iproute2 >/dev/null; } && exec keepalived --dont-fork --log-console --log-detail -f /etc/keepalived/keepalived.conf';

/**
 * @typedef {import('./plan.js').ExportPlan} ExportPlan
 * @typedef {import('./plan.js').ServerPlan} ServerPlan
 * @typedef {import('./plan.js').ServicePlan} ServicePlan
 * @typedef {import('./yaml.js').YamlValue} YamlValue
 * @typedef {{ [key: string]: YamlValue }} Mapping
 */

/** @param {ExportPlan} plan */
export function composeFile(plan) {
  /** @type {Mapping} */
  const services = {};
  for (const server of plan.servers) {
    for (const [i, service] of server.services.entries()) {
      services[i === 0 ? server.name : `${server.name}-${service.name}`] = container(server, service, i === 0);
    }
  }
  const header = [
    `# The lab ${plan.lab} ("${plan.title}") on the real programs, one container per lab server.`,
    '# Start: docker compose up        Stop: Ctrl-C, then docker compose down -v',
    '# README.md says how to repeat the lab\'s experiments; `lab export` wrote this file from the lab\'s own files.',
  ];
  const base = plan.subnet.replace(/\.0\/24$/, '');
  return `${header.join('\n')}\n${toYaml({
    services,
    networks: { lab: { ipam: { config: [{ subnet: plan.subnet, ip_range: `${base}${DOCKER_RANGE}` }] } } },
  })}`;
}

/**
 * @param {ServerPlan} server
 * @param {ServicePlan} service
 * @param {boolean} owner  the server's first program: it holds the server's network and name
 * @returns {Mapping}
 */
function container(server, service, owner) {
  /** @type {Mapping} */
  const spec = { image: IMAGES[service.program], ...programSpec(server, service) };
  if (owner) {
    spec.hostname = server.name;
    spec.networks = { lab: { ipv4_address: server.address } };
    // The HAProxy image runs as the user haproxy: it may bind port 80 only with this (a setting of the network).
    if (server.services.some((s) => s.program === 'balancer')) spec.sysctls = { 'net.ipv4.ip_unprivileged_port_start': 0 };
  } else {
    spec.network_mode = `service:${server.name}`;
    spec.pid = `service:${server.name}`;
  }
  return spec;
}

/**
 * Where the image's program reads its files, and how it starts.
 * @param {ServerPlan} server
 * @param {ServicePlan} service
 * @returns {Mapping}
 */
function programSpec(server, service) {
  const folder = `./servers/${server.name}`;
  const config = service.config ?? '';
  switch (service.program) {
    case 'balancer':
      return { volumes: [`${folder}/${config}:/usr/local/etc/haproxy/haproxy.cfg:ro`] };
    case 'web': {
      // nginx's prefix is /etc/nginx/: `root www` is /etc/nginx/www, `include mime.types` the image's own.
      const others = new Set(server.services.filter((s) => s !== service).flatMap((s) => [s.config, s.initFile]));
      const entries = [...new Set(server.files.map((file) => file.split('/')[0]))]
        .filter((entry) => entry !== config && !others.has(entry));
      return { volumes: [`${folder}/${config}:/etc/nginx/nginx.conf:ro`, ...entries.map((entry) => `${folder}/${entry}:/etc/nginx/${entry}:ro`)] };
    }
    case 'vrrp':
      return {
        cap_add: ['NET_ADMIN', 'NET_BROADCAST', 'NET_RAW'],
        volumes: [`${folder}/${config}:/etc/keepalived/keepalived.conf:ro`],
        command: ['sh', '-c', KEEPALIVED_START],
      };
    case 'db':
      return {
        environment: { MARIADB_RANDOM_ROOT_PASSWORD: '1' },
        volumes: [`${folder}:/etc/mysql/lab:ro`],
        // --defaults-file first, as MariaDB requires; what the file says about paths is moved to the image's own.
        command: ['mariadbd', `--defaults-file=/etc/mysql/lab/${config}`, '--datadir=/var/lib/mysql',
          ...(service.initFile ? [`--init-file=/etc/mysql/lab/${service.initFile}`] : [])],
      };
    case 'app':
      return {
        environment: { LAB_SERVER: server.name, DB_PROTOCOL: 'mysql', APP_HOST: '0.0.0.0' },
        volumes: ['./kit:/opt/kit:ro'],
        command: ['node', '/opt/kit/app', ...service.args],
      };
    default:
      throw new Error(`no image for ${service.program}`);
  }
}
