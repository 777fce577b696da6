// @ts-check
/**
 * The subset of nginx.conf that the miniature reads: which directive may stand in which block, and how many
 * arguments it takes. nginx keeps the same facts in a `ngx_command_t` table in every module (NGX_HTTP_SRV_CONF,
 * NGX_CONF_TAKE1, ...) and answers a misplaced directive with `"proxy_pass" directive is not allowed here`.
 * README.md explains every directive and where the miniature differs from nginx.
 */
import { ConfigError, supportedHint } from '../lib/config-error.js';

/**
 * @typedef {'main' | 'events' | 'http' | 'server' | 'location' | 'upstream'} Context
 * @typedef {object} Spec
 * @property {[number, number]} args   the least and the most arguments
 * @property {boolean} [block]         written with `{ ... }`
 * @property {boolean} [repeat]        may appear more than once in the same block
 * @typedef {object} Entry  a directive of lib/brace-config.js, and the file it was read from (errors in an
 *   included file name that file)
 * @property {string} name
 * @property {string[]} args
 * @property {number} line       where its name is written
 * @property {number} end        where its `;` or `{` is: the line nginx names in an error about it
 * @property {number} [close]    for a block, the line of its `}`
 * @property {string} file
 * @property {Entry[] | undefined} children
 */

/** @type {Spec} */
const one = { args: [1, 1] };
/** @type {Spec} */
const oneOrTwo = { args: [1, 2] };
/** @type {Spec} */
const many = { args: [1, 64], repeat: true };
/** @type {Spec} */
const block = { args: [0, 0], block: true };

/** @type {Record<string, Spec>} the directives every level of `http` shares, inherited from http to server to location */
const inherited = {
  root: one,
  index: many,
  default_type: one,
  sendfile: one,
  keepalive_timeout: oneOrTwo,
  access_log: { args: [1, 2], repeat: true },
  error_log: { args: [1, 2], repeat: true },
  add_header: { args: [2, 3], repeat: true },
  proxy_set_header: { args: [2, 2], repeat: true },
  proxy_connect_timeout: one,
  proxy_read_timeout: one,
  // Several proxy_next_upstream lines in one block add up, as in nginx.
  proxy_next_upstream: { args: [1, 13], repeat: true },
  proxy_next_upstream_tries: one,
  proxy_next_upstream_timeout: one,
  error_page: { args: [2, 64], repeat: true },
};

/** @type {Record<Context, Record<string, Spec>>} */
export const DIRECTIVES = {
  main: { user: oneOrTwo, worker_processes: one, error_log: { args: [1, 2], repeat: true }, pid: one, events: block, http: block },
  events: { worker_connections: one },
  http: { ...inherited, types: block, client_header_timeout: one, upstream: { args: [1, 1], block: true, repeat: true }, server: { ...block, repeat: true } },
  server: { ...inherited, listen: { args: [1, 2], repeat: true }, server_name: many, location: { args: [1, 2], block: true, repeat: true }, try_files: { args: [2, 64] }, return: oneOrTwo },
  location: { ...inherited, try_files: { args: [2, 64] }, proxy_pass: one, return: oneOrTwo },
  upstream: { server: { args: [1, 5], repeat: true } },
};

/**
 * Checks every directive of a block: known, in the right block, the right number of arguments, written once.
 * Blocks below this one are checked when they are read.
 * @param {Entry[]} entries
 * @param {Context} context
 */
export function checkBlock(entries, context) {
  const known = DIRECTIVES[context];
  /** @type {Set<string>} */
  const seen = new Set();
  for (const entry of entries) {
    const at = where(entry);
    const spec = Object.hasOwn(known, entry.name) ? known[entry.name] : undefined;
    if (!spec) {
      const home = /** @type {Context[]} */ (Object.keys(DIRECTIVES)).filter((c) => Object.hasOwn(DIRECTIVES[c], entry.name));
      if (home.length > 0) {
        throw new ConfigError(at, `directive is not allowed in '${context === 'main' ? 'the main context' : context}'`,
          `'${entry.name}' belongs in ${home.map((c) => (c === 'main' ? 'the main context (outside every block)' : `a '${c}' block`)).join(' or ')}`);
      }
      throw new ConfigError(at, 'unknown directive (outside the subset the miniature reads)', supportedHint(entry.name, Object.keys(known)));
    }
    if (spec.block && entry.children === undefined) {
      throw new ConfigError(at, "directive has no opening '{'", `write it as a block: ${[entry.name, ...entry.args].join(' ')} { ... }`);
    }
    if (!spec.block && entry.children !== undefined) {
      throw new ConfigError(at, 'directive is not a block', `end it with ';' instead of a block in braces`);
    }
    const [least, most] = spec.args;
    if (entry.args.length < least || entry.args.length > most) {
      const count = least === most ? `${least}` : `${least} to ${most}`;
      const hint = entry.args.length > most
        ? `'${entry.name}' takes ${count}: is a ';' missing${entry.end > entry.line ? ` at the end of line ${entry.line}` : ''}, so that the next line reads as more arguments?`
        : `'${entry.name}' takes ${count}; see labs/kit/web/README.md`;
      throw new ConfigError(at, `invalid number of arguments (${entry.args.length})`, hint);
    }
    if (!spec.repeat && seen.has(entry.name)) {
      throw new ConfigError(at, 'directive is duplicate', `write '${entry.name}' once in this block`);
    }
    seen.add(entry.name);
  }
}

/**
 * Where a directive stands, for a ConfigError: the line of its `;` or `{`, which nginx names (the same line,
 * but for a directive written over several lines).
 * @param {Entry} entry
 */
export function where(entry) {
  return { file: entry.file, line: entry.end, directive: entry.name };
}

/**
 * The directives inside a block.
 * @param {Entry} entry
 */
export function children(entry) {
  return entry.children ?? [];
}

/**
 * An nginx time: `30` (seconds), `500ms`, `10s`, `1m30s`, `2h`, `1d`.
 * @param {Entry} entry
 * @param {string} text
 * @returns {number} milliseconds
 */
export function readTime(entry, text) {
  const units = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
  if (/^\d+$/.test(text)) return Number(text) * 1_000;
  const parts = [...text.matchAll(/(\d+)(ms|s|m|h|d|w)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text) {
    throw new ConfigError(where(entry), `invalid time "${text}"`, 'write a time as 30s, 500ms, 1m or 1h (a bare number is seconds)');
  }
  return parts.reduce((sum, [, count, unit]) => sum + Number(count) * units[/** @type {keyof units} */ (unit)], 0);
}

/**
 * A host written with digits and dots only that is not an IPv4 address (`300.1.1.1`, `10.0.0`): nginx asks the
 * resolver for it as a name, finds none, and refuses the file ("host not found"). Checked when the file is read,
 * so that the miniature does not try to connect to it later.
 * @param {string} host
 */
export function isBadIpAddress(host) {
  if (!/^[\d.]+$/.test(host)) return false;
  const parts = host.split('.');
  return parts.length !== 4 || parts.some((part) => part === '' || Number(part) > 255);
}

/**
 * `on` or `off`.
 * @param {Entry} entry
 */
export function readSwitch(entry) {
  const value = entry.args[0];
  if (value !== 'on' && value !== 'off') {
    throw new ConfigError(where(entry), `invalid value "${value}"`, `it must be "on" or "off"`);
  }
  return value === 'on';
}
