// Issue 9 item 2 in a real browser: "Sign out" opens the server's end-session page in a new tab
// (serve mode's stand-in for the system browser), which says the user is signed out; the next
// "Sign in" then shows the server's login page again, so another person can sign in as themselves.
import { completeLogin, expect, test } from './fixtures.ts';

test('sign-out ends the server session: the end-session tab says so, and the next sign-in asks for the password', async ({ page, context, app }) => {
  // Signed in through the real login page (not journey-helpers' signIn: only the header is needed here).
  await page.goto(app.appUrl);
  const firstLogin = context.waitForEvent('page');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  const first = await firstLogin;
  await completeLogin(first, app.credentials.admin);
  await first.close();
  await expect(page.getByRole('heading', { name: 'OAuth Clients', exact: true, level: 1 })).toBeVisible();

  await page.getByRole('button', { name: /^Account: / }).click();
  await page.getByRole('menuitem', { name: 'Sign out…' }).click();
  const endSessionTab = context.waitForEvent('page');
  await page.getByRole('dialog', { name: 'Sign out' }).getByRole('button', { name: 'Sign out' }).click();
  const tab = await endSessionTab;
  await expect(tab.getByRole('heading', { name: 'Signed out of ThetaSecure — you can close this tab.' })).toBeVisible();
  expect(new URL(tab.url()).origin).toBe(new URL(app.issuer).origin);
  await tab.close();
  await expect(page.getByRole('heading', { name: 'Sign in to manage OAuth Clients' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Sign in as a different user' })).toBeVisible();

  // The same browser: its server session is gone, so the login page asks again — a helpdesk
  // user at the same workstation signs in as themselves.
  const loginTab = context.waitForEvent('page');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  const login = await loginTab;
  await expect(login.getByLabel('Username')).toBeVisible();
  await completeLogin(login, app.credentials.helpdesk);
  await login.close();
  await expect(page.getByRole('button', { name: /^Account: / })).toContainText('Helpdesk · read-only');
});
