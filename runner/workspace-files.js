// @ts-check
/**
 * Every file the runner itself reads or writes goes through this module, and stays inside the lab's workspace.
 * A path from the page is refused, before anything is written, when it is absolute, climbs out with `..`, holds a NUL
 * or a backslash. Then it is reached one folder at a time (folder-walk.js says how, and why a check of the path
 * before opening it is not enough), and refused when any step leads out of the workspace, when its last name is a
 * symbolic link, or when the file has another name (a hard link: that name may be outside the workspace, and
 * writing the file would change it there too). A file is checked through the descriptor that is then read or
 * written, never by name first. Sizes are held to the limits of limits.js.
 * (A process the learner starts in the workspace runs with the learner's own rights, like any terminal; these
 * checks are about what the page can make the runner do.)
 */
import fs, { constants } from 'node:fs';
import path from 'node:path';
import { PathError, inFolder, openHere } from './folder-walk.js';
import { LIMITS, checkFileSize } from './limits.js';

export { PathError };

const READ_CHUNK_BYTES = 64 * 1024;

/**
 * Checks a workspace-relative POSIX path from the page and splits it into names. Does not touch the disk.
 * @param {unknown} relative e.g. `lb-01/haproxy.cfg`
 * @returns {string[]} e.g. ['lb-01', 'haproxy.cfg']; none for the workspace itself (`.`)
 */
function namesOf(relative) {
  if (typeof relative !== 'string' || relative === '') throw new PathError('a file path is missing');
  const shown = JSON.stringify(relative.slice(0, 200));
  const refuse = (/** @type {string} */ why) => new PathError(`refused the path ${shown}: ${why}`);
  if (relative.includes('\0')) throw refuse('it contains a NUL character');
  if (relative.includes('\\')) throw refuse('use / between folders, not \\');
  if (relative.startsWith('/') || /^[a-z]:/i.test(relative)) throw refuse('it is absolute; paths are relative to the lab\'s workspace');
  if (relative.split('/').includes('..')) throw refuse('it contains ".."; paths must stay inside the lab\'s workspace');
  return relative.split('/').filter((part) => part !== '' && part !== '.');
}

/**
 * Checks a workspace-relative POSIX path from the page and makes it absolute. Does not touch the disk.
 * @param {string} root the workspace, absolute and already resolved with realpath
 * @param {unknown} relative
 */
export function pathInside(root, relative) {
  return path.join(root, ...namesOf(relative));
}

/**
 * The absolute path of a folder of the workspace (a process's working directory), after walking to it.
 * @param {string} root
 * @param {string} relative
 */
export async function folderInside(root, relative) {
  const names = namesOf(relative);
  const shown = JSON.stringify(relative);
  inFolder(root, names, { shown, create: false, missing: `there is no folder ${shown} in the lab's workspace` }, () => {});
  return path.join(root, ...names);
}

/**
 * @param {string} root
 * @param {string} relative
 */
export async function readInside(root, relative) {
  const names = namesOf(relative);
  const shown = JSON.stringify(relative);
  if (names.length === 0) throw new PathError(`${shown} is not a file`);
  const walk = { shown, create: false, missing: `there is no file ${shown} in the lab's workspace` };
  return inFolder(root, names.slice(0, -1), walk, () => {
    const fd = openHere(/** @type {string} */ (names.at(-1)), constants.O_RDONLY, shown);
    try {
      checkOpened(fd, shown);
      return readAtMost(fd, shown);
    } finally {
      fs.closeSync(fd);
    }
  });
}

/**
 * Writes one file, creating its folders. A file that starts with `#!` is made executable (`kit/lab/index.js`, which
 * the `lab` command runs, is one): a FileMap carries no file modes.
 * @param {string} root
 * @param {string} relative
 * @param {string} content
 * @param {import('./limits.js').WorkspaceLedger} [ledger] what the page has written into this workspace so far
 */
export async function writeInside(root, relative, content, ledger) {
  const names = namesOf(relative);
  if (names.length === 0) throw new PathError('refused to write the workspace folder itself');
  const bytes = Buffer.byteLength(content);
  checkFileSize(JSON.stringify(relative), bytes, 'write');
  ledger?.check([[names.join('/'), bytes]]);
  writeOne(root, names, content, JSON.stringify(relative));
  ledger?.record(names.join('/'), bytes);
}

/**
 * Writes a FileMap. Every path and size is checked before the first file is written, so a bad map writes nothing.
 * @param {string} root
 * @param {Record<string, string>} files
 * @param {import('./limits.js').WorkspaceLedger} [ledger]
 */
export async function writeFiles(root, files, ledger) {
  if (!files || typeof files !== 'object') throw new PathError('mount needs a map of paths to file contents');
  /** @type {[string, string[], string, number][]} */
  const checked = Object.entries(files).map(([relative, content]) => {
    const names = namesOf(relative);
    if (names.length === 0) throw new PathError('refused to write the workspace folder itself');
    if (typeof content !== 'string') throw new PathError(`the content of ${JSON.stringify(relative)} is not text`);
    const bytes = Buffer.byteLength(content);
    checkFileSize(JSON.stringify(relative), bytes, 'write');
    return [relative, names, content, bytes];
  });
  ledger?.check(checked.map(([, names, , bytes]) => [names.join('/'), bytes]));
  for (const [relative, names, content, bytes] of checked) {
    writeOne(root, names, content, JSON.stringify(relative));
    ledger?.record(names.join('/'), bytes);
    // Each file is written synchronously (folder-walk.js says why); other sessions get a turn between files.
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/**
 * Makes the workspace's symbolic links (`kit/bin/lab` -> `../lab/index.js`: labs/lab-files.js says why), each after
 * its files are written. A link's target must stay inside the workspace; an existing link is replaced, anything else
 * at its place is refused. Every link is checked before the first is made; each is made in its folder after the
 * same walk as a file's.
 * @param {string} root
 * @param {unknown} links
 * @param {import('./limits.js').WorkspaceLedger} [ledger]
 */
export async function writeLinks(root, links, ledger) {
  if (links === undefined) return;
  if (!links || typeof links !== 'object') throw new PathError('links must be a map of paths to link targets');
  /** @type {[string[], string][]} */
  const checked = Object.entries(links).map(([relative, target]) => {
    const names = namesOf(relative);
    if (names.length === 0) throw new PathError('refused to make the workspace folder itself a link');
    const absolute = path.join(root, ...names);
    if (typeof target !== 'string' || target === '' || path.isAbsolute(target) || target.includes('\\')) {
      throw new PathError(`the link ${JSON.stringify(relative)} needs a relative target, written with /`);
    }
    const resolved = path.resolve(path.dirname(absolute), ...target.split('/'));
    if (!resolved.startsWith(root + path.sep)) throw new PathError(`refused the link ${JSON.stringify(relative)}: its target leads out of the lab's workspace`);
    return [names, target];
  });
  ledger?.check(checked.map(([names, target]) => [names.join('/'), Buffer.byteLength(target)]));
  for (const [names, target] of checked) {
    const name = /** @type {string} */ (names.at(-1));
    const shown = JSON.stringify(names.join('/'));
    inFolder(root, names.slice(0, -1), { shown, create: true }, () => {
      const existing = fs.lstatSync(name, { throwIfNoEntry: false });
      if (existing && !existing.isSymbolicLink()) throw new PathError(`refused the link ${shown}: a file or folder is already there`);
      if (existing) fs.unlinkSync(name);
      fs.symlinkSync(target, name);
    });
    ledger?.record(names.join('/'), Buffer.byteLength(target));
  }
}

/**
 * Writes a file through the descriptor that was checked: opened without O_TRUNC, changed only once it is known to
 * be a plain file with no other name.
 * @param {string} root
 * @param {string[]} names
 * @param {string} content
 * @param {string} shown
 */
function writeOne(root, names, content, shown) {
  inFolder(root, names.slice(0, -1), { shown, create: true }, () => {
    const fd = openHere(/** @type {string} */ (names.at(-1)), constants.O_WRONLY | constants.O_CREAT, shown);
    try {
      const { size } = checkOpened(fd, shown);
      const bytes = Buffer.from(content);
      fs.writeFileSync(fd, bytes);
      // Cut what is left of a longer old content; cutting to 0 first would cost more (the filesystem flushes it).
      if (size > bytes.length) fs.ftruncateSync(fd, bytes.length);
      if (content.startsWith('#!')) fs.fchmodSync(fd, 0o755);
    } finally {
      fs.closeSync(fd);
    }
  });
}

/**
 * Refuses what was opened when it is not a plain file, or when it has another name (a hard link).
 * @param {number} fd
 * @param {string} shown
 * @returns {fs.Stats}
 */
function checkOpened(fd, shown) {
  const stat = fs.fstatSync(fd);
  if (!stat.isFile()) throw new PathError(`${shown} is not a file`);
  if (stat.nlink > 1) {
    throw new PathError(`${shown} has another name (a hard link), which may be outside the lab's workspace: the runner `
      + 'neither reads nor writes such a file (copy the file instead of linking it)');
  }
  return stat;
}

/**
 * Reads a file as text, refusing one over the limit, even one that grows while it is read.
 * @param {number} fd
 * @param {string} shown
 */
function readAtMost(fd, shown) {
  checkFileSize(shown, fs.fstatSync(fd).size, 'read');
  /** @type {Buffer[]} */
  const chunks = [];
  let total = 0;
  for (;;) {
    const chunk = Buffer.allocUnsafe(Math.min(READ_CHUNK_BYTES, LIMITS.fileBytes + 1 - total));
    const got = fs.readSync(fd, chunk, 0, chunk.length, null);
    if (got === 0) return Buffer.concat(chunks, total).toString('utf8');
    chunks.push(chunk.subarray(0, got));
    total += got;
    checkFileSize(shown, total, 'read');
  }
}
