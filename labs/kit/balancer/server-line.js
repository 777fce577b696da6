// @ts-check
/**
 * The options of a `server` line, and of `default-server`, which sets them for the servers declared after it:
 *
 *   default-server inter 1s fall 2 rise 2
 *   server web-01 web-01:80 check weight 2
 *   server web-02 web-02:80 check backup
 */
import { ConfigError, supportedHint } from '../lib/config-error.js';
import { parseInteger, parseTime } from './units.js';

/**
 * @typedef {object} ServerOptions
 * @property {boolean} check     run health checks (without it the server is always considered UP)
 * @property {number} inter      milliseconds between two checks (HAProxy's default: 2s)
 * @property {number} fall       consecutive failed checks that mark an UP server DOWN (default 3)
 * @property {number} rise       consecutive passed checks that mark a DOWN server UP (default 2)
 * @property {number} weight     share of the traffic, 0 to 256 (default 1)
 * @property {boolean} backup    used only when no active (non-backup) server is UP
 * @property {boolean} disabled  in maintenance: never used, never checked
 */

/** @type {Readonly<ServerOptions>} */
export const SERVER_DEFAULTS = Object.freeze({ check: false, inter: 2000, fall: 3, rise: 2, weight: 1, backup: false, disabled: false });

const FLAGS = ['check', 'no-check', 'backup', 'no-backup', 'disabled', 'enabled'];
const WITH_VALUE = ['inter', 'fall', 'rise', 'weight'];

/** Options that real HAProxy has, with the reason the miniature lacks them. */
const NOT_HERE = /** @type {Record<string, string>} */ ({
  maxconn: 'the miniature has no request queue, so it cannot limit connections per server',
  ssl: 'the miniature speaks plain HTTP only', 'check-ssl': 'the miniature speaks plain HTTP only',
  port: 'checks go to the server address itself', addr: 'checks go to the server address itself',
  cookie: 'the miniature has no cookie persistence', fastinter: 'every check uses inter', downinter: 'every check uses inter',
});

/**
 * @param {string[]} words the options after the address
 * @param {ServerOptions} base  the defaults in force (from default-server)
 * @param {{ file: string, line: number, directive: string }} where
 * @returns {ServerOptions}
 */
export function parseServerOptions(words, base, where) {
  const options = { ...base };
  for (let i = 0; i < words.length; i++) {
    const word = words[i];
    const at = { ...where, directive: `${where.directive} ... ${word}` };
    switch (word) {
      case 'check': options.check = true; break;
      case 'no-check': options.check = false; break;
      case 'backup': options.backup = true; break;
      case 'no-backup': options.backup = false; break;
      case 'disabled': options.disabled = true; break;
      case 'enabled': options.disabled = false; break;
      case 'inter': options.inter = Math.max(1, parseTime(words[++i], at)); break;
      case 'fall': options.fall = parseInteger(words[++i], at, 1, 1000); break;
      case 'rise': options.rise = parseInteger(words[++i], at, 1, 1000); break;
      case 'weight': options.weight = parseInteger(words[++i], at, 0, 256); break;
      default:
        throw new ConfigError(at, NOT_HERE[word] ? `server option '${word}' is not supported: ${NOT_HERE[word]}` : `unknown server option '${word}'`,
          supportedHint(word, [...FLAGS, ...WITH_VALUE]));
    }
  }
  return options;
}
