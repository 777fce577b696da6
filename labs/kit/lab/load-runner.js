// @ts-check
/**
 * A small, bounded load generator (in the spirit of `ab` or `hey`): C clients send requests one after another,
 * over kept-alive connections, until N requests are sent or the time is up.
 */
import http from 'node:http';
import { labRequest } from './lab-http.js';

/** A lab runs on a learner's laptop or in their browser tab: these caps keep `lab load` from hurting either. */
export const LOAD_LIMITS = Object.freeze({ requests: 10_000, concurrency: 50, seconds: 60 });

/**
 * @typedef {object} LoadProgress
 * @property {number} sent       requests that got an answer or an error
 * @property {number} failed
 * @property {number} elapsedMs
 *
 * @typedef {LoadProgress & { errors: Map<string, number>, latencies: number[] }} LoadResult
 */

/**
 * @param {import('../lib/network.js').Network} network
 * @param {object} options
 * @param {string} options.address
 * @param {string} options.path
 * @param {number} options.requests
 * @param {number} options.concurrency
 * @param {number} [options.durationMs] stop after this long, even if not every request was sent
 * @param {(progress: LoadProgress) => void} [options.onProgress] called every `progressMs`
 * @param {number} [options.progressMs]
 * @returns {Promise<LoadResult>}
 */
export async function runLoad(network, { address, path, requests, concurrency, durationMs = Infinity, onProgress, progressMs = 250 }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const started = performance.now();
  /** @type {LoadResult} */
  const result = { sent: 0, failed: 0, elapsedMs: 0, errors: new Map(), latencies: [] };
  let issued = 0;
  const progress = () => {
    result.elapsedMs = performance.now() - started;
    onProgress?.({ sent: result.sent, failed: result.failed, elapsedMs: result.elapsedMs });
  };
  const timer = onProgress ? setInterval(progress, progressMs) : undefined;

  const client = async () => {
    while (issued < requests && performance.now() - started < durationMs) {
      issued++;
      const response = await labRequest(network, { address, path, agent });
      result.sent++;
      result.latencies.push(response.ms);
      const error = response.status === 0 ? response.error : response.status >= 500 ? `HTTP ${response.status}` : undefined;
      if (error) {
        result.failed++;
        result.errors.set(error, (result.errors.get(error) ?? 0) + 1);
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, client));
  } finally {
    clearInterval(timer);
    agent.destroy();
  }
  progress();
  return result;
}

/**
 * The latency below which `p` percent of the requests finished (nearest rank).
 * @param {number[]} sorted latencies in ascending order
 * @param {number} p 0-100
 */
export function percentile(sorted, p) {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
