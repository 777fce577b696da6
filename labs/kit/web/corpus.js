// @ts-check
/**
 * The corpus of broken nginx.conf files (fixtures/broken/) and what `nginx -t` answered for each
 * (fixtures/broken/verdicts.json), for corpus.test.js (the miniature's -t) and real-corpus.test.js (the real nginx).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { FIXTURES } from './harness.js';

export const CORPUS = path.join(FIXTURES, 'broken');

/**
 * @typedef {{ status: number, line?: number | null, file?: string, says?: string }} Verdict  the exit status (0 valid),
 *   and for a refused file the line its error names (null when it names none), the file it names when that is not
 *   the case's own (an included one), and what it says
 * @typedef {{ file: string, what: string, nginx: Verdict, miniature?: Verdict & { why: string } }} Case
 * @typedef {{ file: string, line: number } | undefined} Place  where an error is, relative to the corpus
 */

/** @returns {Case[]} */
export function readCorpus() {
  return JSON.parse(readFileSync(path.join(CORPUS, 'verdicts.json'), 'utf8'));
}

/**
 * The place a verdict names, or undefined when it names none.
 * @param {Case} entry
 * @param {Verdict} verdict
 * @returns {Place}
 */
export function expectedPlace(entry, verdict) {
  return typeof verdict.line === 'number' ? { file: verdict.file ?? entry.file, line: verdict.line } : undefined;
}

/**
 * The place nginx's first error names: `[emerg] 12#12: unknown directive "x" in /path/nginx.conf:8`.
 * @param {string} output
 * @returns {Place}
 */
export function nginxPlace(output) {
  const found = /\[(?:emerg|alert|crit)\] [^\n]* in (\S+):(\d+)$/m.exec(output);
  return found ? { file: path.relative(CORPUS, found[1]), line: Number(found[2]) } : undefined;
}

/**
 * The place the miniature's error names: `nginx: included/upstream.conf:3: ...` (run in the corpus folder).
 * @param {string} output
 * @returns {Place}
 */
export function miniaturePlace(output) {
  const found = /^nginx: (\S+?):(\d+): /m.exec(output);
  return found ? { file: found[1], line: Number(found[2]) } : undefined;
}
