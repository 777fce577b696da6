/** Runs the kit's `lab` command in the workspace, as the page drives the supervisor: `node kit/lab <args>`. */
import type { LabBackend } from './types';

export interface CommandResult {
  /** `lab check 'round-robin'`, as a person would type it. */
  command: string;
  code: number;
  output: string;
}

export async function runLab(backend: LabBackend, args: string[]): Promise<CommandResult> {
  const process = await backend.spawn('node', ['kit/lab', ...args]);
  let output = '';
  const stop = process.onOutput((chunk) => {
    output += chunk;
  });
  const code = await process.exit;
  stop();
  return { command: ['lab', ...args].join(' '), code, output };
}
