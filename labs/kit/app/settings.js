// @ts-check
/**
 * The application's settings, from flags or from the environment (a flag wins), as twelve-factor apps read them:
 *
 *   node kit/app --port 3000 --db db-01:3306 --db-user app --db-password secret --database shop
 *   APP_PORT=3000 DB_ADDRESS=db-01:3306 DB_USER=app DB_PASSWORD=secret DB_NAME=shop node kit/app
 *
 * A password in an environment variable stays out of `ps` output, which shows every flag to every user.
 */
import { ConfigError, supportedHint } from '../lib/config-error.js';
import { hostProblem } from '../lib/host-address.js';
import { parseAddress } from '../lib/network.js';

/** @typedef {{ port: number, db: string, user: string, password: string, database: string, help: boolean }} Settings */

/** flag -> [environment variable, setting, default] */
const FLAGS = {
  '--port': ['APP_PORT', 'port', '3000'],
  '--db': ['DB_ADDRESS', 'db', '127.0.0.1:3306'],
  '--db-user': ['DB_USER', 'user', 'app'],
  '--db-password': ['DB_PASSWORD', 'password', ''],
  '--database': ['DB_NAME', 'database', 'shop'],
};

export const USAGE = `usage: node kit/app [--port 3000] [--db db-01:3306] [--db-user app] [--db-password secret] [--database shop]
  every flag can also be set in the environment: ${Object.entries(FLAGS).map(([flag, [env]]) => `${flag} as ${env}`).join(', ')}`;

/**
 * @param {string[]} args
 * @param {NodeJS.ProcessEnv} env
 * @returns {Settings}
 */
export function readSettings(args, env) {
  /** @type {Record<string, string>} */
  const values = {};
  /** @type {Record<string, string>} where each value came from, for error messages */
  const sources = {};
  for (const [variable, key, fallback] of Object.values(FLAGS)) {
    values[key] = env[variable] ?? fallback;
    sources[key] = env[variable] === undefined ? 'the default' : `environment variable ${variable}`;
  }
  let help = false;
  for (let i = 0; i < args.length; i++) {
    const equals = args[i].indexOf('=');
    const flag = equals < 0 ? args[i] : args[i].slice(0, equals);
    const inline = equals < 0 ? undefined : args[i].slice(equals + 1);
    if (flag === '--help' || flag === '-h') {
      help = true;
      continue;
    }
    if (!flag.startsWith('-')) {
      throw usageError(`unexpected argument '${args[i]}': every setting is a flag with its value, such as --port 3000`, USAGE);
    }
    if (!(flag in FLAGS)) throw usageError(`unknown flag '${flag}'`, `${supportedHint(flag, Object.keys(FLAGS))}, --help`);
    const value = inline ?? args[++i];
    if (value === undefined || (inline === undefined && value.startsWith('--'))) {
      throw usageError(`flag '${flag}' needs a value${value === undefined ? '' : `, not the next flag '${value}'`}`, USAGE);
    }
    const key = FLAGS[/** @type {keyof typeof FLAGS} */ (flag)][1];
    values[key] = value;
    sources[key] = `flag ${flag}`;
  }
  if (!/^\d+$/.test(values.port) || Number(values.port) < 1 || Number(values.port) > 65535) {
    throw usageError(`${sources.port}: '${values.port}' is not a port number`, 'a port is a number from 1 to 65535, such as 3000');
  }
  const badDb = addressProblem(values.db);
  if (badDb) throw usageError(`${sources.db}: ${badDb}`, 'name the database server and its port, HOST:PORT, such as db-01:3306 or 10.0.0.41:3306');
  for (const key of ['user', 'database']) {
    if (values[key] === '') throw usageError(`${sources[key]}: the ${key === 'user' ? 'database user' : 'database name'} is empty`, USAGE);
  }
  return { port: Number(values.port), db: values.db, user: values.user, password: values.password, database: values.database, help };
}

/**
 * What is wrong with the database's address, or undefined.
 * @param {string} address
 */
function addressProblem(address) {
  if (address.trim() === '') return 'the address is empty';
  let host;
  try {
    host = parseAddress(address).host;
  } catch (error) {
    return /** @type {Error} */ (error).message;
  }
  return hostProblem(host);
}

/** @param {string} message @param {string} hint */
function usageError(message, hint) {
  return new ConfigError({ file: 'command line', line: 0 }, message, hint);
}
