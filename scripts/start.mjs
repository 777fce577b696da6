// @ts-check
/**
 * `npm start`: the course on this machine, for a learner. Starts the Docusaurus development server (which sends
 * the cross-origin isolation headers, see src/plugins/crossOriginIsolation.ts) and, beside it, the local lab runner
 * (runner/), then prints the address to open. Ctrl-C stops both.
 *
 *   npm start [-- --port 3000] [-- --no-runner]
 *
 * Search only works in a production build (`npm run build && npm run serve`): its index is made by the build.
 */
import {spawn} from 'node:child_process';
import {existsSync} from 'node:fs';
import {createServer} from 'node:net';
import {createRequire} from 'node:module';
import path from 'node:path';
import {parseArgs} from 'node:util';
import {resolveSite} from '../site.config.mjs';

const {values} = parseArgs({
  options: {
    port: {type: 'string', default: process.env.PORT ?? '3000'},
    'no-runner': {type: 'boolean', default: false},
  },
});

const port = await firstFreePort(Number(values.port));
const origin = `http://localhost:${port}`;
const courseUrl = `${origin}${resolveSite().baseUrl}`;
const docusaurus = path.join(
  path.dirname(createRequire(import.meta.url).resolve('@docusaurus/core/package.json')),
  'bin/docusaurus.mjs',
);

/** @type {import('node:child_process').ChildProcess[]} */
const children = [];
let stopping = false;

const site = spawn(process.execPath, [docusaurus, 'start', '--port', String(port), '--host', 'localhost', '--no-open'], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
children.push(site);
site.stdout?.on('data', (chunk) => {
  process.stdout.write(chunk);
  if (String(chunk).includes('running at')) {
    console.log(`\nThe course is at ${courseUrl} (cross-origin isolated, so the labs run in the browser). Ctrl-C stops it.\n`);
  }
});

// INTEGRATION POINT (the lab runner): runner/ runs the labs on this machine for browsers that cannot run them
// (Safari, iOS). It only accepts pages from the origins it is given, and prints the link (with its token) to open.
if (!values['no-runner'] && existsSync('runner/index.js')) {
  const runner = spawn(
    process.execPath,
    ['runner', '--site', courseUrl, '--origin', origin, '--origin', `http://127.0.0.1:${port}`],
    {stdio: 'inherit'},
  );
  children.push(runner);
}

for (const child of children) {
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`${child === site ? 'The development server' : 'The lab runner'} stopped (${signal ?? `exit ${code}`}); stopping the rest.`);
      void stopAll(code ?? 1, 0);
    }
  });
}
// Ctrl-C in the terminal reaches every process of the group at once: the children stop by themselves, and a second
// signal from here would make the runner quit without stopping its labs. Any other way of stopping is passed on.
process.on('SIGINT', () => void stopAll(0, 2_000));
process.on('SIGTERM', () => void stopAll(0, 0));
process.on('SIGHUP', () => void stopAll(0, 0));

/**
 * Stops every child and exits: waits `grace` ms for them to stop by themselves, then sends SIGTERM, and SIGKILL to
 * what is left after 15 s more.
 * @param {number} code
 * @param {number} grace
 */
async function stopAll(code, grace) {
  if (stopping) {
    return;
  }
  stopping = true;
  await Promise.all(
    children.map(
      (child) =>
        new Promise((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) {
            resolve(undefined);
            return;
          }
          const terminate = setTimeout(() => child.kill('SIGTERM'), grace);
          const kill = setTimeout(() => child.kill('SIGKILL'), grace + 15_000);
          child.once('exit', () => {
            clearTimeout(terminate);
            clearTimeout(kill);
            resolve(undefined);
          });
        }),
    ),
  );
  process.exit(code);
}

/** The first port from `preferred` on that nothing listens on (Docusaurus would otherwise stop to ask). */
async function firstFreePort(/** @type {number} */ preferred) {
  for (let candidate = preferred; candidate < preferred + 20; candidate += 1) {
    if (await isFree(candidate)) {
      return candidate;
    }
  }
  throw new Error(`Ports ${preferred} to ${preferred + 19} are all in use: pass another with \`npm start -- --port N\``);
}

function isFree(/** @type {number} */ port) {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, 'localhost', () => probe.close(() => resolve(true)));
  });
}
