// @ts-check
/**
 * `lab partition A B` and `lab heal [A B]`: cut the lab network between two servers while both stay up, and mend
 * it. Two keepalived daemons that cannot hear each other both become MASTER: a split brain, on purpose.
 */
import { parseCommand } from '../args.js';
import { UsageError } from '../errors.js';
import { requireSupervisor } from '../launch.js';
import { stateTable } from '../output.js';
import { currentWorkspace } from '../workspace.js';

/** @param {string[]} argv */
export async function partition(argv) {
  const usage = 'lab partition SERVER SERVER';
  const { positionals } = parseCommand(argv, {}, usage);
  if (positionals.length !== 2) throw new UsageError(`name the two servers to cut apart\nusage: ${usage}`);
  const [a, b] = positionals;
  const client = await requireSupervisor(currentWorkspace());
  /** @type {{ state: import('../client.js').LabStateJson, already: boolean }} */
  const answer = await client.send('POST', '/api/partition', { a, b });
  console.log(stateTable(answer.state));
  console.log(`\n${answer.already ? 'The network was already cut' : 'Cut the lab network'} between ${a} and ${b},` +
    ' both ways: the VRRP advertisements one sends the other are lost, as behind a firewall that drops them.');
  console.log(watchHint(answer.state, a, b));
  console.log(`Mend it with \`lab heal ${a} ${b}\` (or \`lab heal\` for every cut).`);
  return 0;
}

/** @param {string[]} argv */
export async function heal(argv) {
  const usage = 'lab heal [SERVER SERVER]';
  const { positionals } = parseCommand(argv, {}, usage);
  if (positionals.length !== 0 && positionals.length !== 2) {
    throw new UsageError(`name the two servers of one cut, or none to heal every cut\nusage: ${usage}`);
  }
  const [a, b] = positionals;
  const client = await requireSupervisor(currentWorkspace());
  /** @type {{ state: import('../client.js').LabStateJson, healed: string[][] }} */
  const answer = await client.send('POST', '/api/heal', { a, b });
  console.log(stateTable(answer.state));
  const { healed } = answer;
  if (healed.length === 0) {
    console.log(`\n${a ? `The network between ${a} and ${b} was not cut` : 'No network was cut'}: nothing to heal.`);
    return 0;
  }
  console.log(`\nHealed ${healed.map(([x, y]) => `${x} - ${y}`).join(', ')}: advertisements get through again.` +
    ' If both claimed MASTER, the one that hears a higher priority steps down within one advert_int:' +
    ' `lab logs SERVER keepalived` shows it, and `lab ps` shows one owner of the virtual IP.');
  return 0;
}

/**
 * What the learner should watch after a cut: the backup's log and the split brain, when both run keepalived.
 * @param {import('../client.js').LabStateJson} state
 * @param {string} a
 * @param {string} b
 */
function watchHint(state, a, b) {
  const runsVrrp = (/** @type {string} */ name) => state.servers.some((server) => server.name === name && 'vrrp' in server);
  if (!runsVrrp(a) || !runsVrrp(b)) {
    return `In this kit a partition cuts VRRP advertisements only, and ${[a, b].filter((name) => !runsVrrp(name)).join(' and ')}` +
      ' runs no keepalived: nothing will change.';
  }
  const backup = state.vip?.owner === a ? b : a;
  return `Watch \`lab logs ${backup} keepalived\`: after 3 x advert_int + skew time without an advertisement it` +
    ' enters MASTER too, and `lab ps` shows both claiming MASTER: a split brain. The address stays where it is' +
    ' (one process holds its port; see kit/vrrp/README.md).';
}
