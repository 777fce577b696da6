// @ts-check
/**
 * `npm test`: every check of the project, in order, stopping at the first that fails and saying which:
 * type checking, lint, the course's lint, the kit's tests, the runner's tests, the site's unit tests, the labs' own
 * check (every starter not yet solved, every solution passing), the production build, and the end-to-end tests in
 * Chromium.
 * Each step is an npm script, so any one of them can also be run alone (`npm run test:e2e`).
 */
import {spawn} from 'node:child_process';

/** @typedef {{script: string, what: string}} Step */

/** @type {Step[]} */
const STEPS = [
  {script: 'typecheck', what: 'type checking'},
  {script: 'lint', what: 'lint'},
  {script: 'lint:course', what: "the course's text: diagrams, labs, knowledge checks, real configurations, links, headings"},
  {script: 'test:kit', what: "the kit's tests"},
  {script: 'test:runner', what: "the runner's tests"},
  {script: 'test:unit', what: "the site's unit tests"},
  {script: 'labs:verify', what: 'the labs: starters unsolved, solutions passing'},
  {script: 'test:real', what: 'the miniature against the real programs (test-results/real-vs-miniature.md)'},
  {script: 'build', what: 'the production build'},
  {script: 'test:e2e', what: 'the end-to-end tests in Chromium'},
];

/** @type {Array<{step: Step, outcome: string, seconds: number}>} */
const summary = [];

for (const step of STEPS) {
  console.log(`\n=== npm run ${step.script}: ${step.what}`);
  const started = Date.now();
  const code = await run('npm', ['run', '--silent', step.script]);
  const seconds = Math.round((Date.now() - started) / 1000);
  summary.push({step, outcome: code === 0 ? 'passed' : `FAILED (exit ${code})`, seconds});
  if (code !== 0) {
    printSummary();
    console.error(`\nnpm test: step "${step.script}" (${step.what}) failed. Run \`npm run ${step.script}\` to see it alone.`);
    process.exit(code || 1);
  }
}
printSummary();
console.log('\nnpm test: every step passed.');

function printSummary() {
  console.log('\n=== Summary');
  for (const {step, outcome, seconds} of summary) {
    console.log(`  ${step.script.padEnd(12)} ${outcome.padEnd(16)} ${seconds > 0 ? `${seconds} s` : ''}`);
  }
}

/**
 * Runs a command with the terminal attached; resolves with its exit code.
 * @param {string} command
 * @param {string[]} args
 * @returns {Promise<number>}
 */
function run(command, args) {
  return new Promise((resolve) => {
    const child = spawn(command, args, {stdio: 'inherit'});
    child.on('error', (error) => {
      console.error(`Could not start ${command}: ${error.message}`);
      resolve(1);
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}
