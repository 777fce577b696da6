// @ts-check
/**
 * `lab logs SERVER [SERVICE] [-f] [-n LINES]`: what a server's processes printed. From the supervisor while it runs;
 * from the log files in `.lab/logs/` after it has stopped.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { integerOption, parseCommand, serverArguments } from '../args.js';
import { LabError, UsageError } from '../errors.js';
import { findSupervisor } from '../launch.js';
import { currentWorkspace } from '../workspace.js';

const USAGE = 'lab logs SERVER [SERVICE] [-f] [-n LINES]';

/** @param {string[]} argv */
export async function logs(argv) {
  const { values, positionals } = parseCommand(argv, {
    follow: { type: 'boolean', short: 'f' },
    lines: { type: 'string', short: 'n' },
  }, USAGE);
  const { server, service } = serverArguments(positionals, USAGE);
  const lines = integerOption(values.lines, { name: '-n', fallback: 50, min: 0, max: 1000 }).value;
  const workspace = currentWorkspace();
  const client = await findSupervisor(workspace);
  if (!client) {
    if (values.follow) throw new LabError('the lab is not running, so there is nothing to follow: run `lab up`');
    process.stdout.write(fromFiles(workspace, server, service, lines));
    return 0;
  }
  const query = new URLSearchParams({ server, lines: String(lines), ...(service ? { service } : {}) });
  if (values.follow) query.set('follow', '1');
  const stop = new AbortController();
  process.once('SIGINT', () => stop.abort());
  await client.stream(`/api/logs?${query}`, (chunk) => process.stdout.write(chunk), stop.signal);
  return 0;
}

/**
 * The last lines of the log files of a server's services, while no supervisor runs.
 * @param {import('../workspace.js').Workspace} workspace
 * @param {string} server
 * @param {string | undefined} service
 * @param {number} lines
 */
function fromFiles(workspace, server, service, lines) {
  const spec = workspace.topology.servers.find((s) => s.name === server);
  if (!spec) {
    throw new UsageError(`there is no server '${server}' in this lab: the servers are ` +
      `${workspace.topology.servers.map((s) => s.name).join(', ')}`);
  }
  const names = service ? [service] : spec.services.map((s) => s.name);
  return names.map((name) => {
    const file = path.join(workspace.logsDir, `${server}.${name}.log`);
    if (!existsSync(file)) return `(${server} ${name} has no log yet)\n`;
    const text = readFileSync(file, 'utf8').split('\n').slice(0, -1).slice(-lines).join('\n');
    return names.length > 1 ? `== ${name} ==\n${text}\n` : `${text}\n`;
  }).join('');
}
