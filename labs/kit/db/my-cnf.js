// @ts-check
/**
 * Reads my.cnf, the option file of MySQL and MariaDB: groups in brackets, then one option a line.
 *
 *   [mysqld]
 *   port         = 3306
 *   bind-address = 0.0.0.0
 *   datadir      = data
 *   init_file    = grants.sql
 *
 * The server reads only its own groups and skips the others ([client], [mysqldump], ...), which belong to other
 * programs. In an option name a dash and an underscore are the same character: init_file is init-file.
 * An unknown option stops the server, as mysqld stops with "unknown variable"; written as `loose-name`, it is
 * skipped with a warning instead, as on the real server. The lines, and the characters that MariaDB does not read
 * as spaces (a byte-order mark, a no-break space), are cut and named as MariaDB reads them: option-lines.js.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, supportedHint } from '../lib/config-error.js';
import { hostProblem } from '../lib/host-address.js';
import { findInvisible, readLines, trimSpace, visible } from './option-lines.js';

/** The groups that mysqld and mariadbd read. */
const SERVER_GROUPS = ['mysqld', 'server', 'mariadb', 'mariadbd'];

/** The bind-addresses that mean every address of this server. */
export const ANY_ADDRESS = ['0.0.0.0', '*', '::'];

/** The options the miniature uses. */
const USED = ['port', 'bind-address', 'datadir', 'init-file', 'innodb-flush-log-at-trx-commit', 'innodb-flush-log-at-timeout'];

/** Real options that the miniature accepts and ignores: they tune machinery it does not have. */
const IGNORED = ['user', 'pid-file', 'socket', 'log-error', 'skip-name-resolve', 'character-set-server',
  'collation-server', 'max-connections', 'innodb-buffer-pool-size', 'sync-binlog'];

/**
 * @typedef {object} MyCnf
 * @property {string} file
 * @property {number} port
 * @property {string} bindAddress
 * @property {string} datadir              an absolute path
 * @property {string | undefined} initFile an absolute path
 * @property {0 | 1 | 2} flushLogAtTrxCommit when the log reaches the disk: 1 at every commit, 0 and 2 every few seconds
 * @property {number} flushLogAtTimeout  those few seconds, for 0 and 2
 * @property {Record<string, number>} lines the line each used option was set on, for later error messages
 * @property {string[]} warnings
 */

/** @param {string} file */
export function readMyCnf(file) {
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = /** @type {NodeJS.ErrnoException} */ (error).code;
    // MariaDB reads a folder as an empty file and starts with its defaults; the miniature says what is wrong.
    const why = { ENOENT: 'it does not exist', EISDIR: 'it is a folder, not a file', EACCES: 'permission denied' }[code ?? '']
      ?? /** @type {Error} */ (error).message;
    throw new ConfigError({ file, line: 0 }, `cannot read the option file: ${why}`, 'check the path given to --defaults-file');
  }
  return parseMyCnf(text, file);
}

/**
 * @param {string} text
 * @param {string} file the file name for messages; relative paths in the file are relative to its folder
 * @returns {MyCnf}
 */
export function parseMyCnf(text, file) {
  /** @type {Map<string, { value: string, line: number }>} */
  const options = new Map();
  /** @type {string[]} */
  const warnings = [];
  const warn = (/** @type {number} */ line, /** @type {string} */ message) => { warnings.push(`${file}:${line}: ${message}`); };
  /** @type {(line: number, message: string, hint: string, directive?: string) => never} */
  const refuse = (line, message, hint, directive) => { throw new ConfigError({ file, line, directive }, message, hint); };
  /** @type {string | undefined} */
  let group;
  for (const { line, content: whole, indent } of readLines(text, warn, refuse)) {
    const content = stripComment(whole);
    if (content === '') continue;
    if (content.startsWith('[')) {
      group = groupName(content, line, warn, refuse);
      continue;
    }
    if (content.startsWith('!')) {
      refuse(line, 'include directives are not supported by the miniature', 'write the options into this file itself', content.split(/\s/)[0]);
    }
    const invisible = findInvisible(content, line === 1);
    const where = invisible && `${invisible.name} at column ${indent + invisible.column}`;
    if (group === undefined) {
      refuse(line, `found option without preceding group: '${visible(content)}'${where ? `: the line holds ${where}, so it is no [group] line` : ''}`,
        invisible ? invisible.hint : 'put a line [mysqld] before the server options');
    }
    if (!SERVER_GROUPS.includes(group)) continue;
    const equals = content.indexOf('=');
    const written = trimSpace(equals < 0 ? content : content.slice(0, equals));
    const value = equals < 0 ? '' : trimSpace(content.slice(equals + 1));
    if (invisible && findInvisible(written)) {
      refuse(line, `unknown variable '${visible(content)}': its name holds ${where}, which MariaDB reads as part of the name`,
        invisible.hint, visible(written));
    }
    let name = written.toLowerCase().replaceAll('_', '-');
    const loose = name.startsWith('loose-');
    if (loose) name = name.slice('loose-'.length);
    if (USED.includes(name)) {
      if (value === '') refuse(line, 'option requires a value', `write it as ${name} = value`, written);
      if (invisible) refuse(line, `the value '${visible(value)}' holds ${where}, which MariaDB reads as part of the value`, invisible.hint, written);
      options.set(name, { value: unquote(value, () => refuse(line, `the value ${value} opens a quote that does not close`,
        `end it with ${value[0]}, or write the value without quotes`, written)), line });
    } else if (loose && !IGNORED.includes(name)) {
      warn(line, `unknown option '${written}' skipped (it has the loose- prefix)`);
    } else if (!IGNORED.includes(name)) {
      refuse(line, `unknown variable '${visible(content)}'`,
        `${supportedHint(name, [...USED, ...IGNORED])} (prefix an option with loose- to make the server skip it when it does not know it)`, written);
    }
  }
  return settle(options, file, warnings);
}

/**
 * The name of the group a `[name]` line opens, in lower case.
 * @param {string} content
 * @param {number} line
 * @param {(line: number, message: string) => void} warn
 * @param {(line: number, message: string, hint: string) => never} refuse
 */
function groupName(content, line, warn, refuse) {
  const end = content.indexOf(']');
  if (end < 0) refuse(line, `wrong group definition: '${visible(content)}' has no closing ]`, 'a group line is a name in brackets, such as [mysqld]');
  const name = trimSpace(content.slice(1, end));
  const invisible = findInvisible(name);
  if (invisible) {
    warn(line, `the group name [${visible(name)}] holds ${invisible.name}: no program reads a group of that name, so the options below it are` +
      ` skipped (${invisible.hint})`);
  }
  return name.toLowerCase();
}

/**
 * Checks the values and fills in the defaults.
 * @param {Map<string, { value: string, line: number }>} options
 * @param {string} file
 * @param {string[]} warnings
 * @returns {MyCnf}
 */
function settle(options, file, warnings) {
  const folder = path.dirname(path.resolve(file));
  const port = options.get('port');
  if (port && !(/^\d+$/.test(port.value) && Number(port.value) >= 1 && Number(port.value) <= 65535)) {
    throw new ConfigError({ file, line: port.line, directive: 'port' }, `'${port.value}' is not a port number`, 'a port is a number from 1 to 65535; MySQL uses 3306');
  }
  const bind = options.get('bind-address');
  if (bind && /[\s,]/.test(bind.value)) {
    throw new ConfigError({ file, line: bind.line, directive: 'bind-address' }, `the miniature binds one address, not '${bind.value}'`,
      'write one address (10.0.0.41), or 0.0.0.0 for every address of this server');
  }
  const badBind = bind && bindProblem(bind.value);
  if (bind && badBind) {
    throw new ConfigError({ file, line: bind.line, directive: 'bind-address' }, badBind,
      'write an IP address such as 10.0.0.41, a server name such as db-01, or 0.0.0.0 for every address of this server');
  }
  const flush = options.get('innodb-flush-log-at-trx-commit');
  if (flush && !/^[0-3]$/.test(flush.value)) {
    throw new ConfigError({ file, line: flush.line, directive: 'innodb_flush_log_at_trx_commit' }, `'${flush.value}' is not 0, 1, 2 or 3`,
      '1 (the default) flushes the log at every commit, so that no acknowledged write is lost; 0 and 2 flush about once a second');
  }
  const timeout = options.get('innodb-flush-log-at-timeout');
  if (timeout && !(/^\d+$/.test(timeout.value) && Number(timeout.value) >= 1 && Number(timeout.value) <= 2700)) {
    throw new ConfigError({ file, line: timeout.line, directive: 'innodb_flush_log_at_timeout' }, `'${timeout.value}' is not a number of seconds from 1 to 2700`,
      'how often, in seconds, the log is flushed when innodb_flush_log_at_trx_commit is 0 or 2; the default is 1');
  }
  const datadir = options.get('datadir')?.value ?? 'data';
  const initFile = options.get('init-file')?.value;
  return {
    file,
    port: Number(port?.value ?? 3306),
    bindAddress: bind?.value ?? '0.0.0.0',
    // The real server resolves a relative datadir against its basedir; the miniature, against this file's folder.
    datadir: path.resolve(folder, datadir),
    initFile: initFile === undefined ? undefined : path.resolve(folder, initFile),
    // 3 also flushes at a transaction's prepare phase, which the miniature does not have: for it, 3 is 1.
    flushLogAtTrxCommit: /** @type {0 | 1 | 2} */ (flush && flush.value !== '3' ? Number(flush.value) : 1),
    flushLogAtTimeout: Number(timeout?.value ?? 1),
    lines: Object.fromEntries([...options].map(([name, { line }]) => [name, line])),
    warnings,
  };
}

/**
 * What is wrong with a bind-address, or undefined. MariaDB looks the value up with getaddrinfo(), which takes
 * 300.1.1.1 for a host name and finds none: `Can't create IP socket: Name or service not known`.
 * @param {string} address
 */
function bindProblem(address) {
  if (ANY_ADDRESS.includes(address)) return undefined;
  if (address.includes(':')) return /^\[?[\da-f:.]+\]?$/i.test(address) ? undefined : `'${address}' is not an IPv6 address`;
  return hostProblem(address);
}

/**
 * Removes a comment: `#` or `;` at the start of a line, or `#` after a space, outside quotes.
 * @param {string} content
 */
function stripComment(content) {
  if (content.startsWith('#') || content.startsWith(';')) return '';
  let quote = '';
  for (let i = 0; i < content.length; i++) {
    const c = content[i];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '#' && /[ \t\v\f\r]/.test(content[i - 1] ?? ' ')) {
      return trimSpace(content.slice(0, i));
    }
  }
  return content;
}

/**
 * A value without its quotes. MariaDB keeps a quote that does not close as part of the value, and then finds no
 * such folder or address; the miniature stops at the quote.
 * @param {string} value
 * @param {() => never} unclosed
 */
function unquote(value, unclosed) {
  const first = value[0];
  if (first !== '"' && first !== "'") return value;
  if (value.length < 2 || !value.endsWith(first)) unclosed();
  return value.slice(1, -1);
}
