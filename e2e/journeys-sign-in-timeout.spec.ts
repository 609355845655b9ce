// Issue 4, sign-in screen: "clear errors (… timed out)". The app waits 5 minutes for the browser
// to come back; here that wait is shortened through the services' tuning, and nobody signs in
// on the login page that opens.
import { expect, test } from './fixtures.ts';

test.use({ serveEffects: { tuning: { signInTimeoutMs: 2_000 } } });

test('a sign-in nobody completes times out with a clear message, and the screen offers Sign in again', async ({ page, context, app }) => {
  await page.goto(app.appUrl);
  const loginTab = context.waitForEvent('page');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByText('Waiting for you to sign in in your browser…')).toBeVisible();
  const tab = await loginTab;
  await tab.waitForURL((url) => url.origin === new URL(app.issuer).origin);
  await expect(tab.getByLabel('Username')).toBeVisible();

  await expect(page.getByText('Sign-in timed out: the browser did not come back in time. Try again.')).toBeVisible({ timeout: 15_000 });
  await expect(page.getByRole('button', { name: 'Sign in', exact: true })).toBeEnabled();
  await expect(page.getByRole('heading', { name: 'Sign in to manage OAuth Clients' })).toBeVisible();
});
