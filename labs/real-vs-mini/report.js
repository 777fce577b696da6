// @ts-check
/**
 * Verdicts and the report of `npm run test:real`.
 *
 * A finding passes when the miniature's figure is in the range the real protocol allows. One outside it fails,
 * unless labs/kit/README.md lists it as a known difference: a row of the table under "The miniature against the
 * real programs" whose first cell is the finding's id in backticks, the second the reason, the third the course
 * file (from the repository's root) where a learner meets it. The real program's own figure must be in the range
 * too: if it is not, the range is wrong, and that fails as well.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** @typedef {import('./common.js').Finding} Finding */
/** @typedef {{ id: string, reason: string, course: string }} KnownDifference */
/** @typedef {Finding & { verdict: 'pass' | 'known difference' | 'FAIL', note: string }} Judged */

const ROW = /^\|\s*`((?:balancer|web|vrrp|db)\/[\w.-]+)`\s*\|([^|]*)\|([^|]*)\|/;

/**
 * The known differences listed in the kit's README, each checked: a reason, and a course file that exists.
 * @param {string} readme  its path
 * @param {string} root  the repository's root
 * @returns {{ known: Map<string, KnownDifference>, problems: string[] }}
 */
export function knownDifferences(readme, root) {
  /** @type {Map<string, KnownDifference>} */
  const known = new Map();
  const problems = [];
  for (const [i, line] of readFileSync(readme, 'utf8').split('\n').entries()) {
    const match = ROW.exec(line);
    if (!match) continue;
    const [, id, reason, course] = match.map((cell) => cell.trim().replace(/^`|`$/g, ''));
    const where = `${path.relative(root, readme)}:${i + 1}`;
    if (!reason) problems.push(`${where}: the known difference ${id} gives no reason`);
    else if (!course || !existsSync(path.join(root, course.replace(/:\d+$/, '')))) {
      problems.push(`${where}: the known difference ${id} must name the course file where a learner meets it (found "${course}")`);
    } else known.set(id, { id, reason, course });
  }
  return { known, problems };
}

/**
 * @param {import('./common.js').Range} range
 * @param {number | string} value
 */
function inRange(range, value) {
  if ('exact' in range) return String(value) === range.exact;
  return typeof value === 'number' && value >= range.min && value <= range.max;
}

/**
 * @param {Finding} finding
 * @param {Map<string, KnownDifference>} known
 * @returns {Judged}
 */
export function judge(finding, known) {
  if (!inRange(finding.range, finding.real)) {
    return { ...finding, verdict: 'FAIL', note: 'the real figure is outside the range: the range is wrong' };
  }
  if (inRange(finding.range, finding.mini)) return { ...finding, verdict: 'pass', note: '' };
  const difference = known.get(finding.id);
  if (difference) return { ...finding, verdict: 'known difference', note: `${difference.reason} (${difference.course})` };
  return { ...finding, verdict: 'FAIL', note: 'the miniature is outside the range, and labs/kit/README.md lists no such difference' };
}

/** @param {import('./common.js').Range} range */
function showRange(range) {
  if ('exact' in range) return 'the same';
  return range.min === range.max ? `${range.min}` : `${range.min} to ${range.max}`;
}

/** @param {string | number} value */
function cell(value) {
  return String(value).replace(/\|/g, '\\|');
}

/**
 * @param {{ judged: Judged[], skipped: string[], errors: string[], environment: string[], seconds: number }} run
 */
export function markdown({ judged, skipped, errors, environment, seconds }) {
  const failed = judged.filter((j) => j.verdict === 'FAIL').length;
  const lines = ['# The miniature against the real programs', '',
    `Written by \`npm run test:real\` on ${new Date().toISOString()} in ${seconds} s: ${judged.length} figures, ${failed} failed,`,
    `${judged.filter((j) => j.verdict === 'known difference').length} known differences, ${skipped.length} families skipped, ${errors.length} errors.`,
    'Each scenario runs the same file on the real program and on the miniature. "Range" is what the real protocol',
    'allows (its derivation is in the last column); "the same" means equal to the real figure.', '',
    '## Environment', '', ...environment.map((line) => `- ${line}`), ''];
  for (const family of ['balancer', 'web', 'vrrp', 'db']) {
    const rows = judged.filter((j) => j.family === family);
    if (rows.length === 0) continue;
    lines.push(`## ${{ balancer: 'HAProxy and the balancer', web: 'nginx and the web tier', vrrp: 'keepalived and the vrrp daemon', db: 'MariaDB and the database' }[family]}`, '',
      '| id | scenario | figure | real | miniature | range | verdict | range derived from |', '| --- | --- | --- | --- | --- | --- | --- | --- |');
    for (const j of rows) {
      const verdict = j.note ? `${j.verdict}: ${j.note}` : j.verdict;
      lines.push(`| \`${j.id}\` | ${cell(j.scenario)} | ${cell(j.figure)} | ${cell(j.real)} | ${cell(j.mini)} | ${cell(showRange(j.range))} | ${cell(verdict)} | ${cell(j.why)} |`);
    }
    lines.push('');
  }
  if (skipped.length) lines.push('## Skipped', '', ...skipped.map((line) => `- ${line}`), '');
  if (errors.length) lines.push('## Errors', '', ...errors.map((line) => `- ${line.replace(/\n/g, '\n  ')}`), '');
  return `${lines.join('\n')}`;
}
