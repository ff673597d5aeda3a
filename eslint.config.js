// Lint: TypeScript's recommended rules, no comma sequences, and, for the React page, the rules of hooks with
// effects that list what they use. Formatting is not linted here. The layering is linted too (see LAYERS).
import { readdirSync } from 'node:fs';
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

/**
 * The engine's layers, lowest first. A folder (or a file at the top of src/) imports only from the layers below its
 * own and from itself, never from a sibling of its layer or from above, so no two folders can import each other.
 *   - leaves: the settings schema, the domain helpers (task, number text), seeded random numbers, tfjs, the throttle;
 *   - backend: what a backend is and can do, and the WebGPU program plumbing every kernel of our own uses;
 *   - the losses, the tiny net's layers and architectures, and the tests' backend helpers;
 *   - the hard metrics (they score with the losses' input checks);
 *   - the closed forms of the analytic view, and the reference vectors with their parity check;
 *   - "In your code" (it prints the reference's presets), and the experiment's settings (they list the losses and
 *     the architectures);
 *   - the synthetic data (made from the data settings);
 *   - training;
 *   - the weight-space landscape (it evaluates trained nets);
 *   - the tour (it measures races and landscapes), and the worker (the engine's entry: backend selection and its
 *     self-test, the sessions the page talks to).
 * The page (app/) sits above all of them, and src/ never imports it. Test files may import any layer: nothing
 * imports a test, so it closes no cycle.
 */
const LAYERS = [
  ['schema', 'domain', 'random', 'tf.ts', 'throttle.ts'],
  ['backend'],
  ['losses', 'model', 'testing'],
  ['metrics'],
  ['analytic', 'reference'],
  ['code', 'config'],
  ['data'],
  ['train'],
  ['landscape'],
  ['tour', 'worker'],
];

// A new folder or top-level file of src/ has to take its place above: left out, it would be checked by no zone.
const placed = new Set(LAYERS.flat());
const unplaced = readdirSync(new URL('./src', import.meta.url), { withFileTypes: true })
  .filter((e) => (e.isDirectory() || /(?<!\.test)\.ts$/.test(e.name)) && !placed.has(e.name))
  .map((e) => e.name);
if (unplaced.length > 0) throw new Error(`eslint.config.js: give src/${unplaced.join(', src/')} a layer in LAYERS`);

const layerZones = LAYERS.flatMap((layer, level) =>
  layer.map((name) => ({
    target: `./src/${name}`,
    from: LAYERS.slice(level)
      .flat()
      .filter((other) => other !== name)
      .map((other) => `./src/${other}`),
    message: `src/${name} sits below these in LAYERS (eslint.config.js): move the shared part down, or this file up.`,
  })),
);

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
  {
    files: ['src/**/*.{ts,tsx}', 'app/**/*.{ts,tsx}'],
    plugins: { 'import-x': importX },
    settings: {
      // Which files are modules and how to parse them, for the rules that follow imports (no-cycle).
      'import-x/extensions': ['.ts', '.tsx', '.js', '.mjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })],
    },
    rules: {
      // Value imports only: a cycle of type imports is caught by the layers between folders, and by
      // src/importGraph.test.ts within one.
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [{ target: './src', from: './app', message: 'src/ is the engine: it runs in the worker and in Node, without the page.' }],
        },
      ],
    },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    ignores: ['**/*.test.ts'],
    rules: {
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            { target: './src', from: './app', message: 'src/ is the engine: it runs in the worker and in Node, without the page.' },
            ...layerZones,
          ],
        },
      ],
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['react', 'react-dom', 'react-dom/*'], message: 'src/ runs in a Web Worker and in Node: no React.' }] },
      ],
    },
  },
  {
    // A function is read in one go: split a longer one into named pieces (hooks, cards, steps).
    files: ['src/**/*.{ts,tsx}', 'app/**/*.{ts,tsx}'],
    ignores: ['**/*.test.{ts,tsx}'],
    rules: { 'max-lines-per-function': ['error', { max: 120 }] },
  },
);
