// @ts-check
/**
 * Numbers in haproxy.cfg. Times take HAProxy's units, and a bare number is milliseconds:
 * `timeout connect 5000` is 5 seconds, so is `timeout connect 5s`; `inter 2s`, `timeout client 1m`.
 */
import { ConfigError } from '../lib/config-error.js';

/** @type {Record<string, number>} milliseconds per unit */
const TIME_UNITS = { us: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * @typedef {{ file: string, line: number, directive: string }} Where
 */

/**
 * @param {string | undefined} text e.g. `5s`, `500`, `1m`
 * @param {Where} where
 * @returns {number} milliseconds
 */
export function parseTime(text, where) {
  const match = /^(\d+)(us|ms|s|m|h|d)?$/.exec(text ?? '');
  if (!match) {
    throw new ConfigError(where, text === undefined ? 'a time is missing' : `'${text}' is not a time`,
      'write a number of milliseconds (5000) or a number with a unit: us, ms, s, m, h, d (5s, 1m)');
  }
  return Math.ceil(Number(match[1]) * TIME_UNITS[match[2] ?? 'ms']);
}

/**
 * @param {string | undefined} text
 * @param {Where} where
 * @param {number} min
 * @param {number} max
 */
export function parseInteger(text, where, min, max) {
  const value = /^\d+$/.test(text ?? '') ? Number(text) : NaN;
  if (!(value >= min && value <= max)) {
    throw new ConfigError(where, text === undefined ? 'a number is missing' : `'${text}' is not a valid number here`,
      `write a whole number from ${min} to ${max}`);
  }
  return value;
}
