import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const electronBan = { name: 'electron', message: 'Core and contract code never import electron: the shell in main/app is the only place for it.' };

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] } },
  },
  {
    files: ['renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': ['error', {
        paths: [electronBan],
        patterns: [
          { group: ['node:*'], message: 'The renderer runs in a browser sandbox; ask the Node side through the contract.' },
          { group: ['**/main/core/**', '**/main/handlers*', '**/main/host/**', '**/main/app/**'], message: 'The renderer talks to window.modelpilot only (renderer/lib/api.ts).' },
        ],
      }],
    },
  },
  {
    files: ['main/core/**', 'main/contract/**', 'main/handlers.ts', 'main/handlers/**', 'main/data/**', 'main/workers/**', 'main/host/**', 'main/cli/**', 'main/training/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [electronBan], patterns: [{ group: ['electron/*'], message: electronBan.message }] }] },
  },
  {
    files: ['test/**'],
    // Playwright reads a fixture's dependencies from its destructuring, so `async ({}, use)` is required.
    rules: { '@typescript-eslint/no-explicit-any': 'off', 'no-empty-pattern': 'off' },
  },
);
