// Lint: TypeScript's recommended rules, no comma sequences, and, for the React page, the rules of hooks with
// effects that list what they use. Formatting is not linted here.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', '.cache/', 'test-results/', 'playwright-report/', 'public/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  { rules: { 'no-sequences': 'error' } },
  { files: ['**/*.mjs', 'eslint.config.js'], languageOptions: { globals: globals.node } },
  // The end-to-end host page's script runs in the browser.
  { files: ['e2e/fixtures/**/*.js'], languageOptions: { globals: globals.browser } },
  {
    // Only the page uses React; elsewhere a function named use… (useBackend in tests) is not a hook.
    files: ['app/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.recommended.rules, 'react-hooks/exhaustive-deps': 'error' },
  },
);
