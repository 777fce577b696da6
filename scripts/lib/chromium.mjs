// @ts-check
/**
 * Where the tests and benchmarks find Chromium: $CHROMIUM_PATH, or Debian's package at /usr/bin/chromium.
 * Playwright's own browser downloads are not used, so everything runs on a machine without internet access.
 */
import {existsSync} from 'node:fs';

export const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** Why Chromium cannot run here, in one line that says what to do; undefined when it can. */
export const chromiumMissing = existsSync(chromiumPath)
  ? undefined
  : `Chromium not found at ${chromiumPath}: install it with \`apt-get install chromium\`, or set CHROMIUM_PATH`;

/**
 * Flags for a headless Chromium on a build machine: no sandbox when running as root (containers), and none of the
 * background traffic (updates, sync, safe browsing lists) that would otherwise try to reach the internet.
 */
export const chromiumArgs = [
  ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-gpu',
  '--no-first-run',
  '--disable-dev-shm-usage',
];
