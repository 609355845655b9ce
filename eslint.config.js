// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

// shared/ is imported by the server, the main process and the renderer, so it may use only
// what all three have: the language, zod and itself. These lists enforce that.
const nodeBuiltins = [
  'assert', 'buffer', 'child_process', 'cluster', 'crypto', 'dgram', 'dns', 'events', 'fs',
  'http', 'http2', 'https', 'net', 'os', 'path', 'process', 'readline', 'stream', 'timers',
  'tls', 'url', 'util', 'v8', 'vm', 'worker_threads', 'zlib',
];
const domGlobals = [
  'window', 'document', 'navigator', 'localStorage', 'sessionStorage', 'location', 'fetch',
  'XMLHttpRequest', 'HTMLElement', 'Element', 'Node', 'process', 'Buffer', 'require',
  '__dirname', '__filename', 'global', 'setImmediate',
];

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'bench/.data/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
      // The renderer reaches the world only through window.thetasecure (architecture §4).
      'no-restricted-imports': ['error', { patterns: [
        { group: ['electron', 'node:*', ...nodeBuiltins], message: 'The renderer has no Node or Electron: call the contract (window.thetasecure).' },
        { group: ['**/electron/**', '**/server/**'], message: 'The renderer imports only renderer/ and shared/.' },
      ] }],
      'no-restricted-globals': ['error', { name: 'fetch', message: 'The renderer never calls the server: use the contract.' }],
    },
  },
  {
    files: ['shared/**/*.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['electron', 'electron/*', 'node:*', ...nodeBuiltins, ...nodeBuiltins.map((m) => `${m}/*`)], message: 'shared/ must not import electron or node modules.' },
        { group: ['react', 'react-dom', 'react-dom/*', '**/renderer/**', '**/electron/**', '**/server/**'], message: 'shared/ imports only shared/ and zod.' },
      ] }],
      'no-restricted-globals': ['error', ...domGlobals.map((name) => ({ name, message: `shared/ must not use ${name}: it runs in the server, the main process and the renderer.` }))],
    },
  },
);
