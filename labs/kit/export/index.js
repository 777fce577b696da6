// @ts-check
/**
 * `lab export`: a lab workspace, with the learner's current files, becomes a folder that runs the same files on the
 * real programs, two ways: compose.yaml (Docker) and run-netns.sh (one Linux machine), with a README. Pure file
 * work, with no child process, so that it runs in a WebContainer too.
 */
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { LabError } from '../lab/errors.js';
import { composeFile } from './compose.js';
import { netnsScript } from './netns.js';
import { planExport } from './plan.js';
import { readme } from './readme.js';

/** What the application needs of the kit (the app and the modules it imports), copied into the export. */
const KIT_PARTS = ['package.json', 'app', 'lib'];
/** A folder `lab export` made, and may replace: it holds these. */
const EXPORT_MARKS = ['compose.yaml', 'run-netns.sh'];

/**
 * @param {import('../lab/workspace.js').Workspace} workspace
 * @param {string} out  the folder to write; replaced when it is an earlier export, refused when it holds anything else
 */
export function exportLab(workspace, out) {
  const plan = planExport(workspace, listFiles);
  prepare(out);
  for (const server of plan.servers) {
    for (const file of server.files) copy(path.join(workspace.home, server.name, file), path.join(out, 'servers', server.name, file));
  }
  for (const part of KIT_PARTS) {
    const from = path.join(workspace.kit, part);
    const files = part.includes('.') ? [''] : listFiles(from).filter(isKitSource);
    for (const file of files) copy(path.join(from, file), path.join(out, 'kit', part, file));
  }
  writeFileSync(path.join(out, 'compose.yaml'), composeFile(plan));
  writeFileSync(path.join(out, 'run-netns.sh'), netnsScript(plan));
  // Executable, for `sudo ./run-netns.sh`. A file system without modes may refuse; the page's archive sets the mode.
  try {
    chmodSync(path.join(out, 'run-netns.sh'), 0o755);
  } catch {
    // `sudo bash run-netns.sh` needs no mode
  }
  writeFileSync(path.join(out, 'README.md'), readme(plan));
  return plan;
}

/** @param {string} out */
function prepare(out) {
  if (existsSync(out)) {
    const entries = readdirSync(out);
    if (entries.length > 0 && !EXPORT_MARKS.every((mark) => entries.includes(mark))) {
      throw new LabError(`${out} exists and is not an earlier export: name a new folder, such as \`lab export real-stack\``);
    }
    rmSync(out, { recursive: true, force: true });
  }
  mkdirSync(out, { recursive: true });
}

/**
 * Copies one file, byte for byte, with plain reads and writes, which every file system the kit runs on has.
 * @param {string} from
 * @param {string} to
 */
function copy(from, to) {
  mkdirSync(path.dirname(to), { recursive: true });
  writeFileSync(to, readFileSync(from));
}

/** @param {string} file  relative to a part of the kit */
function isKitSource(file) {
  return !file.endsWith('.test.js') && !file.split('/').some((part) => part === 'testing' || part === 'fixtures');
}

/**
 * Every file under a folder, relative to it with / separators; nothing when it does not exist.
 * @param {string} dir
 * @returns {string[]}
 */
export function listFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.isDirectory()) return listFiles(path.join(dir, entry.name)).map((file) => `${entry.name}/${file}`);
    return entry.isFile() ? [entry.name] : [];
  });
}
