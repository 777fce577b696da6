// @ts-check
/**
 * `npm run bench`: runs every bench/*.bench.mjs in turn (or only those named: `npm run bench -- site balancer`),
 * collects the result each prints as the last line of its stdout, and writes them to bench/results.json and
 * bench/RESULTS.md: a table per benchmark, and its goals, met or missed. When only some run, the others' last results
 * are kept. A missed goal is a result, not an error; the exit status is non-zero only when a benchmark could not run.
 */
import {spawn} from 'node:child_process';
import {existsSync, readdirSync, readFileSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

/**
 * @typedef {{subject: string, metric: string, value: number, unit: string}} Row
 * @typedef {{goal: string, met: boolean, detail: string}} Goal
 * @typedef {{name: string, title: string, rows: Row[], goals: Goal[]}} BenchResult
 * @typedef {{file: string, seconds: number, result?: BenchResult, error?: string}} Outcome
 */

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const TIME_LIMIT_MS = 15 * 60_000;

const wanted = process.argv.slice(2);
const files = readdirSync(BENCH_DIR)
  .filter((file) => file.endsWith('.bench.mjs'))
  .filter((file) => wanted.length === 0 || wanted.includes(file.replace(/\.bench\.mjs$/, '')))
  .sort();
if (files.length === 0) {
  console.error(`No benchmark in bench/ matches ${wanted.join(', ')}`);
  process.exit(1);
}

/** @type {Outcome[]} */
const outcomes = [];
for (const file of files) {
  console.log(`\n=== ${file}`);
  outcomes.push(await runBench(file));
}

const RESULTS = path.join(BENCH_DIR, 'results.json');
/** @type {Outcome[]} */
const earlier = existsSync(RESULTS) ? JSON.parse(readFileSync(RESULTS, 'utf8')).outcomes ?? [] : [];
const ranNow = new Set(outcomes.map((outcome) => outcome.file));
const allOutcomes = [...earlier.filter((outcome) => !ranNow.has(outcome.file)), ...outcomes].sort((a, b) =>
  a.file.localeCompare(b.file),
);

const environment = {
  date: new Date().toISOString(),
  node: process.version,
  platform: `${os.platform()} ${os.arch()}`,
  cpus: `${os.cpus().length} x ${os.cpus()[0]?.model ?? 'unknown'}`,
  memory: `${Math.round(os.totalmem() / 2 ** 30)} GiB`,
};
writeFileSync(RESULTS, `${JSON.stringify({environment, outcomes: allOutcomes}, null, 2)}\n`);
writeFileSync(path.join(BENCH_DIR, 'RESULTS.md'), markdown(environment, allOutcomes));
printSummary(outcomes);
process.exit(outcomes.some((outcome) => outcome.error) ? 1 : 0);

/**
 * Runs one benchmark with its stderr shown as it goes; its last stdout line must be the result.
 * @param {string} file
 * @returns {Promise<Outcome>}
 */
function runBench(file) {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(BENCH_DIR, file)], {stdio: ['ignore', 'pipe', 'inherit']});
    let stdout = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    const timer = setTimeout(() => child.kill('SIGTERM'), TIME_LIMIT_MS);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      const seconds = Math.round((Date.now() - started) / 1000);
      const lastLine = stdout.trim().split('\n').at(-1) ?? '';
      if (code !== 0) {
        resolve({file, seconds, error: `exited with ${signal ?? code}${signal === 'SIGTERM' ? ' (time limit)' : ''}`});
        return;
      }
      try {
        resolve({file, seconds, result: /** @type {BenchResult} */ (JSON.parse(lastLine))});
      } catch {
        resolve({file, seconds, error: `its last line of output is not a JSON result: ${lastLine.slice(0, 200)}`});
      }
    });
  });
}

/**
 * @param {Record<string, string>} environment
 * @param {Outcome[]} results
 */
function markdown(environment, results) {
  const lines = [
    '# Benchmark results',
    '',
    `Written by \`npm run bench\` on ${environment.date}: Node ${environment.node}, ${environment.platform},`,
    `${environment.cpus}, ${environment.memory}.`,
    '',
  ];
  for (const {file, seconds, result, error} of results) {
    lines.push(`## ${result?.title ?? file}`, '');
    if (error || !result) {
      lines.push(`\`${file}\` did not finish: ${error}`, '');
      continue;
    }
    lines.push(`\`${file}\`, ${seconds} s.`, '', '| subject | metric | value | unit |', '| --- | --- | ---: | --- |');
    for (const row of result.rows) {
      lines.push(`| ${row.subject} | ${row.metric} | ${row.value} | ${row.unit} |`);
    }
    lines.push('', '| goal | | detail |', '| --- | --- | --- |');
    for (const goal of result.goals) {
      lines.push(`| ${goal.goal} | ${goal.met ? 'met' : '**missed**'} | ${goal.detail} |`);
    }
    lines.push('');
  }
  return `${lines.join('\n')}`;
}

/** @param {Outcome[]} results */
function printSummary(results) {
  console.log('\n=== Benchmarks (bench/RESULTS.md has the tables)');
  for (const {file, result, error} of results) {
    if (error || !result) {
      console.log(`  ${file}: did not finish: ${error}`);
      continue;
    }
    for (const goal of result.goals) {
      console.log(`  ${result.name}: ${goal.met ? 'met   ' : 'MISSED'} ${goal.goal}: ${goal.detail}`);
    }
  }
}
