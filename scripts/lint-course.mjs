// @ts-check
/**
 * `npm run lint:course`: the course's own lint, over its text rather than its code. Every chapter has a diagram, and
 * every diagram a title and a description for screen readers; every `<Lab id>` names a lab and every lab is in a
 * chapter; every knowledge check has one correct choice and a why for each; every "real" configuration is the lab
 * file it claims to be; every link to a heading finds it; no heading level is skipped.
 * Prints one line per finding, `file:line: what is wrong. what to do.`, then a summary; exits 1 on any finding.
 */
import {fileURLToPath} from 'node:url';
import path from 'node:path';
import {loadCourse} from './lint-course/course.mjs';
import {formatFinding, lint, RULES} from './lint-course/lint.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const course = loadCourse(ROOT);
const findings = lint(course);
for (const finding of findings) console.log(formatFinding(finding));

const scope = `${course.pages.length} pages, ${course.labs.length} labs, ${RULES.length} rules`;
if (findings.length === 0) {
  console.log(`lint:course: no finding (${scope}).`);
} else {
  const files = new Set(findings.map((finding) => finding.file)).size;
  const plural = findings.length === 1 ? 'finding' : 'findings';
  const where = `${files} ${files === 1 ? 'file' : 'files'}`;
  console.log(`lint:course: ${findings.length} ${plural} in ${where} (${scope}). Fix each line above, then run it again.`);
  process.exitCode = 1;
}
