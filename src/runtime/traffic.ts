/**
 * Each server's share of the traffic of the last few seconds (TRAFFIC_WINDOW_MS). The supervisor counts requests from the start, so a
 * server that died a minute ago still holds half of the total; what a learner watches during a failover is where
 * the requests go *now*. The share is the difference between the counts now and the counts `windowMs` ago.
 */
/** How far back the shares look: long enough to smooth a burst, short enough to show a failover as it happens. */
export const TRAFFIC_WINDOW_MS = 5_000;

export interface CountsAt {
  time: number;
  counts: ReadonlyMap<string, number>;
}

/**
 * @param history the counts seen so far, oldest first
 * @param now the current time
 * @param group the servers that share traffic (one tier)
 * @returns each server's share in percent, or null when the tier served nothing in the window
 */
export function recentShares(history: readonly CountsAt[], now: number, group: readonly string[], windowMs: number): Map<string, number> | null {
  if (history.length === 0) return null;
  const latest = history[history.length - 1];
  // The counts at the start of the window: the last sample taken at or before it, or the oldest one there is.
  const start = [...history].reverse().find((sample) => sample.time <= now - windowMs) ?? history[0];
  const deltas = group.map((name) => Math.max(0, (latest.counts.get(name) ?? 0) - (start.counts.get(name) ?? 0)));
  const total = deltas.reduce((sum, delta) => sum + delta, 0);
  if (total === 0) return null;
  return new Map(group.map((name, i) => [name, Math.round((deltas[i] / total) * 100)]));
}

/** Drops the samples that no window can need any more: all but the last one older than the window. */
export function trimHistory(history: readonly CountsAt[], now: number, windowMs: number): CountsAt[] {
  const firstInWindow = history.findIndex((sample) => sample.time > now - windowMs);
  if (firstInWindow <= 0) return firstInWindow === -1 ? history.slice(-1) : [...history];
  return history.slice(firstInWindow - 1);
}
