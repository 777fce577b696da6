/**
 * The editable files: for each, the learner's current text (`content`, what the editor shows) and the text the
 * workspace holds (`saved`, what the servers read). They differ between a keystroke and the next save.
 */
import { Store } from '../store';
import type { FileMap } from '../types';

export interface FileState {
  readonly content: string;
  readonly saved: string;
}

export type FilesState = Readonly<Record<string, FileState>>;

export class FilesStore {
  readonly state = new Store<FilesState>({});

  /** The files as the workspace holds them now. */
  load(files: FileMap): void {
    this.state.set(Object.fromEntries(Object.entries(files).map(([path, content]) => [path, { content, saved: content }])));
  }

  setContent(path: string, content: string): void {
    const file = this.#file(path);
    if (file.content !== content) this.state.update((files) => ({ ...files, [path]: { ...file, content } }));
  }

  markSaved(path: string, saved: string): void {
    const file = this.#file(path);
    if (file.saved !== saved || file.content !== saved) this.state.update((files) => ({ ...files, [path]: { content: saved, saved } }));
  }

  /** The learner's current text of every editable file. */
  contents(): FileMap {
    return Object.fromEntries(Object.entries(this.state.get()).map(([path, file]) => [path, file.content]));
  }

  #file(path: string): FileState {
    const file = this.state.get()[path];
    if (!file) throw new Error(`${path} is not an editable file of this lab, or the lab has not started yet.`);
    return file;
  }
}
