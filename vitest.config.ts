import {defineConfig} from 'vitest/config';

/**
 * Unit tests of the site: specs next to the code they test (src/, the Docusaurus plugins in plugins/, and scripts/).
 * They run in Node; a spec that needs a DOM says so itself with a `// @vitest-environment` comment.
 * The kit and the runner use Node's own test runner (`npm run test:kit`, `npm run test:runner`).
 */
export default defineConfig({
  // As Docusaurus builds them: `@site/...` from the tsconfig's paths, and JSX for React 17+ (the tsconfig preserves it).
  resolve: {tsconfigPaths: true},
  oxc: {jsx: {runtime: 'automatic'}},
  test: {
    include: ['src/**/*.test.{ts,tsx}', 'plugins/**/*.test.{ts,tsx}', 'scripts/**/*.test.ts'],
    environment: 'node',
  },
});
