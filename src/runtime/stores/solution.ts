/**
 * The solution, shown as a diff against the learner's own files and applied only when they ask. Applying keeps a
 * copy of their version of each file it replaces, so that `undo` gives their work back.
 */
import { createTwoFilesPatch } from 'diff';
import { Store } from '../store';
import type { FileMap } from '../types';

export interface SolutionFile {
  path: string;
  /** The learner's current text. */
  mine: string;
  /** The solution's text. */
  solution: string;
  /** A unified diff from `mine` to `solution`. */
  patch: string;
}

export interface SolutionState {
  /** The learner's files as they were before the solution was applied; null when it is not applied. */
  readonly before: FileMap | null;
}

export class SolutionStore {
  readonly state = new Store<SolutionState>({ before: null });

  remember(before: FileMap): void {
    this.state.set({ before });
  }

  forget(): void {
    if (this.state.get().before) this.state.set({ before: null });
  }
}

/** Each editable file the solution changes, with the learner's text, the solution's, and the diff between them. */
export function solutionFiles(mine: FileMap, solution: FileMap): SolutionFile[] {
  return Object.keys(mine)
    .filter((path) => path in solution)
    .map((path) => ({
      path,
      mine: mine[path],
      solution: solution[path],
      patch: createTwoFilesPatch(`${path} (yours)`, `${path} (solution)`, mine[path], solution[path]),
    }));
}
