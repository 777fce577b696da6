// @ts-check
/**
 * `npm run labs:verify [-- LAB_ID...]`: proves that every lab works, the way rustlings' `dev check` does.
 * For each lab (labs/NN-slug):
 *   1. its manifest's references hold: every check has a module, every editable file exists, every program exists
 *      in the kit, the ports are the lab's own;
 *   2. in a fresh workspace with the starter files, the supervisor started as the lab page starts it (in the
 *      foreground, owned through its standard input) and its report of the start (what `lab up` prints) read as the
 *      page reads it, then `lab check --json`: every check must FAIL
 *      (a check that passes on the starter cannot tell the learner anything);
 *   3. in a fresh workspace with the solution, every check must PASS.
 * Every lab process runs under the limits of a WebContainer (scripts/lib/container-limits.mjs), so that a lab that
 * would only work with daemons, file-descriptor stdio or system binaries fails here, not in a learner's browser.
 * Processes and temporary folders are cleaned up whatever happens. The last line is `N passed, M failed`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { labWorkspaceFiles, listLabs } from '../labs/lab-files.js';

const LABS_DIR = fileURLToPath(new URL('../labs/', import.meta.url));
const KIT_DIR = path.join(LABS_DIR, 'kit');
const UP_TIMEOUT_MS = 60_000;
const CHECK_TIMEOUT_MS = 300_000;
const DOWN_TIMEOUT_MS = 20_000;
/** The environment of every lab process: the container's limits preloaded. */
const LAB_ENV = {
  ...process.env,
  NO_COLOR: '1',
  NODE_OPTIONS: [process.env.NODE_OPTIONS, `--import=${pathToFileURL(fileURLToPath(new URL('./lib/container-limits.mjs', import.meta.url))).href}`]
    .filter(Boolean).join(' '),
};

const counts = { passed: 0, failed: 0 };
/** @type {Set<string>} workspaces to clean up if the script is interrupted */
const liveWorkspaces = new Set();

/**
 * Records one verdict in `report` (a lab's lines, printed together when the lab is done).
 * @param {string[]} report
 * @param {boolean} ok
 * @param {string} label
 * @param {string} [detail]
 */
function expect(report, ok, label, detail = '') {
  counts[ok ? 'passed' : 'failed']++;
  const lines = detail.trim().split('\n').map((line) => `        ${line}`).join('\n');
  report.push(`  ${ok ? 'ok  ' : 'FAIL'}  ${label}${detail.trim() ? `\n${lines}` : ''}`);
}

/**
 * What is wrong with a lab's manifest and files, each naming the file and the field.
 * @param {string} labDir
 * @returns {string[]}
 */
function referenceProblems(labDir) {
  const id = path.basename(labDir);
  const where = `labs/${id}/lab.json`;
  /** @type {any} */
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(path.join(labDir, 'lab.json'), 'utf8'));
  } catch (error) {
    return [`${where}: cannot be read: ${/** @type {Error} */ (error).message}`];
  }
  const problems = [];
  if (manifest.format !== 1) problems.push(`${where}: "format" must be 1`);
  if (manifest.id !== id) problems.push(`${where}: "id" is "${manifest.id}" but must equal the folder name "${id}"`);
  const control = 20_000 + Number(id.slice(0, 2)) * 100;
  const topology = manifest.topology ?? {};
  if (topology.control !== control) problems.push(`${where}: "topology.control" must be ${control}, the first port of lab ${id.slice(0, 2)}`);
  const servers = Array.isArray(topology.servers) ? topology.servers : [];
  if (servers.length === 0) problems.push(`${where}: "topology.servers" lists no server`);
  servers.forEach((/** @type {any} */ server, /** @type {number} */ i) => {
    (server.services ?? []).forEach((/** @type {any} */ service, /** @type {number} */ j) => {
      if (!existsSync(path.join(KIT_DIR, String(service.program)))) {
        problems.push(`${where}: "topology.servers[${i}].services[${j}].program" is "${service.program}", but labs/kit/${service.program} does not exist`);
      }
    });
  });
  (manifest.editable ?? []).forEach((/** @type {any} */ editable, /** @type {number} */ i) => {
    if (!existsSync(path.join(labDir, 'files', String(editable.file)))) {
      problems.push(`${where}: "editable[${i}].file" is "${editable.file}", but labs/${id}/files/${editable.file} does not exist`);
    }
    const server = servers.find((/** @type {any} */ s) => s.name === editable.server);
    if (!server?.services?.some((/** @type {any} */ s) => s.name === editable.service)) {
      problems.push(`${where}: "editable[${i}]" names ${editable.server}/${editable.service}, which is not a service of the topology`);
    }
  });
  const steps = Array.isArray(manifest.steps) ? manifest.steps : [];
  if (steps.length === 0) problems.push(`${where}: "steps" lists no step`);
  steps.forEach((/** @type {any} */ step, /** @type {number} */ i) => {
    if (!Array.isArray(step.checks) || step.checks.length === 0) problems.push(`${where}: "steps[${i}].checks" lists no check`);
    (step.checks ?? []).forEach((/** @type {any} */ check, /** @type {number} */ j) => {
      if (!existsSync(path.join(labDir, 'checks', `${check.id}.js`))) {
        problems.push(`${where}: "steps[${i}].checks[${j}].id" is "${check.id}", but labs/${id}/checks/${check.id}.js does not exist`);
      }
    });
  });
  const network = path.join(labDir, 'network.json');
  if (!existsSync(network)) return [...problems, `labs/${id}/network.json does not exist`];
  const ports = JSON.parse(readFileSync(network, 'utf8')).ports ?? {};
  for (const [address, port] of Object.entries(ports)) {
    if (port <= control || port > control + 99) {
      problems.push(`labs/${id}/network.json: "ports.${address}" is ${port}, outside this lab's range ${control + 1}-${control + 99}`);
    }
  }
  if (topology.entry && !(topology.entry in ports)) problems.push(`${where}: "topology.entry" ${topology.entry} is not in network.json's "ports"`);
  return problems;
}

/**
 * Runs `node kit/lab ARGS` in a workspace.
 * @param {string} home
 * @param {string[]} args
 * @param {number} timeoutMs
 * @returns {Promise<{ code: number | null, stdout: string, output: string }>}
 */
function lab(home, args, timeoutMs) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(home, 'kit', 'lab'), ...args], {
      cwd: home, env: { ...LAB_ENV, LAB_HOME: home }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let output = '';
    child.stdout.on('data', (chunk) => { stdout += chunk; output += chunk; });
    child.stderr.on('data', (chunk) => { output += chunk; });
    const timer = setTimeout(() => { output += `\n(lab ${args.join(' ')} took over ${timeoutMs / 1000} s and was stopped)`; child.kill('SIGKILL'); }, timeoutMs);
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, stdout, output }); });
  });
}

/**
 * Builds a workspace, brings the lab up and runs every check.
 * @param {string} labDir
 * @param {boolean} solution
 * @returns {Promise<{ results?: { id: string, ok: boolean, message: string }[], error?: string }>}
 */
async function runPhase(labDir, solution) {
  const home = mkdtempSync(path.join(os.tmpdir(), `${path.basename(labDir)}-`));
  liveWorkspaces.add(home);
  try {
    for (const [file, content] of Object.entries(labWorkspaceFiles(labDir, { solution }))) {
      mkdirSync(path.dirname(path.join(home, file)), { recursive: true });
      writeFileSync(path.join(home, file), content);
    }
    const started = await startSupervisor(home);
    if (typeof started === 'string') return { error: started };
    if (started.code !== 0) return { error: `the start failed (the supervisor's report, as \`lab up\` prints it):\n${started.text}` };
    const check = await lab(home, ['check', '--json'], CHECK_TIMEOUT_MS);
    const last = check.stdout.trim().split('\n').pop() ?? '';
    try {
      return { results: JSON.parse(last) };
    } catch {
      return { error: `lab check --json printed no JSON array:\n${check.output}` };
    }
  } finally {
    const pids = await servicePids(home);
    const ended = await endSupervisor(home);
    cleanUp(home, ended ? [] : pids);
  }
}

/** @type {Map<string, import('node:child_process').ChildProcessWithoutNullStreams>} each workspace's supervisor */
const supervisors = new Map();

/**
 * Starts the workspace's supervisor as the lab page does, `node kit/lab supervise --up --owned --events`, and waits,
 * as the page does, for its report of the start: the JSON document of type `up`, which holds what `lab up` prints.
 * @param {string} home
 * @returns {Promise<{ code: number, text: string } | string>} the report, or why the supervisor failed
 */
function startSupervisor(home) {
  const child = spawn(process.execPath, [path.join(home, 'kit', 'lab'), 'supervise', '--up', '--owned', '--events'], {
    cwd: home, env: { ...LAB_ENV, LAB_HOME: home }, stdio: 'pipe',
  });
  supervisors.set(home, child);
  let output = '';
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(`the lab did not start within ${UP_TIMEOUT_MS / 1000} s:\n${output}`), UP_TIMEOUT_MS);
    let lines = '';
    const read = (/** @type {Buffer} */ chunk) => {
      lines += chunk;
      const complete = lines.split('\n');
      lines = complete.pop() ?? '';
      for (const line of complete) {
        const report = startReport(line);
        if (!line.startsWith('{')) output += `${line}\n`;
        if (!report) continue;
        clearTimeout(timer);
        child.stdout.off('data', read);
        child.stdout.resume();
        resolve(report);
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', (chunk) => { output += chunk; });
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve(`the supervisor ended with exit status ${code} before the lab had started:\n${output}`);
    });
  });
}

/**
 * The supervisor's report of the start, if `line` is it: a JSON document of type `up`, as the page tells it.
 * @param {string} line
 * @returns {{ code: number, text: string } | null}
 */
function startReport(line) {
  if (!line.startsWith('{')) return null;
  try {
    const document = JSON.parse(line);
    return document?.type === 'up' && typeof document.code === 'number' && typeof document.text === 'string' ? document : null;
  } catch {
    return null;
  }
}

/**
 * Ends a workspace's supervisor as the page does when the lab stops: its standard input closes. True when it ended
 * (having stopped every server) in time.
 * @param {string} home
 */
async function endSupervisor(home) {
  const child = supervisors.get(home);
  supervisors.delete(home);
  if (!child || child.exitCode !== null) return true;
  const ended = new Promise((resolve) => child.once('exit', () => resolve(true)));
  child.stdin.end();
  return Promise.race([ended, new Promise((resolve) => setTimeout(() => resolve(false), DOWN_TIMEOUT_MS))]);
}

/**
 * The process ids of the lab's services, to make sure afterwards that none survived.
 * @param {string} home
 * @returns {Promise<number[]>}
 */
async function servicePids(home) {
  const status = await lab(home, ['status', '--json'], DOWN_TIMEOUT_MS);
  try {
    return JSON.parse(status.stdout).servers.flatMap((/** @type {any} */ server) => server.services.map((/** @type {any} */ s) => s.pid))
      .filter(Boolean);
  } catch {
    return [];
  }
}

/**
 * Ends whatever still runs in a workspace (a supervisor that did not stop, servers that outlived it) and deletes it.
 * @param {string} home
 * @param {number[]} [pids] the services' processes, when `lab down --all` did not succeed
 */
function cleanUp(home, pids = []) {
  const pidFile = path.join(home, '.lab', 'supervisor.json');
  /** @type {number[]} */
  let supervisor = [];
  try {
    supervisor = [JSON.parse(readFileSync(pidFile, 'utf8')).pid];
  } catch {
    // no supervisor wrote one, or it has just removed it on its way out
  }
  for (const pid of [...supervisor, ...pids]) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // it has ended already
    }
  }
  rmSync(home, { recursive: true, force: true });
  liveWorkspaces.delete(home);
}

process.on('SIGINT', () => {
  for (const home of liveWorkspaces) {
    spawnSync(process.execPath, [path.join(home, 'kit', 'lab'), 'down'], { cwd: home, timeout: DOWN_TIMEOUT_MS });
    supervisors.get(home)?.kill('SIGKILL');
    cleanUp(home);
  }
  process.exit(130);
});

/**
 * Verifies one lab: its references, then its starter and its solution, one after the other (they use the same
 * ports). Returns its lines.
 * @param {string} id
 */
async function verifyLab(id) {
  const labDir = path.join(LABS_DIR, id);
  const report = [`\n${id}`];
  const problems = referenceProblems(labDir);
  expect(report, problems.length === 0, 'the manifest\'s references hold', problems.join('\n'));
  if (problems.length > 0) return report;
  const checks = JSON.parse(readFileSync(path.join(labDir, 'lab.json'), 'utf8')).steps
    .flatMap((/** @type {{ checks: { id: string }[] }} */ step) => step.checks.map((check) => check.id));
  for (const solution of [false, true]) {
    const phase = solution ? 'solution' : 'starter';
    const { results, error } = await runPhase(labDir, solution);
    for (const id of checks) {
      const result = results?.find((r) => r.id === id);
      const ok = result !== undefined && result.ok === solution;
      const verdict = result === undefined ? 'did not run' : result.ok ? 'passes' : 'fails';
      expect(report, ok, `${phase}: ${id} ${verdict}${ok ? ' as it should' : `, but it must ${solution ? 'pass' : 'fail'}`}`,
        result?.message ?? error ?? 'no result');
    }
  }
  return report;
}

// Each lab has ports of its own (lab NN: 20000 + NN*100 and up), so labs can run side by side: much of a lab's time
// is spent waiting (failovers, drills), little of it computing. As many at once as the machine has cores, up to 3
// (LABS_VERIFY_JOBS sets it; 1 runs them one at a time); the later labs, larger, start first. Each lab's lines are
// printed together, as soon as it is done.
const JOBS = Math.max(1, Number(process.env.LABS_VERIFY_JOBS) || Math.min(3, os.availableParallelism()));
const only = process.argv.slice(2);
const queue = listLabs(LABS_DIR).filter((name) => only.length === 0 || only.includes(name)).reverse();
await Promise.all(Array.from({ length: Math.min(JOBS, queue.length) }, async () => {
  for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
    const lab = id;
    const report = await verifyLab(lab).catch((error) => {
      const failed = [`\n${lab}`];
      expect(failed, false, 'the lab could be verified', /** @type {Error} */ (error).stack ?? String(error));
      return failed;
    });
    console.log(report.join('\n'));
  }
}));
console.log(`\n${counts.passed} passed, ${counts.failed} failed`);
process.exitCode = counts.failed > 0 || counts.passed === 0 ? 1 : 0;
