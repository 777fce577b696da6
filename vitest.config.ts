import {defineConfig} from 'vitest/config';

/**
 * Unit tests of the site: specs next to the code they test (src/, and the Docusaurus plugins in plugins/).
 * They run in Node; a spec that needs a DOM says so itself with a `// @vitest-environment` comment.
 * The kit and the runner use Node's own test runner (`npm run test:kit`, `npm run test:runner`).
 */
export default defineConfig({
  test: {
    include: ['src/**/*.test.{ts,tsx}', 'plugins/**/*.test.{ts,tsx}'],
    environment: 'node',
  },
});
