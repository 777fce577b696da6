// @ts-check
/**
 * The corpus of broken haproxy.cfg files (fixtures/broken/) and the verdicts the real HAProxy gave them.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CORPUS = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'broken');

/**
 * @typedef {{ status: number, lines: number[] }} Verdict  exit status (0 valid) and the lines named, sorted
 * @typedef {{ file: string, what: string, haproxy: Verdict, miniature?: Verdict & { why: string } }} Case
 */

/** @returns {Case[]} */
export function readCorpus() {
  return JSON.parse(readFileSync(path.join(CORPUS, 'verdicts.json'), 'utf8'));
}

/**
 * The lines of `file` that an output names, sorted, each once: `[file:12]` for HAProxy, `file:12:` for the miniature.
 * @param {string} output
 * @param {string} file
 * @param {'haproxy' | 'miniature'} who
 */
export function namedLines(output, file, who) {
  const escaped = file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const pattern = who === 'haproxy' ? new RegExp(`\\[${escaped}:(\\d+)\\]`, 'g') : new RegExp(`^balancer: ${escaped}:(\\d+):`, 'gm');
  return [...new Set([...output.matchAll(pattern)].map((m) => Number(m[1])))].sort((a, b) => a - b);
}
