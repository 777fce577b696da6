// @ts-check
/**
 * Small readers for keepalived.conf values. Each takes a directive from lib/brace-config.js, checks its value and
 * throws a ConfigError naming the file, the line and the directive when the value is wrong, so that the parser in
 * config.js reads as a list of rules.
 */
import { ConfigError, supportedHint } from '../lib/config-error.js';

/** @typedef {import('../lib/brace-config.js').Directive} Directive */

/**
 * Throws a ConfigError about a directive.
 * @param {Directive} directive
 * @param {string} file
 * @param {string} message
 * @param {string} [hint]
 * @returns {never}
 */
export function fail(directive, file, message, hint) {
  throw new ConfigError({ file, line: directive.line, directive: directive.name }, message, hint);
}

/**
 * Refuses a directive this block does not know.
 * @param {Directive} directive
 * @param {string} file
 * @param {string} block  where it was written, e.g. `vrrp_instance`
 * @param {readonly string[]} known
 * @returns {never}
 */
export function failUnknown(directive, file, block, known) {
  return fail(directive, file, `unknown directive in ${block}`,
    `${supportedHint(directive.name, known)} (the lab reads a subset of keepalived.conf: see kit/vrrp/README.md)`);
}

/**
 * The contents of a block such as `global_defs { ... }`.
 * @param {Directive} directive
 * @param {string} file
 * @param {number} [names] how many words come before the brace (1 for `vrrp_instance VI_1 {`)
 */
export function blockOf(directive, file, names = 0) {
  const example = `${directive.name}${names ? ' NAME' : ''} {`;
  if (!directive.children) fail(directive, file, 'is a block, not a single line', `write it as: ${example} ... }`);
  if (directive.args.length !== names) {
    fail(directive, file, names ? 'needs exactly one name before the brace' : 'takes no words before the brace', `write it as: ${example}`);
  }
  return directive.children;
}

/**
 * The one value of a directive such as `priority 101`.
 * @param {Directive} directive
 * @param {string} file
 */
export function singleValue(directive, file) {
  if (directive.children) fail(directive, file, 'is a single line, not a block', `write it as: ${directive.name} VALUE`);
  if (directive.args.length !== 1) {
    fail(directive, file, directive.args.length === 0 ? 'is missing its value' : `takes one value, not ${directive.args.length}`,
      `write it as: ${directive.name} VALUE`);
  }
  return directive.args[0];
}

/**
 * A directive that stands alone, such as `nopreempt`.
 * @param {Directive} directive
 * @param {string} file
 */
export function flag(directive, file) {
  if (directive.children || directive.args.length > 0) {
    fail(directive, file, 'takes no value', `write the word alone on its line: ${directive.name}`);
  }
  return true;
}

/**
 * A whole number within a range, such as `priority 101` (1 to 255).
 * @param {Directive} directive
 * @param {string} file
 * @param {number} min
 * @param {number} max
 * @param {string} [meaning] what the number means, added to the hint
 */
export function integerIn(directive, file, min, max, meaning) {
  const text = singleValue(directive, file);
  const value = Number(text);
  const hint = `use a whole number from ${min} to ${max}${meaning ? `: ${meaning}` : ''}`;
  if (!/^-?\d+$/.test(text)) fail(directive, file, `'${text}' is not a whole number`, hint);
  if (value < min || value > max) fail(directive, file, `${text} is out of range`, hint);
  return value;
}

/**
 * An IPv4 address such as `10.0.0.11`.
 * @param {string} text
 */
export function isIpv4(text) {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  return match !== null && match.slice(1).every((part) => Number(part) <= 255);
}

/**
 * The IPv4 address a directive names (its one value, or for lines inside `unicast_peer { }` its name).
 * @param {Directive} directive
 * @param {string} file
 * @param {string} text
 */
export function ipv4(directive, file, text) {
  if (!isIpv4(text)) fail(directive, file, `'${text}' is not an IPv4 address`, 'write four numbers from 0 to 255 with dots, as in 10.0.0.11');
  return text;
}

/**
 * Every error of one file. keepalived reads a whole file and reports each error it finds, with its line, before it
 * gives up: so does the miniature, so that a learner fixes them all at once instead of one per run.
 */
export class ConfigErrors extends ConfigError {
  /** @param {ConfigError[]} errors at least one, in the order of their lines */
  constructor(errors) {
    super({ file: errors[0].file, line: errors[0].line, directive: errors[0].directive },
      errors.length === 1 ? errors[0].message : `${errors[0].message} (and ${errors.length - 1} more errors)`, errors[0].hint);
    this.name = 'ConfigErrors';
    this.errors = errors;
  }

  /** Each error as ConfigError prints it, one after the other. */
  format() {
    return this.errors.map((error) => error.format()).join('\n');
  }
}

/**
 * Runs one step of the reading. A ConfigError it throws joins `errors` and the reading goes on with the next step.
 * @template T
 * @param {ConfigError[]} errors
 * @param {() => T} read
 * @returns {T | undefined} what the step read, or undefined when it failed
 */
export function collect(errors, read) {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    errors.push(error);
    return undefined;
  }
}
