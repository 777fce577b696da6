// @ts-check
/**
 * `lab drill [PATH...] [--only SERVER,...] [--json]`: the failure drill (../drill.js). Under a steady load through
 * the lab's entry, each server is killed in turn and started again; then a table of what the visitors saw, and what
 * to tune where a tier did not cope. Exit status 1 when a redundant server's death failed requests once noticed.
 */
import { parseCommand } from '../args.js';
import { CheckContext } from '../check-context.js';
import { drillTable, passes } from '../drill-report.js';
import { drillOrder, runDrill } from '../drill.js';
import { LabError, UsageError } from '../errors.js';
import { requireSupervisor } from '../launch.js';
import { painter } from '../output.js';
import { currentWorkspace, loadWorkspaceNetwork } from '../workspace.js';

const USAGE = 'lab drill [PATH...] [--only SERVER,SERVER] [--json]';

/** @param {string[]} argv */
export async function drill(argv) {
  const { values, positionals } = parseCommand(argv, { only: { type: 'string' }, json: { type: 'boolean' } }, USAGE);
  const paths = positionals.length > 0 ? positionals : ['/'];
  const notPath = paths.find((path) => !path.startsWith('/'));
  if (notPath) throw new UsageError(`'${notPath}' is not a path: a path starts with /, such as / or /static/site.css\nusage: ${USAGE}`);
  const only = values.only?.split(',').map((name) => name.trim()).filter(Boolean);
  const workspace = currentWorkspace();
  let servers;
  try {
    servers = drillOrder(workspace.topology.servers, only);
  } catch (error) {
    throw new UsageError(/** @type {Error} */ (error).message);
  }
  await requireSupervisor(workspace);

  // Ctrl-C ends the drill early; whatever it killed is started again before the command ends.
  const interrupted = new AbortController();
  const stop = () => interrupted.abort();
  process.once('SIGINT', stop);
  const lab = new CheckContext(workspace, loadWorkspaceNetwork(workspace), interrupted.signal);
  const paint = painter();
  if (!values.json) {
    console.log(`The failure drill: ${servers.map((s) => s.name).join(', ')}, one at a time, killed and started again,` +
      ` under a steady load on ${paths.join(' and ')} through ${workspace.topology.entry}. About 10 s a server.\n`);
  }
  let result;
  try {
    result = await runDrill(lab, {
      only, paths,
      onEvent: values.json ? undefined : (server, text) => console.log(`  ${server.padEnd(7)} ${paint('dim', text)}`),
    });
  } catch (error) {
    const why = interrupted.signal.aborted ? 'interrupted' : /** @type {Error} */ (error).message;
    throw new LabError(`the drill stopped: ${why}. Every server it killed is started again.`);
  } finally {
    process.off('SIGINT', stop);
    await lab.restore().catch(() => {});
  }

  const failing = result.rows.filter((row) => !passes(row.outcome));
  if (values.json) {
    console.log(JSON.stringify(result));
  } else {
    console.log('');
    for (const line of drillTable(result.rows)) console.log(line.replace(/ FAIL$/, ` ${paint('red', 'FAIL')}`));
    console.log(`\n${failing.length === 0 ? paint('green', 'every redundant tier coped') : paint('red',
      `${failing.map((row) => row.server).join(', ')}: see above what to tune`)} (${result.sent} requests in all).`);
  }
  return failing.length === 0 ? 0 : 1;
}
