/**
 * The local lab runner for the end-to-end tests: `node runner` on a free port, for pages of the site under test,
 * with a throw-away workspace. Every process of a lab runs under the limits of a WebContainer
 * (scripts/lib/container-limits.mjs, preloaded through NODE_OPTIONS, which the lab's node processes inherit), so the
 * labs are proven here as they will run in a learner's browser.
 */
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {pathToFileURL} from 'node:url';
import {siteUrl} from './pages';
import {freePort, startServer} from './processes';

export const RUNNER_TOKEN = 'e2e-token-0123456789abcdefghijklmnopqrstuv';
const CONTAINER_LIMITS = pathToFileURL(path.resolve('scripts/lib/container-limits.mjs')).href;

export interface TestRunner {
  port: number;
  /** The address of a chapter with the runner's link in its fragment, as the runner prints it. */
  link(chapter: string): string;
  stop(): Promise<void>;
}

export async function startRunner(): Promise<TestRunner> {
  const port = await freePort();
  const workspace = mkdtempSync(path.join(tmpdir(), 'scale-up-e2e-'));
  const runner = await startServer(
    process.execPath,
    ['runner', '--port', String(port), '--origin', new URL(siteUrl()).origin, '--token', RUNNER_TOKEN, '--workspace', workspace],
    {
      ready: /Lab runner on (http:\/\/\S+)/,
      timeoutMs: 15_000,
      env: {NODE_OPTIONS: [process.env.NODE_OPTIONS, `--import=${CONTAINER_LIMITS}`].filter(Boolean).join(' ')},
    },
  );
  return {
    port,
    link: (chapter) => `${siteUrl(chapter)}#runner=${port}&token=${RUNNER_TOKEN}`,
    stop: async () => {
      await runner.stop();
      rmSync(workspace, {recursive: true, force: true});
    },
  };
}
