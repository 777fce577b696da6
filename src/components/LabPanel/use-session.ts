/**
 * The session's state for React, in two parts that change at different rates. The lab's live state (each server's
 * state and its share of the traffic) changes up to ten times a second while the servers start or take load, and
 * only the topology shows it; the rest (status, checks, files, ...) changes when the learner does something. Each
 * part re-renders only what shows it: drawing the whole panel, steps and tabs included, at every state took the
 * page's one thread away from the very moments the servers need the machine to start.
 */
import { useSyncExternalStore } from 'react';
import type { LabSession, LabSessionSnapshot, PanelSnapshot } from '@site/src/runtime/session';

/** Everything but the live state. */
export function usePanelState(session: LabSession): PanelSnapshot {
  return useSyncExternalStore(session.subscribe, session.getPanelSnapshot, session.getPanelSnapshot);
}

/** The lab's live state, for the topology. */
export function useLiveState(session: LabSession): Pick<LabSessionSnapshot, 'lab' | 'traffic'> {
  const lab = useSyncExternalStore(session.subscribe, () => session.getSnapshot().lab, () => session.getSnapshot().lab);
  const traffic = useSyncExternalStore(session.subscribe, () => session.getSnapshot().traffic, () => session.getSnapshot().traffic);
  return { lab, traffic };
}
