/** The `lab` commands the page runs for the learner (restart, kill, reset...), and the output of the last one. */
import { runLab, type CommandResult } from '../lab-command';
import { Store } from '../store';
import type { LabBackend } from '../types';

export interface ActionState {
  /** The command running now: `lab kill web-01`. */
  running: string | null;
  /** The last one that finished, with its output. */
  last: CommandResult | null;
}

export class ActionsStore {
  readonly state = new Store<ActionState>({ running: null, last: null });

  /** Runs `lab <args>`; a command that cannot start is a result with code -1 and the reason as its output. */
  async run(backend: LabBackend, args: string[]): Promise<CommandResult> {
    const command = ['lab', ...args].join(' ');
    this.state.update((state) => ({ ...state, running: command }));
    let result: CommandResult;
    try {
      result = await runLab(backend, args);
    } catch (error) {
      result = { command, code: -1, output: (error as Error).message };
    }
    this.state.set({ running: null, last: result });
    return result;
  }
}
