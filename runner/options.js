// @ts-check
/**
 * The runner's command line, and the defaults it falls back on:
 *   --port N          the port on 127.0.0.1 (default 7300; 0 picks a free one)
 *   --origin URL      a page address that may connect; repeatable; replaces the defaults
 *   --site URL        the course page that the printed link opens (default: the deployed site, from site.config.mjs)
 *   --token TOKEN     a fixed token instead of a new random one at every start (other users of this machine can
 *                     read a command line: leave it out on a shared machine)
 *   --workspace DIR   where the labs' workspaces are made (default .labs-workspace/ in the project)
 *   --shell PATH      the terminal's shell (default: $SHELL, else bash, else sh)
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const DEFAULT_PORT = 7300;
/** The development server (`npm start`, `npm run dev`) and the preview of a build (`npm run serve`). */
const LOCAL_SITE_ORIGINS = ['http://localhost:3000', 'http://127.0.0.1:3000'];
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{16,256}$/;

export const USAGE = `Usage: npm run labs -- [--port 7300] [--origin URL]... [--site URL] [--token TOKEN] [--workspace DIR] [--shell PATH]
Runs the course's labs on this machine, for the course page to drive. See runner/README.md.`;

/** A command line the runner cannot use; its message says what to do. */
export class UsageError extends Error {}

/**
 * @typedef {object} Options
 * @property {boolean} help
 * @property {number} port
 * @property {string[]} origins
 * @property {string} site      the page the printed link opens
 * @property {string} token
 * @property {string} workspaceRoot
 * @property {string} [shell]
 */

/**
 * @param {string[]} argv the arguments after `node runner`
 * @param {{ projectRoot: string, env?: NodeJS.ProcessEnv }} where
 * @returns {Promise<Options>}
 */
export async function parseOptions(argv, { projectRoot, env = process.env }) {
  /** @type {ReturnType<typeof parseArgs<{ options: typeof FLAGS }>>['values']} */
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: FLAGS, strict: true, allowPositionals: false }));
  } catch (error) {
    throw new UsageError(`${/** @type {Error} */ (error).message}\n${USAGE}`);
  }

  const port = values.port === undefined ? DEFAULT_PORT : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port ${values.port}: a port is a whole number from 0 to 65535`);
  if (values.token !== undefined && !TOKEN_SHAPE.test(values.token)) {
    throw new UsageError('--token: a token is 16 to 256 letters, digits, - or _ (leave it out to get a random one)');
  }
  const origins = values.origin?.length ? values.origin.map((o) => originOf(o, '--origin')) : [...LOCAL_SITE_ORIGINS];
  const site = values.site ?? await deployedSite(projectRoot, env) ?? `${origins[0]}/`;
  if (!origins.includes(originOf(site, '--site'))) origins.push(originOf(site, '--site'));
  return {
    help: Boolean(values.help),
    port,
    origins,
    site,
    token: values.token ?? randomBytes(32).toString('base64url'),
    workspaceRoot: path.resolve(values.workspace ?? path.join(projectRoot, '.labs-workspace')),
    shell: values.shell,
  };
}

const FLAGS = /** @type {const} */ ({
  port: { type: 'string' },
  origin: { type: 'string', multiple: true },
  site: { type: 'string' },
  token: { type: 'string' },
  workspace: { type: 'string' },
  shell: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
});

/**
 * The course page that the link opens, with the runner's address and token in its fragment (`#...`): a browser
 * never sends the fragment to any server, and the page moves the token into its own sessionStorage.
 * @param {string} site e.g. `https://you.github.io/scale-up/`
 * @param {number} port
 * @param {string} token
 */
export function runnerLink(site, port, token) {
  const url = new URL(site);
  url.hash = `runner=${port}&token=${token}`;
  return url.href;
}

/**
 * The deployed site's address, from the site identity file (site.config.mjs), when the project has one.
 * @param {string} projectRoot
 * @param {NodeJS.ProcessEnv} env
 * @returns {Promise<string | undefined>}
 */
async function deployedSite(projectRoot, env) {
  const file = path.join(projectRoot, 'site.config.mjs');
  if (!existsSync(file)) return undefined;
  const { resolveSite } = await import(pathToFileURL(file).href);
  try {
    const site = resolveSite(env);
    return `${site.url}${site.baseUrl}`;
  } catch (error) {
    throw new UsageError(/** @type {Error} */ (error).message);
  }
}

/**
 * @param {string} address
 * @param {string} flag
 */
function originOf(address, flag) {
  let url;
  try {
    url = new URL(address);
  } catch {
    throw new UsageError(`${flag} ${address}: not an address; write it in full, like https://you.github.io`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`${flag} ${address}: only http and https pages can connect`);
  return url.origin;
}
