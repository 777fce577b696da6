// @ts-check
/**
 * Every lab's configuration files, starter and solution, are complete for the real programs. For each server of
 * each lab (found with listLabs, so a new lab is covered without a change here), the file each service reads, with
 * the server's other files beside it (an init file, mime.types, www/), passes the real program's own check
 * (real-programs.js). The course promises that what a learner writes runs the real stack too.
 *
 * Then a copy of a lab file is broken the way a person might break it, and the same checks must refuse it: a check
 * that cannot fail proves nothing.
 *
 * Where a program is missing, or root and network namespaces are not available, its tests are skipped with the
 * reason. CI installs every program and runs as root, so nothing is skipped there.
 */
import assert from 'node:assert/strict';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { labWorkspaceFiles, listLabs } from './lab-files.js';
import { REAL_CHECKS, Sandbox, configFileIn, initFileOf } from './real-programs.js';

const LABS = fileURLToPath(new URL('.', import.meta.url));

/**
 * @typedef {object} LabFile  the configuration file that one service of one lab server reads
 * @property {string} lab
 * @property {'starter' | 'solution'} variant
 * @property {string} server
 * @property {string} program  the kit program that reads it
 * @property {string} file  relative to the server's folder
 * @property {Record<string, string>} folder  the server's files, relative to its folder
 * @property {string} [problem]  why it cannot be checked
 */

/** @returns {LabFile[]} */
function labFiles() {
  /** @type {LabFile[]} */
  const found = [];
  for (const lab of listLabs(LABS)) {
    for (const variant of /** @type {const} */ (['starter', 'solution'])) {
      const files = labWorkspaceFiles(path.join(LABS, lab), { solution: variant === 'solution' });
      for (const server of readManifest(lab, files['lab.json']).topology.servers) {
        const folder = serverFolder(files, server.name);
        for (const { program, args = [] } of server.services) {
          const real = REAL_CHECKS[program];
          if (real === null) continue;
          const file = real ? configFileIn(args, real.flag) : undefined;
          const problem = !real ? `the kit program '${program}' has no real-program check: add one to REAL_CHECKS in labs/real-programs.js`
            : !file ? `lab.json starts ${program} on ${server.name} without '${real.flag} FILE': there is no file to check`
              : !(file in folder) ? `lab.json names ${file}, and the ${variant} files have no ${server.name}/${file}`
                : undefined;
          found.push({ lab, variant, server: server.name, program, file: file ?? '(none)', folder, problem });
        }
      }
    }
  }
  return found;
}

/**
 * @param {string} lab
 * @param {string} text
 * @returns {{ topology: { servers: Array<{ name: string, services: Array<{ program: string, args?: string[] }> }> } }}
 */
function readManifest(lab, text) {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`labs/${lab}/lab.json is not valid JSON: ${/** @type {Error} */ (error).message}`, { cause: error });
  }
}

/**
 * A server's files from a workspace, relative to the server's folder.
 * @param {Record<string, string>} files
 * @param {string} server
 */
function serverFolder(files, server) {
  return Object.fromEntries(Object.entries(files)
    .filter(([file]) => file.startsWith(`${server}/`))
    .map(([file, content]) => [file.slice(server.length + 1), content]));
}

/** @param {LabFile} item */
const where = (item) => `${item.lab}, ${item.variant}, ${item.server}/${item.file}`;

const LAB_FILES = labFiles();

/** The interfaces the keepalived files name, which the namespace must have. */
const INTERFACES = [...new Set(LAB_FILES.filter((item) => item.program === 'vrrp' && !item.problem)
  .flatMap((item) => [...item.folder[item.file].matchAll(/^\s*interface\s+(\S+)|\bdev\s+(\S+)/gm)].map((m) => m[1] ?? m[2])))];
const NO_SUCH_INTERFACE = ['ens3', 'ens4', 'enp0s3'].find((name) => !INTERFACES.includes(name)) ?? 'ens9';
const SERVER_LINE = /^(\s*server\s+(\S+)\s+)10\.0\.0\.\d+(:\d+)/m;

/**
 * @param {string} file
 * @param {(text: string) => string} edit
 */
function rewrite(file, edit) {
  writeFileSync(file, edit(readFileSync(file, 'utf8')));
}

/**
 * Mistakes a person might make, each made in a copy of the first lab file it applies to, and what the real program
 * says when it refuses the file.
 * @type {Array<{ program: string, mistake: string, applies: (text: string) => boolean, make: (file: string) => void, says: RegExp }>}
 */
const MISTAKES = [
  {
    program: 'balancer', mistake: 'a server named by a host name, which no DNS knows',
    applies: (text) => SERVER_LINE.test(text),
    make: (file) => rewrite(file, (text) => text.replace(SERVER_LINE, '$1$2$3')),
    says: /could not resolve address/,
  },
  {
    program: 'web', mistake: 'an unknown directive (proxy_passs)',
    applies: (text) => /^http \{/m.test(text),
    make: (file) => rewrite(file, (text) => text.replace(/^http \{/m, 'http {\n    proxy_passs http://10.0.0.31:3000;')),
    says: /unknown directive "proxy_passs"/,
  },
  {
    program: 'vrrp', mistake: `an interface that this machine does not have (${NO_SUCH_INTERFACE})`,
    applies: (text) => /^\s*interface\s+\S+/m.test(text),
    make: (file) => rewrite(file, (text) => text.replace(/^(\s*interface\s+)\S+/m, `$1${NO_SUCH_INTERFACE}`)),
    says: /Non-existent interface specified/,
  },
  {
    program: 'db', mistake: 'an unknown option in my.cnf (max_conections)',
    applies: (text) => /^\[mysqld\]$/m.test(text),
    make: (file) => rewrite(file, (text) => text.replace(/^\[mysqld\]$/m, '[mysqld]\nmax_conections = 100')),
    says: /unknown variable 'max_conections=100'/,
  },
  {
    program: 'db', mistake: 'a grant to an account that the init file never creates',
    applies: (text) => /^\s*init[-_]file\s*=/m.test(text),
    make: (file) => appendFileSync(/** @type {string} */ (initFileOf(file)),
      "\nGRANT SELECT ON *.* TO 'app'@'10.0.0.99';\n"),
    says: /Can't find any matching row in the user table/,
  },
];

describe('the real programs and the labs', { concurrency: true }, () => {
  const sandbox = new Sandbox();
  before(() => sandbox.open(INTERFACES.length > 0 ? INTERFACES : ['eth0']));
  after(() => sandbox.close());

  describe('every lab file passes the real program', { concurrency: true }, () => {
    for (const item of LAB_FILES) {
      const real = REAL_CHECKS[item.program];
      test(`${where(item)}: ${real?.what ?? item.program}`, { skip: !item.problem && real?.skip, timeout: 180_000 }, async (t) => {
        assert.ok(real && !item.problem, item.problem);
        const dir = await sandbox.write(`${item.lab}-${item.variant}-${item.server}`, item.folder);
        const verdict = await real.check(path.join(dir, item.file), sandbox);
        assert.ok(verdict.ok, `${real.what} refused ${where(item)}:\n${verdict.output}`);
        for (const warning of verdict.warnings) t.diagnostic(warning);
      });
    }
  });

  describe('the same checks refuse a broken copy', { concurrency: true }, () => {
    for (const { program, mistake, applies, make, says } of MISTAKES) {
      const real = /** @type {import('./real-programs.js').RealCheck} */ (REAL_CHECKS[program]);
      const source = LAB_FILES.find((item) => item.program === program && !item.problem && applies(item.folder[item.file]));
      const skip = real.skip || (!source && `no lab has a file for ${program} that this mistake applies to`);
      test(`${source ? where(source) : program}, with ${mistake}: ${real.what} refuses it`, { skip, timeout: 180_000 }, async () => {
        const item = /** @type {LabFile} */ (source);
        const dir = await sandbox.write(`broken-${program}`, item.folder);
        const file = path.join(dir, item.file);
        make(file);
        const verdict = await real.check(file, sandbox);
        assert.equal(verdict.ok, false, `${real.what} accepted ${where(item)} with ${mistake}:\n${verdict.output}`);
        assert.match(verdict.output, says);
      });
    }
  });
});
