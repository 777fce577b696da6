// @ts-check
/**
 * `lab check [ID...] [--json]`: runs the lab's checks (all of them, in the order of the steps, or the ones named)
 * and says which pass. `--json` prints one JSON array of { id, ok, message }. Exit status 0 when all passed.
 */
import { parseCommand } from '../args.js';
import { NotRunningError, UsageError } from '../errors.js';
import { runCheck } from '../check-runner.js';
import { findSupervisor } from '../launch.js';
import { painter } from '../output.js';
import { checkIds, currentWorkspace, loadWorkspaceNetwork } from '../workspace.js';

/** @param {string[]} argv */
export async function check(argv) {
  const { values, positionals } = parseCommand(argv, { json: { type: 'boolean' } }, 'lab check [ID...] [--json]');
  const workspace = currentWorkspace();
  const known = checkIds(workspace.manifest);
  const unknown = positionals.filter((id) => !known.includes(id));
  if (unknown.length > 0) throw new UsageError(`no check named ${unknown.join(', ')}: this lab's checks are ${known.join(', ')}`);
  const ids = positionals.length > 0 ? positionals : known;
  const paint = painter();
  const titles = new Map(workspace.manifest.steps.flatMap((step) => step.checks.map((c) => [c.id, c.title])));
  const running = await findSupervisor(workspace);
  const network = loadWorkspaceNetwork(workspace);

  /** @type {import('../check-runner.js').CheckResult[]} */
  const results = [];
  for (const id of ids) {
    const result = running ? await runCheck(workspace, network, id) : { id, ok: false, message: new NotRunningError().message };
    results.push(result);
    if (!values.json) {
      console.log(`${result.ok ? paint('green', 'PASS') : paint('red', 'FAIL')}  ${titles.get(id) ?? id} (${id})`);
      console.log(`      ${result.message.split('\n').join('\n      ')}`);
    }
  }
  const passed = results.filter((result) => result.ok).length;
  if (values.json) console.log(JSON.stringify(results));
  else console.log(`\n${passed} of ${results.length} checks passed`);
  return passed === results.length ? 0 : 1;
}
