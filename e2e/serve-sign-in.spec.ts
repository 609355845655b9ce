// Issue 3's "done when": in serve mode, a `session:sign-in` call completes in a real Chromium tab
// through the server's real login page. The call goes through window.thetasecure (the contract),
// as the renderer's Sign in button does; the screens are exercised by the renderer's journeys.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import type { Result, Session, ThetaSecureBridge } from '../shared/contract.ts';
import { RENDERER_BUILD_DIR, SCREENSHOTS_DIR, completeLogin, expect, test } from './fixtures.ts';

// With no renderer build yet, a blank page stands in: the bridge is injected into any index.html.
let placeholderDir: string | null = null;
if (!fs.existsSync(path.join(RENDERER_BUILD_DIR, 'index.html'))) {
  placeholderDir = fs.mkdtempSync(path.join(os.tmpdir(), 'thetasecure-placeholder-'));
  fs.writeFileSync(path.join(placeholderDir, 'index.html'), '<!doctype html><html><head><title>ThetaSecure Admin</title></head><body><main>placeholder</main></body></html>');
  console.log(`serve-sign-in: no renderer build in ${RENDERER_BUILD_DIR}; using a blank placeholder page.`);
  test.use({ rendererDir: placeholderDir });
}
test.afterAll(async () => {
  if (placeholderDir) await fsp.rm(placeholderDir, { recursive: true, force: true });
});

type Bridge = ThetaSecureBridge;

/** Opens the app; the returned list collects the page's Content-Security-Policy violations. */
async function openApp(page: Page, appUrl: string): Promise<string[]> {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
  });
  await page.goto(appUrl);
  // The token is exchanged for a cookie and gone from the address bar.
  await expect(page).toHaveURL(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  await page.waitForFunction(() => typeof (window as unknown as { thetasecure?: Bridge }).thetasecure?.methods === 'object');
  // Record the events the page receives, as the renderer would.
  await page.evaluate(() => {
    const w = window as unknown as { thetasecure: Bridge; sessionEvents: Session[] };
    w.sessionEvents = [];
    w.thetasecure.events['session:changed']((session) => w.sessionEvents.push(session));
  });
  return violations;
}

test('serve mode: session:sign-in opens the real login page in a new tab and signs the admin in', async ({ page, context, app }) => {
  const cspViolations = await openApp(page, app.appUrl);
  const before = await page.evaluate(() => (window as unknown as { thetasecure: Bridge }).thetasecure.methods['session:get']({}));
  expect(before).toMatchObject({ ok: true, value: { status: 'signed-out', issuer: app.issuer } });

  const loginTab = context.waitForEvent('page');
  const signIn = page.evaluate(() => (window as unknown as { thetasecure: Bridge }).thetasecure.methods['session:sign-in']({}));
  const tab = await loginTab;
  await tab.waitForURL((url) => url.origin === new URL(app.issuer).origin);
  await expect(tab.getByLabel('Username')).toBeVisible();
  await completeLogin(tab, app.credentials.admin);
  await tab.screenshot({ path: path.join(SCREENSHOTS_DIR, 'serve-sign-in-callback.png') });

  const result = (await signIn) as Result<Session>;
  expect(result).toMatchObject({ ok: true, value: { status: 'signed-in', issuer: app.issuer, canWrite: true } });
  if (!result.ok) throw new Error('unreachable');
  expect(result.value.user?.roles).toContain('admin');
  expect(result.value.user?.name.length).toBeGreaterThan(0);

  // The page was told through the event stream, and session:get agrees.
  await expect.poll(() => page.evaluate(() => (window as unknown as { sessionEvents: Session[] }).sessionEvents.map((s) => s.status))).toContain('signed-in');
  const after = await page.evaluate(() => (window as unknown as { thetasecure: Bridge }).thetasecure.methods['session:get']({}));
  expect(after).toMatchObject({ ok: true, value: { status: 'signed-in', canWrite: true } });
  // Signed in, the host's replica follows the admin API: the default clients are in its snapshot,
  // which serve mode sends as the raw JSON it holds (the page gets the array itself).
  await expect
    .poll(async () => {
      const snapshot = await page.evaluate(() => (window as unknown as { thetasecure: Bridge }).thetasecure.methods['clients:snapshot']({}));
      return snapshot.ok && snapshot.value.complete ? snapshot.value.items.map((c) => c.clientId) : [];
    })
    .toEqual(expect.arrayContaining(['thetasecure-admin-console', 'ts_admin_client']));
  await page.screenshot({ path: path.join(SCREENSHOTS_DIR, 'serve-signed-in.png') });
  // The renderer build and the injected bridge run under the app's CSP without a violation.
  expect(cspViolations).toEqual([]);
});

test('serve mode: a sign-in while the server is down closes the blank tab it opened and says offline', async ({ page, context, app }) => {
  await openApp(page, app.appUrl);
  await app.stopServer();
  const opened = context.waitForEvent('page');
  const signIn = page.evaluate(() => (window as unknown as { thetasecure: Bridge }).thetasecure.methods['session:sign-in']({}));
  const tab = await opened;
  const result = await signIn;
  expect(result).toMatchObject({ ok: false, error: { code: 'offline' } });
  await expect.poll(() => tab.isClosed()).toBe(true);
});

test('serve mode: cancelling a sign-in on the login page leaves the session signed out', async ({ page, context, app }) => {
  await openApp(page, app.appUrl);
  const loginTab = context.waitForEvent('page');
  const signIn = page.evaluate(() => (window as unknown as { thetasecure: Bridge }).thetasecure.methods['session:sign-in']({}));
  const tab = await loginTab;
  await tab.waitForURL((url) => url.origin === new URL(app.issuer).origin);
  await page.evaluate(() => (window as unknown as { thetasecure: Bridge }).thetasecure.methods['session:cancel-sign-in']({}));
  expect(await signIn).toMatchObject({ ok: false, error: { code: 'cancelled' } });
  const session = await page.evaluate(() => (window as unknown as { thetasecure: Bridge }).thetasecure.methods['session:get']({}));
  expect(session).toMatchObject({ ok: true, value: { status: 'signed-out' } });
});
