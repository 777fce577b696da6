// @ts-check
/**
 * Every configuration a chapter shows as real is real. Each configuration block of docs/0*.mdx (chapter-configs.js
 * finds them, and completes the excerpts marked `partial`) is checked by the real program, in a network namespace
 * whose hosts file names the course's machines as a real network would. The files such a block names that a real
 * machine would have (a certificate, a script another block shows) are made in the sandbox first. Where the lab's
 * miniature reads the format, it checks the block too, and where it refuses what the real program accepts, the reason
 * must be a difference that labs/kit/README.md documents (DIFFERENCES in chapter-configs.js). A block that says
 * `lab="..."` must be that lab file exactly.
 *
 * Where a program is missing, or root and network namespaces are not available, its blocks are skipped with the
 * reason, as in real-configs.test.js.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DIFFERENCES, README, chapterConfigs, hostsFile, LABS, networkTable, undocumented } from './chapter-configs.js';
import { REAL_CHECKS, Sandbox } from './real-programs.js';
import { ConfigError } from './kit/lib/config-error.js';
import { Accounts } from './kit/db/accounts.js';
import { Database } from './kit/db/database.js';
import { runInitFile } from './kit/db/init-file.js';
import { parseMyCnf } from './kit/db/my-cnf.js';
import { createNamespace, namespaceSkipReason } from './kit/vrrp/testing/real-keepalived.js';


const CONFIGS = chapterConfigs();
const NO_NAMESPACE = namespaceSkipReason();
const NAMESPACE = `sucfg-${process.pid}`;
const KIT = path.join(LABS, 'kit');
/** A block with a `crt` needs a certificate, which the test makes with openssl. */
const NO_OPENSSL = missing('openssl');

/**
 * @typedef {import('./chapter-configs.js').ChapterConfig} ChapterConfig
 * @typedef {import('./real-programs.js').Verdict} Verdict
 * @typedef {{ ok: boolean, output: string }} Outcome
 */

/** The network namespace's hosts file, in the place `ip netns exec` takes it from. */
const HOSTS_DIR = path.join('/etc/netns', NAMESPACE);

/** The chapters' Sandbox: its own namespace name, and a hosts file in it. */
class ChapterSandbox extends Sandbox {
  /** @param {string[]} interfaces */
  open(interfaces) {
    this.dir = mkdtempSync(path.join(tmpdir(), 'chapter-configs-'));
    if (NO_NAMESPACE) return;
    mkdirSync(HOSTS_DIR, { recursive: true });
    writeFileSync(path.join(HOSTS_DIR, 'hosts'), hostsFile());
    this.namespace = createNamespace(NAMESPACE, interfaces);
  }

  async close() {
    await super.close();
    rmSync(HOSTS_DIR, { recursive: true, force: true });
  }
}

/**
 * @param {string} program
 * @returns {string | false}
 */
function missing(program) {
  return spawnSync('sh', ['-c', `command -v ${program}`]).status === 0 ? false : `${program} is not installed here`;
}

/**
 * Runs a command to its end.
 * @param {string[]} command
 * @param {string} [cwd]
 * @param {string} [network]  the lab network table, for a miniature
 * @returns {Promise<{ code: number | null, output: string }>}
 */
function run(command, cwd, network = '') {
  const [program, ...args] = command;
  return new Promise((resolve) => {
    const child = spawn(program, args, { cwd, env: { ...process.env, LAB_NETWORK: network, LAB_CONTROL: '' } });
    let output = '';
    child.stdout.on('data', (d) => { output += d; });
    child.stderr.on('data', (d) => { output += d; });
    child.on('error', (error) => resolve({ code: null, output: error.message }));
    child.on('close', (code) => resolve({ code, output }));
  });
}

/**
 * For each kind: why the real program cannot run here (false when it can), the name the file gets in the sandbox,
 * and the real check. The checks of the kit's programs are real-programs.js's.
 * @type {Record<import('./chapter-configs.js').Kind, { skip: string | false, name: string,
 *   real: (file: string, sandbox: Sandbox) => Promise<Verdict> }>}
 */
const REAL = {
  haproxy: { ...kitCheck('balancer'), name: 'haproxy.cfg' },
  nginx: { ...kitCheck('web'), name: 'nginx.conf' },
  keepalived: { ...kitCheck('vrrp'), name: 'keepalived.conf' },
  'my.cnf': { ...kitCheck('db'), name: 'my.cnf' },
  sql: { skip: kitCheck('db').skip, name: 'grants.sql', real: checkGrants },
  nftables: { skip: missing('nft') || NO_NAMESPACE, name: 'nftables.conf', real: checkNftables },
  systemd: { skip: missing('systemd-analyze'), name: 'unit.service', real: checkUnit },
  environment: { skip: false, name: 'env', real: async (file) => checkEnvironment(file) },
  shell: { skip: missing('sh'), name: 'script.sh', real: async (file) => verdictOf(await run(['sh', '-n', file])) },
};

/**
 * The real check of a kit program's format, from real-programs.js.
 * @param {'balancer' | 'web' | 'vrrp' | 'db'} program
 */
function kitCheck(program) {
  const { skip, check } = /** @type {import('./real-programs.js').RealCheck} */ (REAL_CHECKS[program]);
  return { skip, real: check };
}

/** @param {{ code: number | null, output: string }} result @returns {Verdict} */
const verdictOf = ({ code, output }) => ({ ok: code === 0, output, warnings: [] });

/**
 * The grants, as a real server runs them: mariadbd with an init file, which logs every statement it refuses.
 * @param {string} file
 * @param {Sandbox} sandbox
 */
function checkGrants(file, sandbox) {
  const myCnf = path.join(path.dirname(file), 'my.cnf');
  writeFileSync(myCnf, `[mysqld]\ninit_file = ${path.basename(file)}\n`);
  return kitCheck('db').real(myCnf, sandbox);
}

/**
 * `nft -c -f`: the rule set parsed and checked by the kernel, not loaded; in the namespace, away from this machine's.
 * @param {string} file
 * @param {Sandbox} sandbox
 */
async function checkNftables(file, sandbox) {
  return verdictOf(await run([...sandbox.prefix, 'nft', '-c', '-f', file]));
}

/**
 * `systemd-analyze verify`. It warns about an unknown key and still exits 0, so any line about the unit fails it.
 * @param {string} file
 */
async function checkUnit(file) {
  const { code, output } = await run(['systemd-analyze', 'verify', file]);
  const about = output.split('\n').filter((line) => line.includes(path.basename(file)));
  return { ok: code === 0 && about.length === 0, output, warnings: [] };
}

/**
 * A systemd EnvironmentFile: each line empty, a comment, or NAME=VALUE with NAME a shell-style variable name.
 * @param {string} file
 * @returns {Verdict}
 */
function checkEnvironment(file) {
  const bad = readFileSync(file, 'utf8').split('\n').map((line, i) => [i + 1, line.trim()])
    .filter(([, line]) => line !== '' && !/^[#;]/.test(String(line)) && !/^[A-Za-z_][A-Za-z0-9_]*=/.test(String(line)));
  return { ok: bad.length === 0, output: bad.map(([n, line]) => `line ${n}: not NAME=VALUE: ${line}`).join('\n'), warnings: [] };
}

/**
 * For each kind the lab's miniature reads: its verdict on the file.
 * @type {Partial<Record<import('./chapter-configs.js').Kind, (file: string) => Promise<Outcome>>>}
 */
const MINIATURE = {
  haproxy: (file) => miniatureWithNames(file, ['balancer', '-c', '-f', file]),
  nginx: (file) => miniatureWithNames(file, ['web', '-t', '-c', file]),
  // Without a network table: with one, `-t` also checks that the table has every address, which only a lab's has.
  keepalived: async (file) => miniatureRun(await run([process.execPath, path.join(KIT, 'vrrp'), '-t', '-f', file], path.dirname(file))),
  'my.cnf': async (file) => miniatureCall(() => { parseMyCnf(readFileSync(file, 'utf8'), file); }),
  sql: async (file) => miniatureCall(async () => {
    const database = await Database.open(path.join(path.dirname(file), 'miniature-data'), () => {});
    try {
      await runInitFile(file, database, new Accounts(), { file: 'my.cnf', line: 1 });
    } finally {
      await database.close();
    }
  }),
};

/**
 * A miniature's check, with a network table that names the machines as the real program's hosts file does.
 * @param {string} file
 * @param {string[]} args  the kit program and its arguments
 */
async function miniatureWithNames(file, [program, ...args]) {
  const network = path.join(path.dirname(file), 'network.json');
  writeFileSync(network, JSON.stringify(networkTable(readFileSync(file, 'utf8'))));
  return miniatureRun(await run([process.execPath, path.join(KIT, program), ...args], path.dirname(file), network));
}

/** @param {{ code: number | null, output: string }} result @returns {Outcome} */
const miniatureRun = ({ code, output }) => ({ ok: code === 0, output });

/**
 * @param {() => unknown} work
 * @returns {Promise<Outcome>}
 */
async function miniatureCall(work) {
  try {
    await work();
    return { ok: true, output: '' };
  } catch (error) {
    if (error instanceof ConfigError) return { ok: false, output: error.format() };
    throw error;
  }
}

/**
 * The files a block names that a real machine has and this one lacks, made in the sandbox, with the block's paths
 * changed to them: a file another block of the chapters shows (its title names it: claim-vip.sh), the certificate
 * of a `crt` (a self-signed one, made once with openssl), and the program a systemd unit starts (the application's,
 * which this machine need not have: /bin/true stands in for it).
 * @param {ChapterConfig} config
 * @param {ChapterSandbox} sandbox
 * @returns {Promise<{ text: string, notes: string[] }>}
 */
async function withMachineFiles(config, sandbox) {
  let text = config.text;
  /** @type {string[]} */
  const notes = [];
  for (const other of CONFIGS) {
    if (other === config || !other.file.startsWith('/') || !text.includes(other.file) || existsSync(other.file)) continue;
    const dir = await sandbox.write('shown', { [path.basename(other.file)]: other.text });
    const copy = path.join(dir, path.basename(other.file));
    if (/\.sh$/.test(copy)) spawnSync('chmod', ['755', dir, copy]);
    text = text.replaceAll(other.file, copy);
    notes.push(`${other.file} is the file shown at ${other.where}`);
  }
  for (const [, crt] of text.matchAll(/\bcrt\s+(\S+)/g)) {
    if (existsSync(crt)) continue;
    const pem = await sandbox.once('certificate', () => selfSigned(sandbox));
    text = text.replaceAll(crt, pem);
    notes.push(`${crt}: a self-signed certificate made for the test`);
  }
  const program = config.kind === 'systemd' ? /^ExecStart=[-@:+!]*(\S+)/m.exec(text)?.[1] : undefined;
  if (program && !existsSync(program)) {
    text = text.replace(program, '/bin/true');
    notes.push(`${program} is not installed here: the unit is checked with /bin/true in its place`);
  }
  return { text, notes };
}

/**
 * A certificate and its key in one PEM file, as HAProxy's `crt` takes them.
 * @param {Sandbox} sandbox
 */
async function selfSigned(sandbox) {
  const dir = await sandbox.write('certificate', {});
  const [key, cert] = [path.join(dir, 'key.pem'), path.join(dir, 'cert.pem')];
  const made = await run(['openssl', 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=www.example.com',
    '-keyout', key, '-out', cert]);
  assert.equal(made.code, 0, `openssl could not make a test certificate:\n${made.output}`);
  const pem = path.join(dir, 'site.pem');
  writeFileSync(pem, readFileSync(cert, 'utf8') + readFileSync(key, 'utf8'));
  return pem;
}

/** The interfaces the keepalived blocks name, which the namespace must have. */
const INTERFACES = [...new Set(CONFIGS.filter((c) => c.kind === 'keepalived')
  .flatMap((c) => [...c.text.matchAll(/^\s*interface\s+(\S+)|\bdev\s+(\S+)/gm)].map((m) => m[1] ?? m[2])))];

/** @param {ChapterConfig} config */
const named = (config) => `${config.where} ${config.file}${config.fence.flags.has('partial') ? ' (partial, completed)' : ''}`;

describe('the configurations the chapters show', { concurrency: true }, () => {
  const sandbox = new ChapterSandbox();
  before(() => sandbox.open(INTERFACES.length > 0 ? INTERFACES : ['eth0']));
  after(() => sandbox.close());

  test('every configuration block has a kind this test knows', () => {
    const unknown = CONFIGS.filter((c) => !c.kind);
    assert.deepEqual(unknown.map((c) => `${c.where}: ${c.fence.title ?? c.fence.lang}`), [],
      'these blocks hold no file this test can check: give the title the file\'s path (haproxy.cfg, nginx.conf, ...), add its kind to '
      + 'KINDS in labs/chapter-configs.js, or mark the block `sketch` if no program reads it as it stands');
  });

  test('every difference listed in chapter-configs.js is documented in labs/kit/README.md', () => {
    const readme = readFileSync(README, 'utf8');
    for (const difference of DIFFERENCES) assert.ok(readme.includes(difference.readme), `labs/kit/README.md no longer says: ${difference.readme}`);
  });

  for (const config of CONFIGS.filter((c) => c.fence.attrs.lab)) {
    test(`${named(config)} is ${config.fence.attrs.lab}, as it says`, () => {
      const file = path.join(LABS, config.fence.attrs.lab);
      assert.ok(existsSync(file), `${config.where} says lab="${config.fence.attrs.lab}", and labs/${config.fence.attrs.lab} does not exist`);
      // As the course linter (scripts/lint-course/real-config.mjs): the newlines at the end do not count.
      const trim = (/** @type {string} */ text) => text.replace(/\n+$/, '');
      assert.equal(trim(config.fence.body), trim(readFileSync(file, 'utf8')),
        `${config.where} differs from labs/${config.fence.attrs.lab}: copy the file into the block, or change the sentence and the lab= mark`);
    });
  }

  for (const config of CONFIGS.filter((c) => c.kind)) {
    const kind = /** @type {import('./chapter-configs.js').Kind} */ (config.kind);
    const { skip, name, real } = REAL[kind];
    test(named(config), { skip: skip || (/\bcrt\s/.test(config.text) && NO_OPENSSL), timeout: 180_000 }, async (t) => {
      const { text, notes } = await withMachineFiles(config, sandbox);
      for (const note of notes) t.diagnostic(note);
      const folder = path.basename(config.where).replace(':', '-');
      // Each program gets its own copy: the nginx check edits its copy (real-programs.js).
      const file = path.join(await sandbox.write(folder, { [name]: text }), name);
      const verdict = await real(file, sandbox);
      assert.ok(verdict.ok, `the real program refuses the block at ${config.where}${config.fence.flags.has('partial') ? ', completed as' : ''}:\n`
        + `${numbered(text)}\nIt says:\n${verdict.output}`);
      // A warning means the program reads the file otherwise than the chapter says (a cookie ignored outside HTTP mode).
      assert.deepEqual(verdict.warnings, [], `the real program warns about the block at ${config.where}:\n${verdict.output}`);
      const miniature = MINIATURE[kind];
      if (!miniature) return;
      const { ok, output } = await miniature(path.join(await sandbox.write(`${folder}-miniature`, { [name]: text }), name));
      if (ok) return;
      const unexplained = undocumented(kind, output, readFileSync(README, 'utf8'));
      assert.deepEqual(unexplained, [], `the lab's miniature refuses the block at ${config.where}, which the real program accepts, `
        + 'for a reason labs/kit/README.md does not give: fix the miniature, or document the difference there and in DIFFERENCES '
        + `(labs/chapter-configs.js).\nThe miniature says:\n${output}`);
      t.diagnostic('the miniature refuses it, for the reasons labs/kit/README.md gives:');
      for (const line of output.trim().split('\n')) t.diagnostic(line);
    });
  }
});

/** @param {string} text */
function numbered(text) {
  return text.split('\n').map((line, i) => `${String(i + 1).padStart(4)}  ${line}`).join('\n');
}
