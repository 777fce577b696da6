// @ts-check
/**
 * Reads a command's arguments with node's own parser, and turns its complaints into usage errors (exit status 2)
 * that show how the command is meant to be called.
 */
import { parseArgs } from 'node:util';
import { UsageError } from './errors.js';

/**
 * @template {import('node:util').ParseArgsConfig['options']} T
 * @param {string[]} argv
 * @param {T} options
 * @param {string} usage e.g. `lab logs SERVER [SERVICE] [-f] [-n LINES]`
 */
export function parseCommand(argv, options, usage) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(`${/** @type {Error} */ (error).message}\nusage: ${usage}`);
  }
}

/**
 * A whole number given as an option, checked against its bounds.
 * @param {string | undefined} value
 * @param {{ name: string, fallback: number, min: number, max?: number }} rule
 * @returns {{ value: number, capped: boolean }}
 */
export function integerOption(value, { name, fallback, min, max = Number.MAX_SAFE_INTEGER }) {
  if (value === undefined) return { value: fallback, capped: false };
  const number = Number(value);
  if (!Number.isInteger(number) || number < min) throw new UsageError(`${name} must be a whole number of at least ${min}, not '${value}'`);
  return number > max ? { value: max, capped: true } : { value: number, capped: false };
}

/**
 * The SERVER [SERVICE] arguments of start, stop, restart and kill.
 * @param {string[]} positionals
 * @param {string} usage
 * @param {number} [most] how many names the command takes
 */
export function serverArguments(positionals, usage, most = 2) {
  if (positionals.length === 0 || positionals.length > most) throw new UsageError(`usage: ${usage}`);
  return { server: positionals[0], service: positionals[1] };
}
