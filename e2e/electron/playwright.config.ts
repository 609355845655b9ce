// The Electron end-to-end suite (`npm run test:electron`): the journeys and the security rules
// in the real Electron app (Playwright `_electron`), built from dist/ by `npm run build`.
//
// Where the Electron binary is missing (installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1, as on
// CI here), every test is skipped with the reason and the run prints one line saying so; it
// does not fail. The binary is found the way the `electron` package finds it, without
// requiring that package (its index.js starts a download when the binary is missing).
import { defineConfig } from '@playwright/test';
import type { ReporterDescription } from '@playwright/test';
import { findElectronBinary } from '../../electron/electron-binary.ts';

const electron = findElectronBinary();
const jsonReport: ReporterDescription[] = process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ? [['json']] : [];

export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  outputDir: '../../test-results/electron',
  // Each test starts its own Electron app and reference server: one at a time on 2 shared cores.
  workers: 1,
  fullyParallel: false,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  forbidOnly: !!process.env.CI,
  retries: 0,
  globalSetup: './global-setup.ts',
  reporter: electron.found
    ? [['list'], ...jsonReport]
    : [['./skipped-reporter.ts', { reason: electron.reason }], ...jsonReport],
  use: {
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
});
