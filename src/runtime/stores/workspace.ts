/**
 * The lab's workspace as the build published it: fetched once, when the lab first starts, and kept for restarts
 * and backend switches. It knows the starter files (to tell the learner's edits from them) and the solution.
 */
import { Store } from '../store';
import type { FileMap, LabWorkspace } from '../types';

export class WorkspaceStore {
  readonly state = new Store<LabWorkspace | null>(null);
  readonly #fetch: () => Promise<LabWorkspace>;
  readonly #editable: readonly string[];
  #loading: Promise<LabWorkspace> | null = null;

  constructor(fetchWorkspace: () => Promise<LabWorkspace>, editable: readonly string[]) {
    this.#fetch = fetchWorkspace;
    this.#editable = editable;
  }

  /** The workspace; fetched on the first call, and again after a failed fetch. */
  load(): Promise<LabWorkspace> {
    this.#loading ??= this.#fetch().then(
      (workspace) => {
        this.state.set(workspace);
        return workspace;
      },
      (error: unknown) => {
        this.#loading = null;
        throw error;
      },
    );
    return this.#loading;
  }

  /** The solution of each editable file it changes; empty until the workspace is loaded. */
  solution(): FileMap {
    const solution = this.state.get()?.solution ?? {};
    return Object.fromEntries(this.#editable.filter((file) => file in solution).map((file) => [file, solution[file]]));
  }

  /** The files that differ from the starter files. */
  edits(files: FileMap): FileMap {
    const starter = this.state.get()?.files ?? {};
    return Object.fromEntries(Object.entries(files).filter(([path, content]) => content !== starter[path]));
  }
}
