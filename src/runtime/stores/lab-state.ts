/**
 * The supervisor's state, followed live: the supervisor the page owns (`supervise --events`) prints the state on its
 * output, then again at every change, one JSON document a line, among lines of its own that are not JSON. The lines
 * arrive in chunks cut anywhere; LineSplitter puts them back together.
 */
import { LineSplitter, parseJsonLines } from '../ndjson';
import { Store } from '../store';
import { TRAFFIC_WINDOW_MS, trimHistory, type CountsAt } from '../traffic';
import type { LabState } from '../types';

type OtherLine = (line: string, document: unknown) => void;

export class LabStateStore {
  readonly state = new Store<LabState | null>(null);
  /** Each server's request count, as seen at each state: what the recent shares of the traffic are computed from. */
  readonly traffic = new Store<readonly CountsAt[]>([]);

  /**
   * A reader for the supervisor's output: hand it every chunk, in order. Its `stop` forgets the state (the lab is
   * stopped) and ignores what comes after. Every line that is not a state goes to `other`, with its JSON document
   * if it is one (the start's report) and `undefined` if it is not (the supervisor's own lines).
   */
  reader(other: OtherLine = () => undefined): { read: (chunk: string) => void; stop: () => void } {
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

  #receive(lines: string[], other: OtherLine): void {
    for (const line of lines) {
      const [document] = parseJsonLines([line]);
      if (!isLabState(document)) {
        other(line, document);
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
