/**
 * The supervisor's state, followed live: the supervisor the page owns (`supervise --events`) prints the state on its
 * output, then again at every change, one JSON document a line, among lines of its own that are not JSON. The lines
 * arrive in chunks cut anywhere; LineSplitter puts them back together.
 */
import { LineSplitter, parseJsonLines } from '../ndjson';
import { Store } from '../store';
import { TRAFFIC_WINDOW_MS, trimHistory, type CountsAt } from '../traffic';
import type { LabState } from '../types';

export class LabStateStore {
  readonly state = new Store<LabState | null>(null);
  /** Each server's request count, as seen at each state: what the recent shares of the traffic are computed from. */
  readonly traffic = new Store<readonly CountsAt[]>([]);

  /**
   * A reader for the supervisor's output: hand it every chunk, in order. Its `stop` forgets the state (the lab is
   * stopped) and ignores what comes after. The JSON documents that are not states (the start's report) go to
   * `other`.
   */
  reader(other: (document: unknown) => void = () => undefined): { read: (chunk: string) => void; stop: () => void } {
    const lines = new LineSplitter();
    let stopped = false;
    return {
      read: (chunk) => {
        if (!stopped) this.#receive(lines.push(chunk), other);
      },
      stop: () => {
        stopped = true;
        this.state.set(null);
        this.traffic.set([]);
      },
    };
  }

  #receive(lines: string[], other: (document: unknown) => void): void {
    for (const document of parseJsonLines(lines)) {
      if (!isLabState(document)) {
        other(document);
        continue;
      }
      this.state.set(document);
      const sample = { time: Date.now(), counts: new Map(document.servers.map((server) => [server.name, server.requests])) };
      this.traffic.update((history) => [...trimHistory(history, sample.time, TRAFFIC_WINDOW_MS), sample]);
    }
  }
}

function isLabState(value: unknown): value is LabState {
  const state = value as Partial<LabState> | null;
  return state !== null && typeof state === 'object' && state.type === 'state' && Array.isArray(state.servers);
}
