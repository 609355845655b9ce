// Issue 12, forms: a character counter near the limit, name and description checked when the
// user leaves them (not only on submit), pasted lists split into entries, and Response Types
// help that says what Token and Code mean.
import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { entryInput, openCreateDialog, signIn } from './journey-helpers.ts';

/** Pastes `text` into `input` from the clipboard, as Ctrl+V does. */
async function paste(page: Page, input: Locator, text: string): Promise<void> {
  await page.evaluate((value) => navigator.clipboard.writeText(value), text);
  await input.focus();
  await page.keyboard.press('ControlOrMeta+V');
}

test('counters near the limit, checks on leaving a field, pasted scopes and redirect URIs added one by one, and what Token and Code mean', async ({ page, context, app }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.appOrigin });
  await signIn(page, context, app, app.credentials.admin);
  const form = await openCreateDialog(page, 'Custom Client');
  const name = form.getByLabel('Client Name');

  // Leaving Client Name untouched says nothing; typed and emptied, it says what is missing.
  await name.press('Tab');
  await expect(form.getByText('Enter a client name.')).toHaveCount(0);
  await name.fill('Billing');
  await name.fill('');
  await name.press('Tab');
  await expect(form.getByText('Enter a client name.')).toBeVisible();
  await expect(name).toHaveAttribute('aria-invalid', 'true');

  // The counter appears from 80 characters of 100, and turns into an error past the limit on leaving.
  await name.fill('n'.repeat(79));
  await expect(form.getByText('Enter a client name.')).toHaveCount(0);
  await expect(form.getByText(/^\d+ \/ 100/)).toHaveCount(0);
  await name.fill('n'.repeat(80));
  await expect(form.getByText('80 / 100')).toBeVisible();
  await expect(name).toHaveAccessibleDescription(/80 \/ 100 characters/);
  await name.fill('n'.repeat(101));
  await expect(form.getByText('101 / 100')).toBeVisible();
  await name.press('Tab');
  await expect(form.getByText('Client Name can be at most 100 characters.')).toBeVisible();
  await name.fill('Billing Portal');
  await name.press('Tab');
  await expect(form.getByText('Client Name can be at most 100 characters.')).toHaveCount(0);

  const description = form.getByLabel('Description');
  await description.fill('d'.repeat(401));
  await expect(form.getByText('401 / 500')).toBeVisible();
  await description.fill('d'.repeat(501));
  await description.press('Tab');
  await expect(form.getByText('Description can be at most 500 characters.')).toBeVisible();
  await description.fill('Invoices');
  await description.press('Tab');
  await expect(form.getByText('Description can be at most 500 characters.')).toHaveCount(0);

  // Pasting "openid profile email" adds three scopes; commas and new lines separate them too.
  const scopes = form.getByRole('group', { name: /^Scopes/ });
  await paste(page, entryInput(scopes, 'Scopes'), 'openid profile email');
  await expect(form.getByRole('list', { name: 'Scopes' }).getByRole('listitem')).toHaveText(['openid', 'profile', 'email']);
  await expect(entryInput(scopes, 'Scopes')).toHaveValue('');
  // What cannot be added stays in the field, with its reason; the rest is added.
  await paste(page, entryInput(scopes, 'Scopes'), 'directory:read,\nnot-a-scope');
  await expect(form.getByRole('list', { name: 'Scopes' }).getByRole('listitem')).toHaveCount(4);
  await expect(entryInput(scopes, 'Scopes')).toHaveValue('not-a-scope');
  await expect(scopes.getByText(/^not-a-scope: Unknown scope/)).toBeVisible();

  // Redirect URIs pasted one per line.
  const uris = form.getByRole('group', { name: /^Redirect URIs/ });
  await paste(page, entryInput(uris, 'Redirect URIs'), 'https://billing.example.com/callback\nhttps://billing.example.com/silent\n');
  await expect(form.getByRole('list', { name: 'Redirect URIs' }).getByRole('listitem')).toHaveText(['https://billing.example.com/callback', 'https://billing.example.com/silent']);
  // One pasted entry is text to look at before Add.
  await paste(page, entryInput(uris, 'Redirect URIs'), 'https://billing.example.com/third');
  await expect(entryInput(uris, 'Redirect URIs')).toHaveValue('https://billing.example.com/third');
  await expect(form.getByRole('list', { name: 'Redirect URIs' }).getByRole('listitem')).toHaveCount(2);

  // Response Types: what Token and Code mean.
  const responseTypes = form.getByRole('group', { name: /^Response Types/ });
  await expect(responseTypes).toContainText('Tokens always come from the token endpoint');
  await expect(form.getByRole('checkbox', { name: 'Token', exact: true })).toHaveAccessibleDescription(/token endpoint's answer.*Never in the redirect URI/);
  await expect(form.getByRole('checkbox', { name: 'Code', exact: true })).toHaveAccessibleDescription(/one-time authorization code to the redirect URI.*exchanges.*token endpoint/);
});
