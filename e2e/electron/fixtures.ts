// Fixtures of the Electron suite. Each test gets a real reference server (port 0, SQLite in a
// temp folder), its own temporary user-data folder, and the real Electron app built in dist/.
// The one stand-in: there is no system browser in a test, so `shell.openExternal` is replaced
// in the main process by a recorder, and the test opens the recorded sign-in URL in Chromium
// and signs in through the real login page.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { _electron, chromium, expect, test as base } from '@playwright/test';
import type { Browser, ElectronApplication, Page } from '@playwright/test';
import { findElectronBinary } from '../../electron/electron-binary.ts';
import type { RunningServer } from '../../server/app.ts';

export { expect };

export const ELECTRON = findElectronBinary();
export const ROOT = path.resolve(import.meta.dirname, '..', '..');
export const APP_ORIGIN = 'app://thetasecure';

export type UserName = 'admin' | 'helpdesk';

/** The reference server of one test; `stop` and `start` keep its port and data (offline journey). */
export interface ReferenceServer {
  readonly issuer: string;
  readonly url: string;
  readonly passwords: Record<UserName, string>;
  readonly adminClientSecret: string;
  stop(): Promise<void>;
  start(): Promise<void>;
}

export interface DesktopApp {
  electronApp: ElectronApplication;
  /** The app window (app://thetasecure/index.html). */
  window: Page;
  userDataDir: string;
  /** Every URL the app asked the OS to open, in order (recorded instead of opened). */
  openedUrls(): Promise<string[]>;
  /** What the main process has written to stdout and stderr so far. */
  mainOutput(): string;
  /** The system clipboard as the app sees it (Electron's clipboard module in the main process). */
  readClipboard(): Promise<string>;
}

// Chromium refuses to start as root with its sandbox; CI containers run as root. The renderer
// keeps `sandbox: true` (no Node, a sandboxed preload): only the OS-level layer is off then.
export const CHROMIUM_SWITCHES = process.getuid?.() === 0 || process.env.THETASECURE_ELECTRON_NO_SANDBOX === '1' ? ['--no-sandbox'] : [];

export function electronEnv(userDataDir: string, issuer: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
  // The main process must run as Electron, and must not inherit a test runner's Node options.
  delete env.ELECTRON_RUN_AS_NODE;
  delete env.NODE_OPTIONS;
  return { ...env, THETASECURE_USER_DATA_DIR: userDataDir, THETASECURE_ISSUER: issuer };
}

async function startReferenceServer(dataDir: string): Promise<ReferenceServer> {
  const passwords: Record<UserName, string> = {
    admin: `admin-${randomBytes(9).toString('base64url')}`,
    helpdesk: `helpdesk-${randomBytes(9).toString('base64url')}`,
  };
  const adminClientSecret = randomBytes(32).toString('base64url');
  // Loaded here, not at the top: a run that skips (no Electron binary) never loads the server.
  const { startServer } = await import('../../server/app.ts');
  const options = { dataDir, adminPassword: passwords.admin, helpdeskPassword: passwords.helpdesk, adminClientSecret, quiet: true };
  let running: RunningServer | null = await startServer({ ...options, port: 0 });
  const { port, issuer, url } = running;
  return {
    issuer,
    url,
    passwords,
    adminClientSecret,
    async stop() {
      await running?.close();
      running = null;
    },
    async start() {
      if (!running) running = await startServer({ ...options, port, issuer });
    },
  };
}

async function launchDesktopApp(userDataDir: string, issuer: string): Promise<DesktopApp> {
  if (!ELECTRON.found) throw new Error(ELECTRON.reason);
  const electronApp = await _electron.launch({
    executablePath: ELECTRON.path,
    args: [ROOT, ...CHROMIUM_SWITCHES],
    cwd: ROOT,
    env: electronEnv(userDataDir, issuer),
    timeout: 30_000,
  });
  let output = '';
  electronApp.process().stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  electronApp.process().stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  // Record instead of opening: the app reaches shell.openExternal only through its external
  // opener, which has already checked the URL by the time it gets here.
  await electronApp.evaluate(({ shell }) => {
    const opened: string[] = [];
    (globalThis as { __thetasecureOpenedUrls?: string[] }).__thetasecureOpenedUrls = opened;
    shell.openExternal = async (url: string) => {
      opened.push(url);
    };
  });
  const window = await electronApp.firstWindow();
  await window.waitForURL(`${APP_ORIGIN}/**`);
  await window.waitForLoadState('domcontentloaded');
  return {
    electronApp,
    window,
    userDataDir,
    openedUrls: () => electronApp.evaluate(() => [...((globalThis as { __thetasecureOpenedUrls?: string[] }).__thetasecureOpenedUrls ?? [])]),
    mainOutput: () => output,
    readClipboard: () => electronApp.evaluate(({ clipboard }) => clipboard.readText()),
  };
}

/** Signs in from the app's sign-in screen through the real login page, opened in Chromium. */
export async function signIn(app: DesktopApp, loginBrowser: Browser, server: ReferenceServer, user: UserName): Promise<void> {
  const before = (await app.openedUrls()).length;
  await app.window.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect.poll(async () => (await app.openedUrls()).length, { message: 'the app opens the sign-in page in the system browser' }).toBeGreaterThan(before);
  const authorizationUrl = new URL((await app.openedUrls()).at(-1)!);
  // Sign-in goes to the configured issuer, never anywhere else.
  expect(authorizationUrl.origin).toBe(new URL(server.issuer).origin);
  expect(authorizationUrl.searchParams.get('code_challenge_method')).toBe('S256');

  // A fresh browser context each time: no server session, so the server asks for the password
  // (the "Continue to … as …?" page of issue 9 item 3 appears only with an existing session).
  const context = await loginBrowser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(authorizationUrl.href);
    await page.getByLabel('Username').fill(user);
    await page.getByLabel('Password').fill(server.passwords[user]);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(page.getByText('Signed in — return to ThetaSecure Admin')).toBeVisible();
  } finally {
    await context.close();
  }
  await expect(app.window.getByLabel('Search clients')).toBeVisible();
}

interface Fixtures {
  electronRequired: void;
  server: ReferenceServer;
  userDataDir: string;
  desktop: DesktopApp;
}
interface WorkerFixtures {
  loginBrowser: Browser;
}

export const test = base.extend<Fixtures, WorkerFixtures>({
  electronRequired: [
    // eslint-disable-next-line no-empty-pattern -- Playwright fixtures take their dependencies as the first argument
    async ({}, use, testInfo) => {
      testInfo.skip(!ELECTRON.found, ELECTRON.found ? '' : ELECTRON.reason);
      await use();
    },
    { auto: true },
  ],
  server: async ({ electronRequired: _ }, use) => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'ts-electron-server-'));
    const server = await startReferenceServer(dataDir);
    try {
      await use(server);
    } finally {
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  },
  userDataDir: async ({ electronRequired: _ }, use) => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'ts-electron-user-data-'));
    try {
      await use(dir);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
  desktop: async ({ server, userDataDir }, use, testInfo) => {
    const app = await launchDesktopApp(userDataDir, server.issuer);
    try {
      await use(app);
    } finally {
      if (testInfo.status !== testInfo.expectedStatus) await testInfo.attach('main-process-output', { body: app.mainOutput(), contentType: 'text/plain' });
      await app.electronApp.close().catch(() => undefined);
    }
  },
  loginBrowser: [
    // eslint-disable-next-line no-empty-pattern -- Playwright fixtures take their dependencies as the first argument
    async ({}, use) => {
      // Debian's Chromium where it is (CI here); elsewhere THETASECURE_CHROMIUM or Playwright's own.
      const executablePath = process.env.THETASECURE_CHROMIUM ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
      const browser = await chromium.launch({
        ...(executablePath ? { executablePath } : {}),
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
      });
      try {
        await use(browser);
      } finally {
        await browser.close();
      }
    },
    { scope: 'worker' },
  ],
});

/** Starts the app binary a second time, outside Playwright, and resolves with its exit code. */
export function launchSecondInstance(userDataDir: string, issuer: string): Promise<number | null> {
  if (!ELECTRON.found) throw new Error(ELECTRON.reason);
  const child = spawn(ELECTRON.path, [ROOT, ...CHROMIUM_SWITCHES], { cwd: ROOT, env: electronEnv(userDataDir, issuer), stdio: 'ignore' });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('The second instance kept running for 20 s instead of handing over to the first.'));
    }, 20_000);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}
