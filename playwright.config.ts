import {defineConfig, devices} from '@playwright/test';
import {chromiumArgs, chromiumPath} from './e2e/support/chromium';

/**
 * End-to-end tests: Chromium against the production build, served by scripts/serve.mjs with the cross-origin
 * isolation headers (see e2e/global-setup.ts). Run `npm run build` first; `npm test` does.
 * A failing test leaves a screenshot and the page's trace in test-results/.
 */
export default defineConfig({
  testDir: 'e2e',
  globalSetup: './e2e/global-setup.ts',
  outputDir: 'test-results',
  timeout: 60_000,
  expect: {timeout: 15_000},
  fullyParallel: false,
  workers: 2,
  retries: 0,
  forbidOnly: Boolean(process.env.CI),
  reporter: [['list']],
  use: {
    ...devices['Desktop Chrome'],
    viewport: {width: 1280, height: 800},
    colorScheme: 'light',
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {executablePath: chromiumPath, args: chromiumArgs},
  },
});
