/**
 * The lab's checks: `node kit/lab check <ids> --json` runs them in the workspace and prints one JSON array of
 * { id, ok, message }. The latest result of each check is kept for the page; progress (the checks that have passed
 * at least once) is the session's, and a check that passed stays passed there even when a later run fails.
 */
import { runLab } from '../lab-command';
import { Store } from '../store';
import type { CheckResult, LabBackend } from '../types';

export interface ChecksState {
  /** The latest result of each check that has run. */
  results: Readonly<Record<string, CheckResult>>;
  /** The checks running now. */
  running: readonly string[];
}

export class ChecksStore {
  readonly state = new Store<ChecksState>({ results: {}, running: [] });

  async run(backend: LabBackend, ids: readonly string[]): Promise<CheckResult[]> {
    this.state.update((s) => ({ ...s, running: [...new Set([...s.running, ...ids])] }));
    let results: CheckResult[];
    try {
      const { code, output } = await runLab(backend, ['check', ...ids, '--json']);
      results = parseCheckResults(output, ids, code);
    } catch (error) {
      results = ids.map((id) => ({ id, ok: false, message: `The check could not run: ${(error as Error).message}` }));
    }
    this.state.update((s) => ({
      results: { ...s.results, ...Object.fromEntries(results.map((result) => [result.id, result])) },
      running: s.running.filter((id) => !ids.includes(id)),
    }));
    return results;
  }

  clear(): void {
    this.state.set({ results: {}, running: [] });
  }
}

/**
 * The results in `lab check --json`'s output. The array is the last JSON line; anything before it (a warning) is
 * skipped. Without one, every check asked for fails with the command's own words, so the learner sees why.
 */
export function parseCheckResults(output: string, ids: readonly string[], code: number): CheckResult[] {
  const lines = output.split(/\r?\n/).map((line) => line.trim()).filter(Boolean);
  for (const line of lines.reverse()) {
    if (!line.startsWith('[')) continue;
    try {
      const parsed = JSON.parse(line) as unknown;
      if (Array.isArray(parsed)) return parsed.filter(isCheckResult);
    } catch {
      // Not the array: keep looking.
    }
  }
  const said = output.trim().split(/\r?\n/).slice(-5).join('\n') || 'it printed nothing';
  return ids.map((id) => ({ id, ok: false, message: `lab check did not report a result (exit code ${code}): ${said}` }));
}

function isCheckResult(value: unknown): value is CheckResult {
  const result = value as Partial<CheckResult> | null;
  return typeof result === 'object' && result !== null && typeof result.id === 'string' && typeof result.ok === 'boolean' &&
    typeof result.message === 'string';
}
