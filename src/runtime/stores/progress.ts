/** The learner's progress: the checks that have passed at least once, and the step they are on. */
import { Store } from '../store';

export interface ProgressState {
  readonly passed: ReadonlySet<string>;
  readonly step: number;
}

export class ProgressStore {
  readonly state = new Store<ProgressState>({ passed: new Set(), step: 0 });

  restore(passed: readonly string[], step: number): void {
    this.state.set({ passed: new Set(passed), step });
  }

  /** Adds checks that passed; a check never leaves the set once in it. */
  pass(ids: readonly string[]): void {
    const { passed, step } = this.state.get();
    const added = ids.filter((id) => !passed.has(id));
    if (added.length > 0) this.state.set({ passed: new Set([...passed, ...added]), step });
  }

  setStep(step: number): void {
    const current = this.state.get();
    if (current.step !== step) this.state.set({ ...current, step });
  }
}
