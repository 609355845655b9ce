// End-to-end journeys in a real Chromium (Debian's /usr/bin/chromium) against serve mode and a
// real ThetaSecure server, both started per test by fixtures.ts. The Electron suite has its own
// config under e2e/electron/.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from '@playwright/test';

const e2eDir = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(e2eDir, '..');

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'];

export default defineConfig({
  testDir: e2eDir,
  // The screen pass has its own config (npm run screenshots).
  testIgnore: ['electron/**', 'screens/**'],
  // One browser, one server and one serve mode at a time: the machine has 2 shared cores.
  workers: 1,
  fullyParallel: false,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  forbidOnly: true,
  retries: 0,
  reporter: [['list'], ['json', { outputFile: path.join(repoRoot, 'test-results', 'e2e.json') }]],
  outputDir: path.join(repoRoot, 'test-results', 'e2e-artifacts'),
  // toHaveScreenshot() baselines and the screenshots the journeys save live in e2e/screenshots/.
  snapshotPathTemplate: '{testDir}/screenshots/{arg}{ext}',
  use: {
    browserName: 'chromium',
    headless: true,
    launchOptions: { executablePath: process.env.THETASECURE_CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS },
    viewport: { width: 1280, height: 800 },
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
  },
});
