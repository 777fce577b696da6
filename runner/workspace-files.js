// @ts-check
/**
 * Every file the runner itself reads or writes goes through this module, and stays inside the lab's workspace.
 * A path from the page is refused, before anything is written, when it is absolute, climbs out with `..`, holds a NUL
 * or a backslash; and a path that exists is followed through its symbolic links (realpath) and refused when it
 * leads out of the workspace. (A process the learner starts in the workspace runs with the learner's own rights,
 * like any terminal; these checks are about what the page can make the runner do.)
 */
import { constants } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';

const MAX_READ_BYTES = 8 * 1024 * 1024;

/** A path the runner refuses to touch; its message is for a person. */
export class PathError extends Error {}

/**
 * Checks a workspace-relative POSIX path from the page and makes it absolute. Does not touch the disk.
 * @param {string} root the workspace, absolute and already resolved with realpath
 * @param {unknown} relative e.g. `lb-01/haproxy.cfg`
 */
export function pathInside(root, relative) {
  if (typeof relative !== 'string' || relative === '') throw new PathError('a file path is missing');
  const shown = JSON.stringify(relative.slice(0, 200));
  const refuse = (/** @type {string} */ why) => new PathError(`refused the path ${shown}: ${why}`);
  if (relative.includes('\0')) throw refuse('it contains a NUL character');
  if (relative.includes('\\')) throw refuse('use / between folders, not \\');
  if (relative.startsWith('/') || /^[a-z]:/i.test(relative)) throw refuse('it is absolute; paths are relative to the lab\'s workspace');
  if (relative.split('/').includes('..')) throw refuse('it contains ".."; paths must stay inside the lab\'s workspace');
  return path.join(root, ...relative.split('/').filter((part) => part !== '' && part !== '.'));
}

/**
 * Refuses a path whose existing part leads out of the workspace through a symbolic link.
 * @param {string} root
 * @param {string} absolute a path made by pathInside
 * @param {string} shown the path as the page wrote it, for the message
 */
async function checkLinks(root, absolute, shown) {
  let existing = absolute;
  for (;;) {
    try {
      const real = await fs.realpath(existing);
      if (real !== root && !real.startsWith(root + path.sep)) {
        throw new PathError(`refused the path ${JSON.stringify(shown)}: it leads out of the lab's workspace through a symbolic link`);
      }
      return;
    } catch (error) {
      if (/** @type {NodeJS.ErrnoException} */ (error).code !== 'ENOENT') throw error;
      existing = path.dirname(existing);
    }
  }
}

/**
 * The absolute path of a folder of the workspace (a process's working directory).
 * @param {string} root
 * @param {string} relative
 */
export async function folderInside(root, relative) {
  const absolute = pathInside(root, relative);
  await checkLinks(root, absolute, relative);
  const stat = await fs.stat(absolute).catch(() => undefined);
  if (!stat?.isDirectory()) throw new PathError(`there is no folder ${JSON.stringify(relative)} in the lab's workspace`);
  return absolute;
}

/**
 * @param {string} root
 * @param {string} relative
 */
export async function readInside(root, relative) {
  const absolute = pathInside(root, relative);
  await checkLinks(root, absolute, relative);
  const stat = await fs.stat(absolute).catch(() => undefined);
  if (!stat) throw new PathError(`there is no file ${JSON.stringify(relative)} in the lab's workspace`);
  if (!stat.isFile()) throw new PathError(`${JSON.stringify(relative)} is not a file`);
  if (stat.size > MAX_READ_BYTES) throw new PathError(`${JSON.stringify(relative)} is larger than ${MAX_READ_BYTES} bytes`);
  return fs.readFile(absolute, 'utf8');
}

/**
 * Writes one file, creating its folders. A file that starts with `#!` is made executable (the `lab` command in
 * kit/bin is one): a FileMap carries no file modes.
 * @param {string} root
 * @param {string} relative
 * @param {string} content
 */
export async function writeInside(root, relative, content) {
  const absolute = pathInside(root, relative);
  if (absolute === root) throw new PathError('refused to write the workspace folder itself');
  await checkLinks(root, absolute, relative);
  await fs.mkdir(path.dirname(absolute), { recursive: true });
  // The folders made just now are real folders; the last component is opened without following a link it may have.
  const handle = await fs.open(absolute, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | (constants.O_NOFOLLOW ?? 0))
    .catch((error) => {
      if (error.code === 'ELOOP') throw new PathError(`refused the path ${JSON.stringify(relative)}: it is a symbolic link`);
      throw error;
    });
  try {
    await handle.writeFile(content);
    if (content.startsWith('#!')) await handle.chmod(0o755);
  } finally {
    await handle.close();
  }
}

/**
 * Writes a FileMap. Every path is checked before the first file is written, so a bad map writes nothing.
 * @param {string} root
 * @param {Record<string, string>} files
 */
export async function writeFiles(root, files) {
  if (!files || typeof files !== 'object') throw new PathError('mount needs a map of paths to file contents');
  const entries = Object.entries(files);
  for (const [relative, content] of entries) {
    pathInside(root, relative);
    if (typeof content !== 'string') throw new PathError(`the content of ${JSON.stringify(relative)} is not text`);
  }
  for (const [relative, content] of entries) await writeInside(root, relative, content);
}
