// @ts-check
/**
 * Lint for the whole repository: TypeScript and TSX of the site (typescript-eslint, React hooks), and the plain
 * JavaScript of the kit, the runner, the scripts, the benchmarks and the site's static scripts (@eslint/js).
 * Type errors are TypeScript's job (`npm run typecheck`); this catches what compiles but is likely a mistake.
 */
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

/** The globals each kind of plain JavaScript file may use (the `globals` package is not a dependency). */
const nodeGlobals = Object.fromEntries(
  [
    'process', 'console', 'Buffer', 'URL', 'URLSearchParams', 'AbortController', 'AbortSignal', 'TextEncoder',
    'TextDecoder', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'clearImmediate',
    'queueMicrotask', 'structuredClone', 'performance', 'fetch', 'Request', 'Response', 'Headers', 'Blob',
    'ReadableStream', 'WritableStream', 'TransformStream', 'EventTarget', 'Event', 'crypto', 'globalThis',
  ].map((name) => [name, 'readonly']),
);
const browserGlobals = Object.fromEntries(
  [
    'window', 'document', 'navigator', 'location', 'sessionStorage', 'localStorage', 'console', 'self', 'URL',
    'fetch', 'Request', 'Response', 'Headers', 'setTimeout', 'clearTimeout',
  ].map((name) => [name, 'readonly']),
);

export default tseslint.config(
  {
    ignores: [
      'build/',
      '.docusaurus/',
      'node_modules/',
      '.cache/',
      'test-results/',
      'playwright-report/',
      '**/*.d.ts',
      // A kit tier built into one file (labs/tier-bundles.js), which an edition's kit keeps: made, not written.
      '**/kit/*/bundle.js',
    ],
  },
  {
    files: ['**/*.{js,mjs,cjs}'],
    extends: [js.configs.recommended],
    languageOptions: {ecmaVersion: 2022, sourceType: 'module', globals: nodeGlobals},
    rules: {
      'no-unused-vars': ['error', {argsIgnorePattern: '^_', caughtErrors: 'none'}],
      // Terminal output and logs are stripped of escape sequences and control characters on purpose.
      'no-control-regex': 'off',
    },
  },
  {
    // Scripts that run in the browser, served as they are from static/.
    files: ['static/**/*.js'],
    languageOptions: {sourceType: 'script', globals: browserGlobals},
  },
  {
    // Benchmarks drive a browser: the callbacks they hand to page.evaluate() run in the page.
    files: ['bench/**/*.mjs'],
    languageOptions: {globals: {...nodeGlobals, ...browserGlobals}},
  },
  {
    files: ['**/*.{ts,tsx}'],
    extends: [tseslint.configs.recommended],
    plugins: {'react-hooks': reactHooks},
    rules: {
      ...reactHooks.configs.recommended.rules,
      '@typescript-eslint/no-unused-vars': ['error', {argsIgnorePattern: '^_', caughtErrors: 'none'}],
      '@typescript-eslint/consistent-type-imports': ['error', {fixStyle: 'inline-type-imports'}],
    },
  },
  {
    // Tests build fakes of the browser and of services, and compare output column for column.
    files: ['**/*.test.{js,ts,tsx}', 'e2e/**'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      'no-regex-spaces': 'off',
    },
  },
);
