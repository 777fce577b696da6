// @ts-check
/**
 * The export's README.md: what each file is, how to start the lab both ways, how to repeat its experiments with the
 * real commands (kill a server, watch the address move, send requests through the entry point), and how to stop.
 */
import { IMAGES } from './compose.js';
import { PROGRAMS } from './plan.js';

/** @param {import('./plan.js').ExportPlan} plan */
export function readme(plan) {
  const entry = `http://${plan.entry.host}${plan.entry.port === 80 ? '' : `:${plan.entry.port}`}/`;
  const vrrp = plan.servers.filter((s) => s.services.some((x) => x.program === 'vrrp'));
  const victim = vrrp[0] ?? plan.servers.find((s) => plan.servers.filter((o) => o.role === s.role).length > 1 && s !== plan.servers.find((o) => o.role === s.role))
    ?? plan.servers[0];
  // A container with curl (the nginx image has it) to visit the site from inside Docker's network.
  const visitor = plan.servers.find((s) => s.services[0].program === 'web') ?? plan.servers[0];
  const ns = (/** @type {string} */ name) => `${plan.prefix}${name}`;
  const containerOf = (/** @type {import('./plan.js').ServerPlan} */ s) => (s.services.length > 1 ? `${s.name}-${s.services.at(-1)?.name}` : s.name);
  const problems = plan.problems.length === 0 ? [] : [
    '## Fix these first',
    '',
    'The real programs will refuse these files, as the lab did. They are exported as they were:',
    '',
    ...plan.problems.map((p) => `- \`${p.file}\`: ${p.message.replace(/\n\s*/g, ' ')}`),
    '',
  ];
  return [
    `# ${plan.title}: the real stack`,
    '',
    `The lab \`${plan.lab}\` with your files, on the real programs: ${[...new Set(plan.servers.flatMap((s) => s.services.map((x) => PROGRAMS[x.program].real)))].join(', ')}.`,
    'The same configuration files that ran in the miniature run here unchanged, on a network with the lab\'s addresses.',
    '`lab` and its checks do not work here: these are the real programs, and you watch them with their own tools.',
    '',
    ...problems,
    '## The files',
    '',
    '| file | what |',
    '| --- | --- |',
    '| `compose.yaml` | the lab in Docker: one container per lab server, from the official images, on a network with the lab\'s addresses |',
    '| `run-netns.sh` | the lab on one Linux machine, without Docker: Debian\'s programs in network namespaces joined by a bridge |',
    '| `servers/` | each server\'s files as they were when you exported them: the configuration the programs read |',
    '| `kit/` | the application tier: the kit\'s `app`, which both ways run on Node.js |',
    '',
    '| server | address | runs |',
    '| --- | --- | --- |',
    ...plan.servers.map((s) => `| ${s.name} | ${s.address} | ${s.services.map((x) => serviceName(x)).join(', ')} |`),
    ...(plan.virtualIps.length ? [`| (virtual IP) | ${plan.virtualIps.join(', ')} | held by whichever of ${vrrp.map((s) => s.name).join(' and ')} is MASTER |`] : []),
    '',
    `Visitors come in at ${entry}.`,
    '',
    '## With Docker Compose',
    '',
    'Needs Docker with Compose v2. The network uses the lab\'s addresses, so it must not overlap a network of your machine.',
    '',
    '```sh',
    'docker compose up            # every program\'s output; Ctrl-C stops them',
    `curl -s ${entry}   # from the Docker host, on Linux`,
    `docker compose exec ${visitor.name} curl -s ${entry}   # from inside, on any system`,
    '```',
    '',
    `Images: ${Object.entries(IMAGES).filter(([program]) => plan.servers.some((s) => s.services.some((x) => x.program === program))).map(([, image]) => `\`${image}\``).join(', ')}.`,
    ...(vrrp.length ? ['keepalived runs in a Debian image that installs it when the container is first created, so that start needs the internet.'] : []),
    '',
    'Repeat the lab\'s experiments:',
    '',
    '```sh',
    `docker compose kill ${victim.name}          # the power cut: every program of ${victim.name} at once`,
    ...(vrrp.length ? [
      `docker compose exec ${containerOf(vrrp[1] ?? vrrp[0])} ip -br addr show eth0   # ${plan.virtualIps[0]} moved here`,
      `docker compose logs ${containerOf(vrrp[1] ?? vrrp[0])}   # keepalived: Entering MASTER STATE`,
    ] : [`docker compose logs ${plan.servers[0].name}   # what the others made of it`]),
    `curl -s ${entry}           # still answered`,
    'docker compose start                   # power it on again (every stopped container)',
    'docker compose down -v                 # stop, and remove the containers, the network and the data',
    '```',
    '',
    '## On one Linux machine, with network namespaces',
    '',
    `Needs root, and Debian's (or Ubuntu's) programs: \`sudo apt-get install iproute2 util-linux psmisc ${packages(plan)}\`.`,
    `Each server is a network namespace (\`${ns(plan.servers[0].name)}\`, ...) with its lab address on its \`eth0\`; a bridge in the`,
    `namespace \`${ns('net')}\` joins them, and \`${ns('client')}\` (${plan.client}) is the visitor. Nothing is added to your machine's own`,
    'network, and the programs keep their files in a temporary folder.',
    '',
    '```sh',
    'sudo ./run-netns.sh                   # start; every program\'s output; Ctrl-C stops it all and removes it',
    `sudo ip netns exec ${ns('client')} curl -s ${entry}`,
    '```',
    '',
    'In another terminal, repeat the lab\'s experiments:',
    '',
    '```sh',
    `sudo ./run-netns.sh kill ${victim.name}      # the power cut: ip netns pids ${ns(victim.name)} | xargs kill -9, then its eth0 down`,
    ...vrrp.map((s) => `sudo ip netns exec ${ns(s.name)} ip -br addr show eth0   # does ${s.name} hold ${plan.virtualIps[0]}?`),
    `for i in $(seq 10); do sudo ip netns exec ${ns('client')} curl -s -o /dev/null -w '%{http_code}\\n' ${entry}; done`,
    `sudo ./run-netns.sh start ${victim.name}     # power it on again`,
    `sudo ip netns exec ${ns(plan.servers[0].name)} ss -tlnp     # any command runs "on" a server this way`,
    '```',
    '',
    'Set `PREFIX` to run two copies at once (`sudo PREFIX=x1- ./run-netns.sh`). If the script was killed before it',
    'could clean up, `sudo ./run-netns.sh down` removes what it left.',
    '',
  ].join('\n');
}

/**
 * `nginx`, or `mysql (MariaDB)` where the lab's name for the service is not the program's.
 * @param {import('./plan.js').ServicePlan} service
 */
function serviceName(service) {
  const real = PROGRAMS[service.program].real;
  return real.toLowerCase() === service.name.toLowerCase() ? service.name : `${service.name} (${real})`;
}

/** @param {import('./plan.js').ExportPlan} plan */
function packages(plan) {
  const names = { balancer: 'haproxy', web: 'nginx', vrrp: 'keepalived', db: 'mariadb-server', app: 'nodejs' };
  return [...new Set(plan.servers.flatMap((s) => s.services.map((x) => names[x.program])))].join(' ');
}
