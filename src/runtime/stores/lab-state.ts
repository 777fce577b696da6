/**
 * The supervisor's state, followed live: `node kit/lab events --json` prints the state, then again at every change,
 * one JSON document a line. The lines arrive in chunks cut anywhere; LineSplitter puts them back together.
 */
import { LineSplitter, parseJsonLines } from '../ndjson';
import { Store } from '../store';
import { TRAFFIC_WINDOW_MS, trimHistory, type CountsAt } from '../traffic';
import type { LabBackend, LabProcess, LabState } from '../types';

export class LabStateStore {
  readonly state = new Store<LabState | null>(null);
  /** Each server's request count, as seen at each state: what the recent shares of the traffic are computed from. */
  readonly traffic = new Store<readonly CountsAt[]>([]);

  /** Follows the state until the returned function is called; if `lab events` ends, starts it again after `retryMs`. */
  follow(backend: LabBackend, retryMs: number): () => void {
    let stopped = false;
    let process: LabProcess | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const again = () => {
      if (!stopped) timer = setTimeout(() => void listen(), retryMs);
    };
    const listen = async () => {
      try {
        process = await backend.spawn('node', ['kit/lab', 'events', '--json']);
      } catch {
        again();
        return;
      }
      if (stopped) {
        process.kill();
        return;
      }
      const lines = new LineSplitter();
      process.onOutput((chunk) => this.#receive(lines.push(chunk)));
      await process.exit;
      this.#receive(lines.flush());
      again();
    };
    void listen();
    return () => {
      stopped = true;
      clearTimeout(timer);
      process?.kill();
      this.state.set(null);
      this.traffic.set([]);
    };
  }

  #receive(lines: string[]): void {
    for (const document of parseJsonLines(lines)) {
      if (!isLabState(document)) continue;
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
