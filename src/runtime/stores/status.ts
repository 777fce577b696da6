/** Where the lab's start is, on which backend, and what to tell the learner. */
import { Store } from '../store';
import type { BackendKind } from '../types';

/** `slow`: the backend has not booted within its watchdog's time; the learner may keep waiting or go elsewhere. */
export type Phase = 'idle' | 'checking' | 'booting' | 'slow' | 'mounting' | 'starting' | 'ready' | 'error';

export interface StatusState {
  phase: Phase;
  /** The backend in use (or being started), and its words for where the lab runs. */
  backend: BackendKind | null;
  label: string | null;
  /** One sentence for the learner: progress, or what went wrong and what to do. */
  message: string;
}

const MESSAGES: Record<Exclude<Phase, 'error' | 'slow'>, string> = {
  idle: 'The lab is not running.',
  checking: 'Checking where the lab can run…',
  booting: 'Starting the lab’s machine…',
  mounting: 'Copying the lab’s files…',
  starting: 'Starting the servers…',
  ready: 'The lab is running.',
};

export class StatusStore {
  readonly state = new Store<StatusState>({ phase: 'idle', backend: null, label: null, message: MESSAGES.idle });

  enter(phase: Exclude<Phase, 'error' | 'slow'>, message = MESSAGES[phase]): void {
    this.state.update((current) => ({ ...current, phase, message }));
  }

  useBackend(backend: BackendKind | null, label: string | null): void {
    this.state.update((current) => ({ ...current, backend, label }));
  }

  fail(message: string): void {
    this.state.update((current) => ({ ...current, phase: 'error', message }));
  }

  slow(message: string): void {
    this.state.update((current) => ({ ...current, phase: 'slow', message }));
  }
}
