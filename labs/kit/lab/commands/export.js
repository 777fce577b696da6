// @ts-check
/**
 * `lab export [DIR]`: the lab, with your current files, as a folder that runs them on the real programs
 * (export/ in the workspace unless DIR is given). kit/export/ does the work; this says what it did.
 */
import path from 'node:path';
import { exportLab, listFiles } from '../../export/index.js';
import { parseCommand } from '../args.js';
import { UsageError } from '../errors.js';
import { currentWorkspace } from '../workspace.js';

/**
 * With --json: `{ dir, files, problems }`, the folder's files relative to it (what the lab page puts in its archive).
 * @param {string[]} argv
 */
export async function exportCommand(argv) {
  const usage = 'lab export [DIR] [--json]';
  const { positionals, values } = parseCommand(argv, { json: { type: 'boolean' } }, usage);
  if (positionals.length > 1) throw new UsageError(`name one folder at most\nusage: ${usage}`);
  const workspace = currentWorkspace();
  const out = path.resolve(positionals[0] ?? path.join(workspace.home, 'export'));
  const plan = exportLab(workspace, out);
  if (values.json) {
    console.log(JSON.stringify({ dir: out, files: listFiles(out).sort(), problems: plan.problems }));
    return 0;
  }
  const shown = path.relative(process.cwd(), out) || '.';
  console.log(`Exported ${plan.lab} to ${shown}/: your files, on the real programs.`);
  console.log(`  ${shown}/compose.yaml   Docker Compose: cd ${shown} && docker compose up`);
  console.log(`  ${shown}/run-netns.sh   one Linux machine, as root: sudo ${shown}/run-netns.sh`);
  console.log(`  ${shown}/README.md      what each file is, and the lab's experiments with real commands`);
  for (const problem of plan.problems) {
    process.stderr.write(`lab export: warning: ${problem.file}: ${problem.message}\n`);
  }
  if (plan.problems.length > 0) {
    process.stderr.write('lab export: the real programs will refuse the files above; they are exported as they are, fix them first\n');
  }
  return 0;
}
