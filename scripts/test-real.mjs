// @ts-check
/**
 * `npm run test:real`: the miniature against the real programs. Each scenario of labs/real-vs-mini/ runs the same
 * configuration on the real program (HAProxy, nginx, keepalived in network namespaces, MariaDB) and on the kit's
 * tier; each figure gets the range the real protocol allows and a verdict (labs/real-vs-mini/report.js). The
 * balancer, web and database families run at the same time (separate ports in 26000-26699, nothing shared); the
 * vrrp family runs after them, alone: with `advert_int 0.1` its timings are tenths of a second, which the load of
 * the balancer's scenarios on a two-core machine would blur.
 * Writes test-results/real-vs-miniature.md and prints it. Exit status 1 when a figure fails or a family could not
 * run; a family whose program (or root, for the namespaces) is missing here is skipped with one line, exit 0.
 * A family with a failed figure runs once more, alone, and the figure fails only if it fails again: timings of
 * tenths of a second on a busy two-core machine can miss once; a true difference misses twice.
 * Everything a run makes (processes, `sureal-` namespaces, temporary folders) is removed however it ends.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { HAPROXY, HAPROXY_SKIP } from '../labs/kit/balancer/test-support/harness.js';
import { INSTALL_DB, MARIADBD } from '../labs/kit/db/testing.js';
import { keepalivedSkipReason } from '../labs/kit/vrrp/testing/real-keepalived.js';
import { NGINX, NGINX_SKIP } from '../labs/kit/web/harness.js';
import { balancerFindings } from '../labs/real-vs-mini/balancer.js';
import { cleanUp } from '../labs/real-vs-mini/common.js';
import { dbFindings } from '../labs/real-vs-mini/db.js';
import { judge, knownDifferences, markdown } from '../labs/real-vs-mini/report.js';
import { vrrpFindings } from '../labs/real-vs-mini/vrrp.js';
import { webFindings } from '../labs/real-vs-mini/web.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const REPORT = path.join(ROOT, 'test-results', 'real-vs-miniature.md');

/** @typedef {import('../labs/real-vs-mini/common.js').Finding} Finding */

/** @type {Array<{ family: string, phase: number, skip: string | false, run: () => Promise<Finding[]> }>} */
const FAMILIES = [
  { family: 'balancer', phase: 1, skip: HAPROXY_SKIP, run: balancerFindings },
  { family: 'web', phase: 1, skip: NGINX_SKIP, run: webFindings },
  { family: 'vrrp', phase: 2, run: vrrpFindings,
    skip: keepalivedSkipReason() || (existsSync('/usr/bin/curl') ? false : 'the track script needs curl (/usr/bin/curl)') },
  { family: 'db', phase: 1, run: dbFindings,
    skip: MARIADBD && INSTALL_DB && existsSync('/usr/bin/mariadb') ? false : 'MariaDB is not installed here (mariadbd, mariadb-install-db and the mariadb client are needed)' },
];

/** @param {string[]} command */
function version(command) {
  const [program, ...args] = command;
  const result = spawnSync(program, args, { encoding: 'utf8' });
  return `${result.stdout ?? ''}${result.stderr ?? ''}`.split('\n').find(Boolean)?.trim() ?? `${program}: not installed`;
}

process.on('exit', cleanUp);
for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM', 'SIGHUP'])) {
  process.on(signal, () => {
    console.error(`test:real: ${signal}: cleaning up`);
    cleanUp();
    process.exit(128 + (os.constants.signals[signal] ?? 0));
  });
}

const started = Date.now();
const LOAD_AT_START = os.loadavg()[0].toFixed(1);
const skipped = FAMILIES.filter((f) => f.skip).map((f) => `${f.family}: skipped: ${f.skip}`);
for (const line of skipped) console.log(`test:real: ${line}`);
const running = FAMILIES.filter((f) => !f.skip);
/** @type {string[]} */
const errors = [];
/** @type {Finding[]} */
const findings = [];
try {
  for (const phase of [1, 2]) {
    const now = running.filter((f) => f.phase === phase);
    const outcomes = await Promise.allSettled(now.map((f) => f.run()));
    outcomes.forEach((outcome, i) => {
      if (outcome.status === 'fulfilled') findings.push(...outcome.value);
      else errors.push(`${now[i].family}: ${outcome.reason?.stack ?? outcome.reason}`);
    });
  }
} finally {
  cleanUp();
}

const { known, problems } = knownDifferences(path.join(ROOT, 'labs', 'kit', 'README.md'), ROOT);
errors.push(...problems);
let judged = findings.map((finding) => judge(finding, known));

// A family with a failed figure runs once more, alone: a figure fails only if it fails again. The others keep their
// first run's figures; a figure that failed shows both runs' in its verdict.
for (const family of running.filter((f) => judged.some((j) => j.family === f.family && j.verdict === 'FAIL'))) {
  console.log(`test:real: ${family.family}: a figure failed; running the family once more, alone`);
  const first = new Map(judged.filter((j) => j.family === family.family).map((j) => [j.id, j]));
  try {
    const again = (await family.run()).map((finding) => {
      const judgedAgain = judge(finding, known);
      const before = first.get(finding.id);
      if (!before || before.verdict !== 'FAIL') return before ?? judgedAgain;
      const note = `first run: real ${before.real}, miniature ${before.mini} (${before.verdict}); second run: ${judgedAgain.verdict}`;
      return { ...judgedAgain, note: judgedAgain.note ? `${judgedAgain.note}; ${note}` : note };
    });
    judged = [...judged.filter((j) => j.family !== family.family), ...again];
  } catch (error) {
    errors.push(`${family.family}, second run: ${/** @type {Error} */ (error).stack ?? error}`);
  } finally {
    cleanUp();
  }
}
const environment = [
  `Node ${process.version}, ${os.platform()} ${os.release()}, ${os.cpus().length} x ${os.cpus()[0]?.model ?? 'unknown CPU'}`,
  `load average at the start ${LOAD_AT_START}, at the end ${os.loadavg()[0].toFixed(1)} (one minute)`,
  existsSync(HAPROXY) ? version([HAPROXY, '-v']) : 'HAProxy: not installed',
  NGINX ? version([NGINX, '-v']) : 'nginx: not installed',
  version(['keepalived', '--version']),
  MARIADBD ? version([MARIADBD, '--version']) : 'MariaDB: not installed',
];
const text = markdown({ judged, skipped, errors, environment, seconds: Math.round((Date.now() - started) / 1000) });
mkdirSync(path.dirname(REPORT), { recursive: true });
writeFileSync(REPORT, text);
console.log(text);

const failed = judged.filter((j) => j.verdict === 'FAIL');
if (running.length === 0) console.log('test:real: nothing to compare on this machine; see the lines above');
if (failed.length || errors.length) {
  for (const j of failed) console.error(`test:real: FAIL ${j.id}: real ${j.real}, miniature ${j.mini}: ${j.note}`);
  for (const error of errors) console.error(`test:real: ERROR ${error.split('\n')[0]}`);
  console.error(`test:real: ${failed.length} figures failed, ${errors.length} errors; the report is ${path.relative(ROOT, REPORT)}`);
  process.exit(1);
}
console.log(`test:real: every figure within the real range (${judged.length} figures); the report is ${path.relative(ROOT, REPORT)}`);
