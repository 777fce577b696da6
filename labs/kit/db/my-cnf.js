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
 * skipped with a warning instead, as on the real server.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, supportedHint } from '../lib/config-error.js';

/** The groups that mysqld and mariadbd read. */
const SERVER_GROUPS = ['mysqld', 'server', 'mariadb', 'mariadbd'];

/** The options the miniature uses. */
const USED = ['port', 'bind-address', 'datadir', 'init-file'];

/** Real options that the miniature accepts and ignores: they tune machinery it does not have. */
const IGNORED = ['user', 'pid-file', 'socket', 'log-error', 'skip-name-resolve', 'character-set-server',
  'collation-server', 'max-connections', 'innodb-buffer-pool-size', 'innodb-flush-log-at-trx-commit', 'sync-binlog'];

/**
 * @typedef {object} MyCnf
 * @property {string} file
 * @property {number} port
 * @property {string} bindAddress
 * @property {string} datadir              an absolute path
 * @property {string | undefined} initFile an absolute path
 * @property {Record<string, number>} lines the line each used option was set on, for later error messages
 * @property {string[]} warnings
 */

/** @param {string} file */
export function readMyCnf(file) {
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError({ file, line: 0 }, `cannot read the option file: ${/** @type {Error} */ (error).message}`,
      'check the path given to --defaults-file');
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
  /** @type {string | undefined} */
  let group;
  text.split('\n').forEach((raw, index) => {
    const line = index + 1;
    const content = stripComment(raw.trim());
    if (content === '') return;
    const header = /^\[\s*([^\]]*?)\s*\]$/.exec(content);
    if (header) {
      group = header[1].toLowerCase();
      return;
    }
    if (content.startsWith('!')) {
      throw new ConfigError({ file, line, directive: content.split(/\s/)[0] }, 'include directives are not supported by the miniature',
        'write the options into this file itself');
    }
    if (group === undefined) {
      throw new ConfigError({ file, line }, `found option without preceding group: '${content}'`, 'put a line [mysqld] before the server options');
    }
    if (!SERVER_GROUPS.includes(group)) return;
    const equals = content.indexOf('=');
    const written = (equals < 0 ? content : content.slice(0, equals)).trim();
    const value = equals < 0 ? '' : unquote(content.slice(equals + 1).trim());
    let name = written.toLowerCase().replaceAll('_', '-');
    const loose = name.startsWith('loose-');
    if (loose) name = name.slice('loose-'.length);
    if (USED.includes(name)) {
      if (value === '') throw new ConfigError({ file, line, directive: written }, 'option requires a value', `write it as ${name} = value`);
      options.set(name, { value, line });
    } else if (loose && !IGNORED.includes(name)) {
      warnings.push(`${file}:${line}: unknown option '${written}' skipped (it has the loose- prefix)`);
    } else if (!IGNORED.includes(name)) {
      throw new ConfigError({ file, line, directive: written }, `unknown variable '${content}'`,
        `${supportedHint(name, [...USED, ...IGNORED])} (prefix an option with loose- to make the server skip it when it does not know it)`);
    }
  });
  return settle(options, file, warnings);
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
  const datadir = options.get('datadir')?.value ?? 'data';
  const initFile = options.get('init-file')?.value;
  return {
    file,
    port: Number(port?.value ?? 3306),
    bindAddress: bind?.value ?? '0.0.0.0',
    // The real server resolves a relative datadir against its basedir; the miniature, against this file's folder.
    datadir: path.resolve(folder, datadir),
    initFile: initFile === undefined ? undefined : path.resolve(folder, initFile),
    lines: Object.fromEntries([...options].map(([name, { line }]) => [name, line])),
    warnings,
  };
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
    } else if (c === '#' && /\s/.test(content[i - 1] ?? ' ')) {
      return content.slice(0, i).trim();
    }
  }
  return content;
}

/** @param {string} value */
function unquote(value) {
  const first = value[0];
  return (first === '"' || first === "'") && value.length > 1 && value.endsWith(first) ? value.slice(1, -1) : value;
}
