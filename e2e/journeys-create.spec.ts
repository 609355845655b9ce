// Journeys 2, 3 and 7 of issue 4: create a Sync Connector and a Custom client through the
// wizard, see the secret exactly once, copy it to the real X clipboard and use it at the token
// endpoint; bad input is refused on its field and creates nothing.
import clipboard from 'clipboardy';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import type { AppFixture } from './fixtures.ts';
import { addEntry, checkScreen, entryInput, closeSecretDialogWithoutSaving, countText, openCreateDialog, row, signIn } from './journey-helpers.ts';

async function tokenEndpoint(issuer: string): Promise<string> {
  const response = await fetch(`${issuer}/.well-known/openid-configuration`);
  const discovery = (await response.json()) as { token_endpoint: string };
  return discovery.token_endpoint;
}

async function clientCredentialsToken(app: AppFixture, clientId: string, secret: string, scope: string): Promise<Response> {
  const basic = Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString('base64');
  return fetch(await tokenEndpoint(app.issuer), {
    method: 'POST',
    headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope }),
  });
}

/** Fills the custom form: two redirect URIs, three scopes, both available grant types. */
async function fillCustomClient(page: Page, name: string) {
  const form = await openCreateDialog(page, 'Custom Client');
  await form.getByLabel('Client Name').fill(name);
  await form.getByLabel('Description').fill('Nightly invoice export and the billing portal');
  await addEntry(form, 'Redirect URIs', 'https://billing.example.com/callback', 'Add');
  await addEntry(form, 'Redirect URIs', 'http://127.0.0.1:8765/callback', 'Enter');
  await addEntry(form, 'Scopes', 'openid', 'Enter');
  await addEntry(form, 'Scopes', 'profile', 'Add');
  // The third one from the server's catalog suggestions.
  await form.getByRole('button', { name: 'Add scope directory:read' }).click();
  await form.getByRole('checkbox', { name: 'Authorization Code', exact: true }).check();
  await form.getByRole('checkbox', { name: 'Client Credentials', exact: true }).check();
  return form;
}

test('an administrator creates a Sync Connector and a Custom client, and the secret dialog appears once for each', async ({ page, context, app }) => {
  await signIn(page, context, app, app.credentials.admin);

  // The type choice, with the page's two options and their descriptions.
  await page.getByRole('button', { name: 'Create Client' }).click();
  const choose = page.getByRole('dialog', { name: 'Create OAuth Client' });
  await expect(choose.getByRole('button', { name: /^Sync Connector Client/ })).toContainText('LDAP/AD directory synchronization');
  await expect(choose.getByRole('button', { name: /^Custom Client/ })).toContainText('full control over grant types, scopes, and redirect URIs');
  await checkScreen(page, 'create-client-choose');
  await choose.getByRole('button', { name: /^Sync Connector Client/ }).click();

  // Sync Connector asks only name and description.
  const syncForm = page.getByRole('dialog', { name: 'Create Sync Connector Client' });
  await expect(syncForm.getByRole('textbox')).toHaveCount(2);
  await expect(syncForm.getByRole('checkbox')).toHaveCount(0);
  await syncForm.getByLabel('Client Name').fill('Directory Sync — Berlin');
  await syncForm.getByLabel('Description').fill('LDAP profile for the Berlin office');
  await checkScreen(page, 'create-sync-connector');
  await syncForm.getByRole('button', { name: 'Create Client' }).click();
  const secretDialog = page.getByRole('dialog', { name: 'Client Created' });
  await expect(secretDialog).toBeVisible();
  await expect(secretDialog).toContainText('The Client Secret is displayed only once at creation time.');
  await closeSecretDialogWithoutSaving(page);
  await expect(row(page, 'Directory Sync — Berlin').getByText('Sync Connector', { exact: true })).toBeVisible();
  // The details panel is open on the new client; beside it at 1280 px the Grant Types column
  // gives way (issue 12), so close it to see the whole row.
  await page.getByRole('dialog', { name: 'Directory Sync — Berlin' }).getByRole('button', { name: 'Close details' }).click();
  await expect(row(page, 'Directory Sync — Berlin').getByText('Client Credentials', { exact: true })).toBeVisible();

  // Custom client: every field of the page's table.
  const form = await fillCustomClient(page, 'Billing Service');
  await expect(form.getByRole('checkbox', { name: 'Password', exact: true })).toBeDisabled();
  await expect(form.getByRole('checkbox', { name: 'Refresh Token', exact: true })).toBeDisabled();
  await expect(form.getByRole('checkbox', { name: 'Implicit', exact: true })).toBeDisabled();
  await expect(form.getByRole('checkbox', { name: 'Code', exact: true })).toBeDisabled();
  await expect(form.getByRole('checkbox', { name: 'Token', exact: true })).toBeChecked();
  await expect(form.getByRole('checkbox', { name: 'Require User Consent', exact: true })).toBeDisabled();
  await expect(form.getByText('Coming Soon', { exact: true })).toHaveCount(5);
  // Entries are removable.
  await addEntry(form, 'Redirect URIs', 'https://old.example.com/callback');
  await expect(form.getByRole('list', { name: 'Redirect URIs' }).getByRole('listitem')).toHaveCount(3);
  await form.getByRole('button', { name: 'Remove https://old.example.com/callback' }).click();
  await expect(form.getByRole('list', { name: 'Redirect URIs' }).getByRole('listitem')).toHaveCount(2);
  await expect(form.getByRole('list', { name: 'Scopes' }).getByRole('listitem')).toHaveCount(3);
  await checkScreen(page, 'create-custom-client');
  await form.getByRole('button', { name: 'Create Client' }).click();

  await expect(secretDialog).toBeVisible();
  await expect(page.getByRole('dialog')).toHaveCount(1);
  const clientId = (await secretDialog.locator('dd code').first().textContent())?.trim() ?? '';
  expect(clientId).toMatch(/\S{8,}/);
  // Masked until Reveal; the secret is not in the page before that.
  await expect(secretDialog.getByTestId('client-secret-value')).toBeHidden();
  await expect(secretDialog.getByTestId('client-secret-value')).toHaveText('');
  await checkScreen(page, 'secret-once');
  await page.emulateMedia({ colorScheme: 'dark' });
  await checkScreen(page, 'secret-once-dark');
  await page.emulateMedia({ colorScheme: 'light' });
  await secretDialog.getByRole('button', { name: 'Reveal' }).click();
  await expect(secretDialog.getByTestId('client-secret-value')).toHaveText(/^[A-Za-z0-9_-]{40,}$/);
  await secretDialog.getByRole('button', { name: 'Hide' }).click();
  await expect(secretDialog.getByTestId('client-secret-value')).toHaveText('');
  // Revealed once: Done closes without asking.
  await secretDialog.getByRole('button', { name: 'Done' }).click();
  await expect(secretDialog).toBeHidden();

  // Shown once: nothing brings it back, and the details panel has only the hint.
  await expect(page.getByRole('dialog', { name: 'Client Created' })).toHaveCount(0);
  await expect(row(page, 'Billing Service')).toContainText(clientId);
  const panel = page.getByRole('dialog', { name: 'Billing Service' });
  await expect(panel).toBeVisible();
  // One secret, named by its last four characters only (issue 10's Secrets section).
  await expect(panel.getByRole('list', { name: 'Secrets' }).getByRole('listitem')).toHaveCount(1);
  await expect(panel.getByRole('list', { name: 'Secrets' }).getByRole('listitem').first()).toHaveAccessibleName(/^Secret ending \S{4}, Active$/);
  await expect(panel.getByTestId('client-secret-value')).toHaveCount(0);
  await expect(panel).toContainText('https://billing.example.com/callback');
  await expect(panel).toContainText('http://127.0.0.1:8765/callback');
  for (const scope of ['openid', 'profile', 'directory:read']) await expect(panel.getByText(scope, { exact: true })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(panel).toBeHidden();
  await expect(row(page, 'Billing Service').getByText('Authorization Code', { exact: true })).toBeVisible();
  await expect(row(page, 'Billing Service').getByText('Client Credentials', { exact: true })).toBeVisible();
  await expect(countText(page)).toHaveText('7 of 7 clients');
  expect(await app.server().clients.count()).toBe(7);
});

test('the copied secret is on the real X clipboard, obtains a client_credentials token, and is cleared after the shortened time', async ({ page, context, app }) => {
  if (!process.env.DISPLAY) {
    console.log('SKIPPED clipboard journey: no X display (DISPLAY is unset); run under xvfb-run, as npm test does.');
    test.skip(true, 'No X display (DISPLAY is unset): the real clipboard cannot be read. Run under xvfb-run.');
  }
  await signIn(page, context, app, app.credentials.admin);

  // Settings: a 5 second clipboard clear, so the test sees it happen.
  await page.getByRole('button', { name: /^Account: / }).click();
  await page.getByRole('menuitem', { name: 'Settings' }).click();
  const settings = page.getByRole('dialog', { name: 'Settings' });
  await expect(settings.getByLabel(/^Clear clipboard after/)).toHaveValue('30');
  await settings.getByLabel(/^Clear clipboard after/).fill('2');
  await settings.getByRole('button', { name: 'Save Settings' }).click();
  await expect(settings.getByText('Clear clipboard after must be at least 5 seconds.')).toBeVisible();
  await checkScreen(page, 'settings');
  await settings.getByLabel(/^Clear clipboard after/).fill('5');
  await settings.getByRole('button', { name: 'Save Settings' }).click();
  await expect(settings.getByText('Settings saved.')).toBeVisible();
  await settings.getByRole('button', { name: 'Close' }).first().click();
  await expect(settings).toBeHidden();

  await clipboard.write('something the user copied before');
  const form = await fillCustomClient(page, 'Reporting Worker');
  await form.getByRole('button', { name: 'Create Client' }).click();
  const secretDialog = page.getByRole('dialog', { name: 'Client Created' });
  await expect(secretDialog).toBeVisible();
  const clientId = (await secretDialog.locator('dd code').first().textContent())?.trim() ?? '';

  await secretDialog.getByRole('button', { name: 'Copy', exact: true }).click();
  await expect(secretDialog.getByText(/clipboard clears in [1-5] s/)).toBeVisible();
  const secret = await clipboard.read();
  expect(secret).toMatch(/^[A-Za-z0-9_-]{40,}$/);
  expect(await page.content()).not.toContain(secret);

  const response = await clientCredentialsToken(app, clientId, secret, 'directory:read');
  expect(response.status).toBe(200);
  const token = (await response.json()) as { access_token?: string; token_type?: string };
  expect(token.access_token).toBeTruthy();
  expect(token.token_type?.toLowerCase()).toBe('bearer');

  // After the clear time the secret is gone from the clipboard.
  await expect(secretDialog.getByText('Clipboard cleared')).toBeVisible({ timeout: 10_000 });
  await expect.poll(() => clipboard.read(), { timeout: 10_000 }).not.toBe(secret);
  // Copied once: Done closes without asking.
  await secretDialog.getByRole('button', { name: 'Done' }).click();
  await expect(secretDialog).toBeHidden();
});

test('bad input — an http:// redirect URI, an unknown scope, an empty name — is refused on its field and creates nothing', async ({ page, context, app }) => {
  await signIn(page, context, app, app.credentials.admin);
  const form = await openCreateDialog(page, 'Custom Client');

  await addEntry(form, 'Redirect URIs', 'http://billing.example.com/callback');
  const redirectGroup = form.getByRole('group', { name: /^Redirect URIs/ });
  await expect(redirectGroup.getByText('http:// is only allowed for the loopback addresses 127.0.0.1 and [::1]; use https://.')).toBeVisible();
  await expect(entryInput(redirectGroup, 'Redirect URIs')).toHaveAttribute('aria-invalid', 'true');
  await expect(form.getByRole('list', { name: 'Redirect URIs' })).toHaveCount(0);

  await addEntry(form, 'Scopes', 'payments:write', 'Enter');
  const scopeGroup = form.getByRole('group', { name: /^Scopes/ });
  await expect(scopeGroup.getByText('Unknown scope "payments:write": it is not in this server\'s scope catalog.')).toBeVisible();
  await expect(form.getByRole('list', { name: 'Scopes' })).toHaveCount(0);

  // Authorization Code without a redirect URI is refused before sending, as is the empty name.
  await entryInput(redirectGroup, 'Redirect URIs').fill('');
  await entryInput(scopeGroup, 'Scopes').fill('');
  await addEntry(form, 'Scopes', 'openid');
  await form.getByRole('checkbox', { name: 'Authorization Code', exact: true }).check();
  await form.getByRole('button', { name: 'Create Client' }).click();
  await expect(form.getByText('Enter a client name.')).toBeVisible();
  await expect(form.getByLabel('Client Name')).toHaveAttribute('aria-invalid', 'true');
  await expect(form.getByLabel('Client Name')).toBeFocused();
  await expect(form.getByText('Authorization Code needs at least one redirect URI.')).toBeVisible();
  await checkScreen(page, 'create-custom-client-errors');

  // A name of spaces only is still empty.
  await form.getByLabel('Client Name').fill('   ');
  await form.getByRole('button', { name: 'Create Client' }).click();
  await expect(form.getByText('Enter a client name.')).toBeVisible();

  // Nothing was created: closing asks before throwing the input away, and the server has five clients.
  await form.getByRole('button', { name: 'Cancel' }).click();
  await form.getByRole('button', { name: 'Discard' }).click();
  await expect(form).toBeHidden();
  await expect(countText(page)).toHaveText('5 of 5 clients');
  expect(await app.server().clients.count()).toBe(5);
});
