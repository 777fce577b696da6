/**
 * Before the end-to-end tests: check that Chromium and a build exist, read the sidebar's pages, and serve build/
 * with scripts/serve.mjs (the isolation headers included) on a free port. Returns the teardown that stops it.
 */
import {existsSync} from 'node:fs';
import {chromiumMissing} from './support/chromium';
import {readSidebarPages} from './support/pages';
import {startPreview} from './support/processes';

export default async function globalSetup(): Promise<() => Promise<void>> {
  if (chromiumMissing) {
    fail(chromiumMissing);
  }
  if (!existsSync('build/index.html')) {
    fail('No build in build/: run `npm run build` before `npm run test:e2e` (`npm test` does both)');
  }
  process.env.E2E_PAGES = JSON.stringify(readSidebarPages());
  const preview = await startPreview();
  process.env.E2E_BASE_URL = preview.url;
  return () => preview.stop();
}

/** Stops the run with one line that says what to do, rather than a stack trace. */
function fail(message: string): never {
  console.error(`\n${message}\n`);
  process.exit(1);
}
