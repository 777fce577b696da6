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
  // A lab's ports are its own (20000 + its number x 100), so two tests that run the same lab at once would collide:
  // the tests that start labs run one at a time, beside the others.
  projects: [
    {name: 'site', testIgnore: /lab[\w-]*\.spec\.ts$/},
    {name: 'labs', testMatch: /lab[\w-]*\.spec\.ts$/, workers: 1},
  ],
  use: {
    ...devices['Desktop Chrome'],
    viewport: {width: 1280, height: 800},
    colorScheme: 'light',
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {executablePath: chromiumPath, args: chromiumArgs},
  },
});
