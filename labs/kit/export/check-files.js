// @ts-check
/**
 * Is a configuration file of the workspace fit to export? The miniature's own reading of the file says so (it
 * holds to the real programs' verdicts, see labs/kit/README.md), and one thing more that only the real programs
 * meet: a host name that no DNS knows. A broken file is still exported, as the learner wrote it; these messages
 * tell them which file and line to fix first.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseConfig } from '../balancer/config.js';
import { readMyCnf } from '../db/my-cnf.js';
import { ConfigError } from '../lib/config-error.js';
/** @typedef {import('../lib/network.js').Network} Network */
import { parseKeepalivedConf } from '../vrrp/config.js';
import { loadConfig } from '../web/config.js';

/** @type {Record<string, (file: string, network: Network) => unknown>} */
const READERS = {
  balancer: (file, network) => parseConfig(readFileSync(file, 'utf8'), file, network),
  web: (file, network) => loadConfig(file, { prefix: path.dirname(file), network }),
  vrrp: (file) => parseKeepalivedConf(readFileSync(file, 'utf8'), file),
  db: (file) => readMyCnf(file),
};

/** `server web-01 web-01:80` in haproxy.cfg, `server web-01:80;` or `proxy_pass http://app-01:3000` in nginx.conf. */
const HOST_NAMES = {
  balancer: /^\s*server\s+\S+\s+([a-z][\w.-]*):\d+/gim,
  web: /^\s*(?:server\s+|proxy_pass\s+https?:\/\/)([a-z][\w.-]*)(?::\d+)?[\s;/]/gim,
};

/**
 * What is wrong with one file, each message naming the line; empty when nothing is.
 * @param {string} program  a kit program: balancer, web, vrrp, db, app
 * @param {string} file  an absolute path; messages name it relative to the workspace (the folder above its server's)
 * @param {Network} network  the lab's network table, so that the file is read as the lab reads it
 * @returns {string[]}
 */
export function fileProblems(program, file, network) {
  const read = READERS[program];
  if (!read) return [];
  const workspace = `${path.dirname(path.dirname(file))}${path.sep}`;
  /** @param {string} text */
  const shown = (text) => text.split(workspace).join('');
  /** @type {string[]} */
  const problems = [];
  try {
    read(file, network);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(shown(error.format()));
  }
  if (problems.length === 0) problems.push(...hostNames(program, file).map(shown));
  return problems;
}

/**
 * Upstream servers named by a host name: the lab's table and Docker's DNS know them, but on a machine of its own
 * (run-netns.sh) HAProxy and nginx refuse to start with a name they cannot resolve.
 * @param {string} program
 * @param {string} file
 */
function hostNames(program, file) {
  const pattern = HOST_NAMES[/** @type {keyof typeof HOST_NAMES} */ (program)];
  if (!pattern) return [];
  const text = readFileSync(file, 'utf8');
  const upstreams = new Set([...text.matchAll(/^\s*upstream\s+(\S+)/gm)].map((m) => m[1]));
  return text.split('\n').flatMap((line, i) => [...line.matchAll(pattern)]
    .filter((m) => m[1] !== 'localhost' && !upstreams.has(m[1]))
    .map((m) => `${file}:${i + 1}: '${m[1]}' is a host name: the real ${program === 'web' ? 'nginx' : 'HAProxy'} must resolve it when it starts,`
      + ` and no DNS knows it in run-netns.sh (Docker's does). Write the server's address instead, such as 10.0.0.21`));
}
