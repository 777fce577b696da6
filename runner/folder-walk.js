// @ts-check
/**
 * Reaching a file of the workspace so that no symbolic link, even one swapped in at the worst moment, leads out.
 *
 * Checking a path and then opening it by name is a race: between the two, a process of the lab can replace a
 * folder with a link to anywhere (issue 9 counted 1,076 escapes in 6,935 reads). O_NOFOLLOW alone does not close
 * it: it guards the last name of a path only, and every folder before it is looked up again, by name, at each
 * open. Opening each folder with O_NOFOLLOW by its full path does not close it either, for the same reason. In C
 * one walks the path with openat(), each step from the descriptor of the folder before; Node has no openat.
 *
 * Node has the working directory, though: a folder the process holds by reference, as it holds a descriptor, and
 * from which every relative name is looked up. So the runner walks the path one folder at a time with
 * chdir(name), and after each step asks the kernel where it now stands: realpath('.') is getcwd(), computed from
 * the folder itself and not from the name that led there. A step that lands outside the workspace is refused
 * before anything is made there. The last name is then opened relative to that folder, with O_NOFOLLOW: a link
 * swapped in there is refused (ELOOP), and a link swapped into a folder already walked changes nothing, because
 * that folder is not looked up by name again. A folder that is a link to another folder of the workspace still
 * works: the step lands inside. (On Linux, `/proc/self/fd/<folder's descriptor>/<name>` would do the same without
 * changing directory, but macOS, where Safari's learners run the runner, has nothing like it; one way on every
 * system is one way to test.) What is left is a process that renames whole folders into or out of the workspace
 * between the check and the open: it needs, and so already has, the rights the runner has.
 *
 * The working directory belongs to the whole process, so a walk and everything done in its folder is synchronous
 * (no other JavaScript runs in between, and the directory is put back before it returns), and the runner gives
 * every other file operation an absolute path. (A worker thread cannot change directory: the runner runs in Node's
 * main thread.) Windows has no O_NOFOLLOW; there the last name is checked with lstat() just before it is opened,
 * which a swap can still beat (symbolic links need administrator rights there).
 */
import fs, { constants } from 'node:fs';
import path from 'node:path';

/** A path the runner refuses to touch; its message is for a person. */
export class PathError extends Error {}

/**
 * @typedef {object} Walk
 * @property {string} shown      the path as the page wrote it, quoted, for messages
 * @property {boolean} create    make the folders that are missing (for writing)
 * @property {string} [missing]  the message when a folder is missing and not made
 */

/**
 * Runs `use` with the working directory in the folder `folders` (e.g. ['lb-01', 'conf.d']) of the workspace, after
 * walking there one folder at a time, each step checked; then puts the working directory back.
 * @template T
 * @param {string} root the workspace, absolute and real (realpath)
 * @param {string[]} folders
 * @param {Walk} walk
 * @param {() => T} use runs in the folder; relative names are looked up there
 * @returns {T}
 */
export function inFolder(root, folders, walk, use) {
  const previous = process.cwd();
  try {
    process.chdir(root);
    if (fs.realpathSync.native('.') !== root) throw new PathError(`the lab's workspace ${root} was replaced while the runner used it`);
    folders.forEach((folder, i) => step(root, folder, folders.slice(0, i + 1).join('/'), walk));
    return use();
  } finally {
    process.chdir(previous);
  }
}

/**
 * Moves into one folder (making it first when asked), and refuses to stand outside the workspace.
 * @param {string} root
 * @param {string} folder one name
 * @param {string} where the folders walked so far, for messages
 * @param {Walk} walk
 */
function step(root, folder, where, { shown, create, missing }) {
  try {
    process.chdir(folder);
  } catch (error) {
    const code = /** @type {NodeJS.ErrnoException} */ (error).code;
    if (code === 'ENOTDIR') throw new PathError(`refused the path ${shown}: "${where}" is a file, not a folder`);
    if (code !== 'ENOENT') throw error;
    if (!create) throw new PathError(missing ?? `there is no folder "${where}" in the lab's workspace`);
    try {
      fs.mkdirSync(folder);
      process.chdir(folder);
    } catch (made) {
      // chdir said ENOENT, yet the name exists: a link that leads nowhere.
      if (/** @type {NodeJS.ErrnoException} */ (made).code !== 'EEXIST') throw made;
      throw new PathError(`refused the path ${shown}: "${where}" is a symbolic link that leads nowhere`);
    }
  }
  const here = fs.realpathSync.native('.');
  if (here !== root && !here.startsWith(root + path.sep)) {
    throw new PathError(`refused the path ${shown}: it leads out of the lab's workspace through a symbolic link`);
  }
}

/**
 * Opens a name of the folder `inFolder` stands in, never through a symbolic link, and never waiting (a named pipe
 * would otherwise hold the runner until someone opens its other end).
 * @param {string} name
 * @param {number} flags O_RDONLY, or O_WRONLY | O_CREAT (never O_TRUNC: a file is checked before it is emptied)
 * @param {string} shown
 * @returns {number} the descriptor
 */
export function openHere(name, flags, shown) {
  if (constants.O_NOFOLLOW === undefined && fs.lstatSync(name, { throwIfNoEntry: false })?.isSymbolicLink()) throw linkError(shown);
  try {
    return fs.openSync(name, flags | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0), 0o666);
  } catch (error) {
    const code = /** @type {NodeJS.ErrnoException} */ (error).code;
    if (code === 'ELOOP' || code === 'EMLINK') throw linkError(shown);
    if (code === 'ENOENT') throw new PathError(`there is no file ${shown} in the lab's workspace`);
    if (code === 'EISDIR' || code === 'ENXIO') throw new PathError(`${shown} is not a file`);
    throw error;
  }
}

/** @param {string} shown */
function linkError(shown) {
  return new PathError(`refused the path ${shown}: it is a symbolic link, and the runner follows none at the end of a `
    + 'path (it could lead out of the lab\'s workspace)');
}
