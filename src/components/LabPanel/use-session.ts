/**
 * The session's state for React, in two parts that change at different rates. The lab's live state (each server's
 * state and its share of the traffic) changes up to ten times a second while the servers start or take load, and
 * only the topology shows it; the rest (status, checks, files, ...) changes when the learner does something. Each
 * part re-renders only what shows it: re-rendering the whole panel, steps and tabs included, at every state cost
 * the page's one thread a share of the very moments the servers need the machine to start.
 */
import { useRef, useSyncExternalStore } from 'react';
import type { LabSession, LabSessionSnapshot } from '@site/src/runtime/session';

/** Everything but the live state. */
export type PanelState = Omit<LabSessionSnapshot, 'lab' | 'traffic'>;

export function usePanelState(session: LabSession): PanelState {
  const last = useRef<LabSessionSnapshot | null>(null);
  const read = (): PanelState => {
    const next = session.getSnapshot();
    if (last.current === null || !sameBesidesLive(last.current, next)) last.current = next;
    return last.current;
  };
  return useSyncExternalStore(session.subscribe, read, read);
}

/** The lab's live state, for the topology. */
export function useLiveState(session: LabSession): Pick<LabSessionSnapshot, 'lab' | 'traffic'> {
  const lab = useSyncExternalStore(session.subscribe, () => session.getSnapshot().lab, () => session.getSnapshot().lab);
  const traffic = useSyncExternalStore(session.subscribe, () => session.getSnapshot().traffic, () => session.getSnapshot().traffic);
  return { lab, traffic };
}

/** Each part of a snapshot is the same object until it changes; `solution` is made afresh, so it is compared by value. */
export function sameBesidesLive(a: LabSessionSnapshot, b: LabSessionSnapshot): boolean {
  return a.status === b.status && a.terminal === b.terminal && a.checks === b.checks && a.progress === b.progress &&
    a.files === b.files && a.action === b.action && a.solution.available === b.solution.available &&
    a.solution.applied === b.solution.applied;
}
