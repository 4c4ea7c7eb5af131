// Lint rules the build enforces (npm run lint; the full npm test runs it too). See docs/request-path.md.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const httpOnlyFromHttp = {
  patterns: [{
    group: ['**/http/*', '**/http/**', '../http', './http'],
    message: 'Only http/ imports http/: move what you need below it (see docs/request-path.md).',
  }],
};

export default tseslint.config(
  { ignores: ['**/node_modules/**', 'dist/**', 'build/**', 'resources/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      // node:test's test()/describe() return promises the runner itself awaits.
      '@typescript-eslint/no-floating-promises': ['error', {
        allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite'] }],
      }],
      '@typescript-eslint/no-unused-vars': ['error', {
        argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_',
        caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true,
      }],
      'max-lines-per-function': ['warn', { max: 60, skipBlankLines: true, skipComments: true }],
    },
  },
  {
    files: ['proxy/src/{translate,reduce,usage,batch,tools}/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', httpOnlyFromHttp] },
  },
  {
    // Tests: one test() callback often walks a whole scenario; long bodies there read better than helpers.
    files: ['**/test/**/*.ts', '**/*.test.ts', '**/*.test.tsx'],
    // The fake Anthropic upstream and the end-to-end tests walk untyped JSON off the wire; `any` there is
    // counted as a warning rather than failing the build.
    rules: { 'max-lines-per-function': 'off', '@typescript-eslint/no-explicit-any': 'warn' },
  },
);
