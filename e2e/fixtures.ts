// The Playwright fixture of the serve-mode journeys: per test, a real ThetaSecure server (temp
// SQLite folder, known passwords, random port) and serve mode (temp user data folder, issuer =
// that server), both stopped and deleted after the test.
//
//   import { test, expect } from './fixtures.ts';
//   test('…', async ({ page, app }) => { await page.goto(app.appUrl); … });
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test as base, expect } from '@playwright/test';
import type { Page } from '@playwright/test';
import { startServer } from '../server/app.ts';
import type { RunningServer } from '../server/app.ts';
import type { AppEffects } from '../electron/services/app.ts';
import { startServeMode } from '../electron/serve/serve-mode.ts';

export { expect };

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const RENDERER_BUILD_DIR = path.join(repoRoot, 'dist', 'renderer');
export const SCREENSHOTS_DIR = path.join(repoRoot, 'e2e', 'screenshots');

export interface Credentials {
  username: string;
  password: string;
}

export interface AppFixture {
  /** http://127.0.0.1:<port>/?token=<token>: what `npm run serve` prints. */
  appUrl: string;
  /** The serve-mode origin, http://127.0.0.1:<port>. */
  appOrigin: string;
  /** The server's issuer (the app's configured issuer). */
  issuer: string;
  serverUrl: string;
  credentials: { admin: Credentials; helpdesk: Credentials };
  /** The client secrets of the two confidential default clients, for tests that call the server directly. */
  clientSecrets: { adminClient: string; syncClient: string };
  /** The running server (e.g. `server.clients.insertMany` to seed many clients). Replaced by restartServer(). */
  server(): RunningServer;
  /** Stops the server (the app then sees it as offline). */
  stopServer(): Promise<void>;
  /** Starts it again on the same port with the same data folder. */
  restartServer(): Promise<void>;
}

export interface AppFixtureOptions {
  /** The renderer build serve mode hosts. Default dist/renderer. */
  rendererDir: string;
  /** Effects serve mode uses instead of the real ones (say why in the test's name). */
  serveEffects: Partial<AppEffects>;
}

export const test = base.extend<{ app: AppFixture } & AppFixtureOptions>({
  rendererDir: [RENDERER_BUILD_DIR, { option: true }],
  serveEffects: [{}, { option: true }],
  app: async ({ rendererDir, serveEffects }, use) => {
    if (!fs.existsSync(path.join(rendererDir, 'index.html'))) {
      throw new Error(`No renderer build in ${rendererDir}. Run: npm run build:renderer`);
    }
    const tempDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'thetasecure-e2e-'));
    const dataDir = path.join(tempDir, 'server-data');
    const credentials = {
      admin: { username: 'admin', password: `admin-${randomBytes(9).toString('base64url')}` },
      helpdesk: { username: 'helpdesk', password: `helpdesk-${randomBytes(9).toString('base64url')}` },
    };
    const clientSecrets = { adminClient: randomBytes(32).toString('base64url'), syncClient: randomBytes(32).toString('base64url') };
    const serverOptions = {
      dataDir,
      adminPassword: credentials.admin.password,
      helpdeskPassword: credentials.helpdesk.password,
      adminClientSecret: clientSecrets.adminClient,
      syncClientSecret: clientSecrets.syncClient,
      quiet: true,
    };
    let server: RunningServer | null = await startServer({ port: 0, ...serverOptions });
    const port = server.port;
    const issuer = server.issuer;
    const serverUrl = server.url;

    const serve = await startServeMode({ port: 0, issuer, userDataDir: path.join(tempDir, 'user-data'), rendererDir, effects: serveEffects, quiet: true });
    try {
      await use({
        appUrl: serve.url,
        appOrigin: serve.origin,
        issuer,
        serverUrl,
        credentials,
        clientSecrets,
        server() {
          if (!server) throw new Error('The server is stopped.');
          return server;
        },
        async stopServer() {
          const running = server;
          server = null;
          await running?.close();
        },
        async restartServer() {
          if (server) await server.close();
          server = null;
          server = await startServer({ port, ...serverOptions });
        },
      });
    } finally {
      await serve.close();
      await server?.close();
      await fsp.rm(tempDir, { recursive: true, force: true });
    }
  },
});

/**
 * Completes the real login page of the server in `loginPage` (the tab serve mode opened), as a
 * user would, and waits for the app's "Signed in" answer. When this browser still has a session
 * at the server, the server asks "Continue to … as …?" instead of the password (issue 9, item 3):
 * then it presses Continue, after checking the page names the expected user.
 */
export async function completeLogin(loginPage: Page, credentials: Credentials): Promise<void> {
  const username = loginPage.getByLabel('Username');
  const continueButton = loginPage.getByRole('button', { name: 'Continue', exact: true });
  await expect(username.or(continueButton)).toBeVisible();
  if (await continueButton.isVisible()) {
    await expect(loginPage.getByRole('heading', { name: /^Continue to .+ as .+\?$/ })).toBeVisible();
    await expect(loginPage.getByText(`(${credentials.username})`, { exact: false })).toBeVisible();
    await continueButton.click();
  } else {
    await username.fill(credentials.username);
    await loginPage.getByLabel('Password').fill(credentials.password);
    await loginPage.getByRole('button', { name: 'Sign in' }).click();
  }
  await expect(loginPage.getByText(/Signed in/)).toBeVisible();
}
