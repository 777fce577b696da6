// @ts-check
/**
 * The datadir, checked (and created when missing) before the log is opened in it. mariadbd refuses a datadir that
 * is not a folder, or that it cannot enter (`Can't change dir to '/var/lib/mysql/' (Errcode: 20 "Not a
 * directory")`), without saying where it was set; the miniature names my.cnf's line.
 *
 * mariadbd also refuses a datadir that does not exist: mariadb-install-db creates it, with the system tables. The
 * miniature has no install step, so it creates the datadir itself, but not the folders above it: a missing parent
 * is more likely a typo than a new server.
 */
import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../lib/config-error.js';
import { LOG_FILE } from './database.js';

/** @type {Record<string, string>} what a file-system error means here */
const REASONS = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOTDIR: 'a part of the path is a file, not a folder',
  ELOOP: 'it is a loop of symbolic links',
  ENAMETOOLONG: 'the path is too long',
  EROFS: 'the file system is read-only',
  ENOSPC: 'the disk is full',
};

/**
 * @param {import('./my-cnf.js').MyCnf} options
 */
export function prepareDatadir(options) {
  const where = { file: options.file, line: options.lines.datadir ?? 0, directive: 'datadir' };
  const dir = options.datadir;
  const shown = path.relative(process.cwd(), dir) || '.';
  /** @param {string} message @param {string} hint */
  const refuse = (message, hint) => new ConfigError(where, message, hint);
  /** @param {unknown} error */
  const reason = (error) => REASONS[/** @type {NodeJS.ErrnoException} */ (error).code ?? ''] ?? /** @type {Error} */ (error).message;

  const stats = statOf(dir, (error) => refuse(`cannot use ${shown}: ${reason(error)}`, 'point datadir at a folder that this server may write'));
  if (stats === undefined) {
    const parent = path.dirname(dir);
    if (!statOf(parent, () => undefined)?.isDirectory()) {
      throw refuse(`${shown} does not exist, and neither does the folder it would be in, ${path.relative(process.cwd(), parent) || '.'}`,
        'check the path: the miniature creates a missing datadir, but not the folders above it');
    }
    try {
      mkdirSync(dir);
    } catch (error) {
      throw refuse(`cannot create ${shown}: ${reason(error)}`, 'point datadir at a folder that this server may write');
    }
  } else if (!stats.isDirectory()) {
    throw refuse(`${shown} is a file, not a folder`, 'datadir names the folder that holds the data: point it at a folder (such as data)');
  }
  try {
    accessSync(dir, constants.R_OK | constants.W_OK | constants.X_OK);
  } catch (error) {
    throw refuse(`cannot read and write ${shown}: ${reason(error)}`,
      'give the folder to the user that runs the server (chown), as mariadb-install-db does for a real server');
  }
  const log = path.join(dir, LOG_FILE);
  const logStats = statOf(log, (error) => refuse(`cannot use ${path.join(shown, LOG_FILE)}: ${reason(error)}`, 'move it away'));
  if (logStats && !logStats.isFile()) {
    throw refuse(`${path.join(shown, LOG_FILE)}, where the server keeps its data, is not a file`, 'move it out of the datadir');
  }
}

/**
 * The file's stats, or undefined when it does not exist.
 * @param {string} file
 * @param {(error: unknown) => Error | undefined} failed what to throw for another error (undefined: nothing)
 */
function statOf(file, failed) {
  try {
    return statSync(file);
  } catch (error) {
    if (/** @type {NodeJS.ErrnoException} */ (error).code === 'ENOENT') return undefined;
    const thrown = failed(error);
    if (thrown) throw thrown;
    return undefined;
  }
}
