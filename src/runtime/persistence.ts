/**
 * What the page remembers of a lab between visits, in localStorage under the lab's id: the learner's progress
 * (the checks that have passed, the step they are on) and their edits (the editable files that differ from the
 * starter files). Storage that is missing or refuses (private browsing, a full quota) is simply not used.
 */
import type { FileMap } from './types';

/** The part of the Web Storage API used here; tests pass a Map-backed one. */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface SavedLab {
  passed: string[];
  step: number;
  edits: FileMap;
}

const EMPTY: SavedLab = { passed: [], step: 0, edits: {} };

export class LabMemory {
  readonly #key: string;
  readonly #storage: KeyValueStorage | null;

  constructor(labId: string, storage: KeyValueStorage | null = browserStorage()) {
    this.#key = `scale-up:lab:${labId}`;
    this.#storage = storage;
  }

  load(): SavedLab {
    try {
      const saved = JSON.parse(this.#storage?.getItem(this.#key) ?? 'null') as Partial<SavedLab> & { version?: number } | null;
      if (!saved || saved.version !== 1) return EMPTY;
      return {
        passed: Array.isArray(saved.passed) ? saved.passed.filter((id) => typeof id === 'string') : [],
        step: Number.isInteger(saved.step) ? (saved.step as number) : 0,
        edits: isFileMap(saved.edits) ? saved.edits : {},
      };
    } catch {
      return EMPTY;
    }
  }

  save(lab: SavedLab): void {
    try {
      this.#storage?.setItem(this.#key, JSON.stringify({ version: 1, ...lab }));
    } catch {
      // Storage is full or refused: the lab works on, it is only not remembered.
    }
  }
}

function browserStorage(): KeyValueStorage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

function isFileMap(value: unknown): value is FileMap {
  return typeof value === 'object' && value !== null && Object.values(value).every((content) => typeof content === 'string');
}
