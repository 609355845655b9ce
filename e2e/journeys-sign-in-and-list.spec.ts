// Journeys 1 and 4 (list part) of issue 4: sign in through the server's real login page, see the
// five default clients with their grant types, search, sort, open the details panel.
import { expect, test } from './fixtures.ts';
import { checkScreen, countText, DEFAULT_CLIENT_NAMES, row, signIn } from './journey-helpers.ts';

test('an administrator signs in through the real login page and sees the five default clients with their grant types', async ({ page, context, app }) => {
  await signIn(page, context, app, app.credentials.admin, { onSignInScreen: () => checkScreen(page, 'sign-in') });

  await expect(countText(page)).toHaveText('5 of 5 clients');
  for (const name of DEFAULT_CLIENT_NAMES) {
    await expect(row(page, name).getByText('Default', { exact: true })).toBeVisible();
  }
  await expect(row(page, 'Admin Client')).toContainText('ts_admin_client');
  await expect(row(page, 'Admin Client').getByText('Client Credentials', { exact: true })).toBeVisible();
  await expect(row(page, 'Sync Service Client').getByText('Client Credentials', { exact: true })).toBeVisible();
  for (const name of ['ThetaSecure Mobile App', 'ThetaSecure Desktop Agent', 'ThetaSecure Admin Console']) {
    await expect(row(page, name).getByText('Authorization Code', { exact: true })).toBeVisible();
    await expect(row(page, name).getByText('Refresh Token', { exact: true })).toBeVisible();
  }
  for (const name of DEFAULT_CLIENT_NAMES) {
    await expect(row(page, name).getByText('Active', { exact: true })).toBeVisible();
    for (const action of ['View', 'Edit', 'Delete']) {
      await expect(row(page, name).getByRole('button', { name: `${action} ${name}`, exact: true })).toBeVisible();
    }
  }
  // The user is named in the header, as an administrator.
  await expect(page.getByRole('button', { name: /^Account: / })).toContainText('Admin · full access');
  await checkScreen(page, 'client-list');

  await page.emulateMedia({ colorScheme: 'dark' });
  await checkScreen(page, 'client-list-dark');
  await page.emulateMedia({ colorScheme: 'light' });
});

test('search narrows the list as you type, "/" focuses it, sorting reorders, and the details panel shows every field', async ({ page, context, app }) => {
  await signIn(page, context, app, app.credentials.admin);
  await expect(countText(page)).toHaveText('5 of 5 clients');

  // "/" from anywhere on the page focuses the search box.
  await page.locator('body').press('/');
  const search = page.getByRole('searchbox', { name: 'Search clients' });
  await expect(search).toBeFocused();
  await page.keyboard.type('thetasecure');
  await expect(countText(page)).toHaveText('3 of 5 clients');
  await page.keyboard.type('-mobile');
  await expect(countText(page)).toHaveText('1 of 5 clients');
  await expect(row(page, 'ThetaSecure Mobile App')).toBeVisible();
  await expect(row(page, 'Admin Client')).toHaveCount(0);
  // By client ID, case-insensitive.
  await search.fill('TS_SYNC');
  await expect(countText(page)).toHaveText('1 of 5 clients');
  await expect(row(page, 'Sync Service Client')).toBeVisible();
  await search.fill('no such client');
  await expect(countText(page)).toHaveText('0 of 5 clients');
  await expect(page.getByText('No clients match “no such client”')).toBeVisible();
  await checkScreen(page, 'client-list-no-match');
  await page.getByRole('button', { name: 'Clear search and filters' }).click();
  await expect(countText(page)).toHaveText('5 of 5 clients');

  // The grant type filter.
  await page.getByRole('combobox', { name: 'Grant type' }).selectOption({ label: 'Client Credentials' });
  await expect(countText(page)).toHaveText('2 of 5 clients');
  await page.getByRole('combobox', { name: 'Grant type' }).selectOption({ label: 'All grant types' });
  // The status and kind filters.
  await page.getByRole('combobox', { name: 'Status' }).selectOption({ label: 'Disabled' });
  await expect(countText(page)).toHaveText('0 of 5 clients');
  await expect(page.getByText('No clients match these filters')).toBeVisible();
  await page.getByRole('combobox', { name: 'Status' }).selectOption({ label: 'All statuses' });
  await page.getByRole('combobox', { name: 'Kind' }).selectOption({ label: 'Custom' });
  await expect(countText(page)).toHaveText('0 of 5 clients');
  await page.getByRole('combobox', { name: 'Kind' }).selectOption({ label: 'Default' });
  await expect(countText(page)).toHaveText('5 of 5 clients');
  await page.getByRole('combobox', { name: 'Kind' }).selectOption({ label: 'All kinds' });

  // The copy button in a row says "Copied".
  await row(page, 'Admin Client').getByRole('button', { name: 'Copy client ID ts_admin_client' }).click();
  await expect(row(page, 'Admin Client').getByRole('status').filter({ hasText: 'Copied' })).toBeVisible();

  // Sorting by Client: ascending, then descending.
  const names = () => page.getByRole('table', { name: 'OAuth clients' }).locator('tbody tr .client-name').allTextContents();
  await page.getByRole('columnheader', { name: /Client$/ }).getByRole('button').click();
  await expect(page.getByRole('columnheader', { name: /Client$/ })).toHaveAttribute('aria-sort', 'ascending');
  expect(await names()).toEqual([...DEFAULT_CLIENT_NAMES].sort((a, b) => a.localeCompare(b)));
  await page.getByRole('columnheader', { name: /Client$/ }).getByRole('button').click();
  await expect(page.getByRole('columnheader', { name: /Client$/ })).toHaveAttribute('aria-sort', 'descending');
  expect(await names()).toEqual([...DEFAULT_CLIENT_NAMES].sort((a, b) => b.localeCompare(a)));

  // Enter on a focused row opens its details; the panel lists every field of the page.
  await row(page, 'ThetaSecure Mobile App').focus();
  await page.keyboard.press('Enter');
  const panel = page.getByRole('dialog', { name: 'ThetaSecure Mobile App' });
  await expect(panel).toBeVisible();
  const detail = (term: string) => panel.locator('.detail').filter({ has: page.locator('dt', { hasText: new RegExp(`^${term}$`) }) }).locator('dd');
  await expect(detail('Client ID')).toContainText('thetasecure-mobile-app');
  await expect(detail('Status')).toHaveText('Active');
  await expect(detail('Kind')).toHaveText('Default');
  await expect(detail('Description')).toHaveText('End user authentication from the ThetaSecure mobile application.');
  await expect(detail('Grant Types')).toHaveText(/Authorization Code\s*Refresh Token/);
  await expect(detail('Response Types')).not.toBeEmpty();
  await expect(detail('Scopes').locator('.badge')).not.toHaveCount(0);
  await expect(detail('Redirect URIs').locator('li')).not.toHaveCount(0);
  await expect(detail('Require User Consent')).toHaveText('No');
  await expect(detail('Created').locator('time')).toHaveAttribute('datetime', /^\d{4}-\d\d-\d\dT/);
  await expect(detail('Updated').locator('time')).toHaveAttribute('datetime', /^\d{4}-\d\d-\d\dT/);
  await expect(panel.getByRole('button', { name: 'Edit Client' })).toBeVisible();
  await expect(panel.getByRole('button', { name: 'Delete' })).toBeVisible();
  await checkScreen(page, 'client-details');

  // Esc closes the panel.
  await page.keyboard.press('Escape');
  await expect(panel).toBeHidden();
});

test('sign-in: an unreachable server is reported in plain words, and the waiting state can be cancelled', async ({ page, context, app }) => {
  await page.goto(app.appUrl);
  const signInButton = page.getByRole('button', { name: 'Sign in', exact: true });
  await expect(signInButton).toBeVisible();

  // The server is down: the reason names the issuer, and nothing is signed in.
  await app.stopServer();
  await signInButton.click();
  await expect(page.getByRole('alert')).toContainText(`The server at ${app.issuer} cannot be reached.`);
  await checkScreen(page, 'sign-in-unreachable');
  await expect(page.getByRole('heading', { name: 'OAuth Clients', exact: true, level: 1 })).toHaveCount(0);

  // The server is back; the user starts again and cancels while the login page is open.
  await app.restartServer();
  const loginTab = context.waitForEvent('page');
  await signInButton.click();
  const tab = await loginTab;
  await tab.waitForURL((url) => url.origin === new URL(app.issuer).origin);
  const waiting = page.getByRole('status').filter({ hasText: 'Waiting for you to sign in in your browser…' });
  await expect(waiting).toBeVisible();
  await expect(waiting.getByRole('link', { name: 'Open the sign-in page again' })).toBeVisible();
  await checkScreen(page, 'sign-in-waiting');
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('alert')).toHaveText('Sign-in was cancelled.');
  await expect(signInButton).toBeVisible();
});
