// The screen pass (`npm run screenshots`): every screen and dialog at 1024, 1280, 1440 and 1920
// px, light and dark, saved to docs/screenshots/<width>-<scheme>-<screen>.png, with axe-core on
// each. Not part of `npm test` (about 100 screenshots and axe runs); the normal suite has its own
// axe spec at one width (e2e/axe-screens.spec.ts).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from '@playwright/test';
import base from '../playwright.config.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..', '..');

export default defineConfig({
  ...base,
  testDir: here,
  testIgnore: [],
  timeout: 20 * 60_000,
  reporter: [['list']],
  outputDir: path.join(repoRoot, 'test-results', 'screens-artifacts'),
});
