// Steps the renderer journeys share: signing in through the real login page, checking a screen
// with axe-core and saving its screenshot, creating clients through the UI.
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { BrowserContext, Locator, Page } from '@playwright/test';
import { completeLogin, expect, SCREENSHOTS_DIR } from './fixtures.ts';
import type { AppFixture, Credentials } from './fixtures.ts';
import type { ClientSettings } from '../shared/client.ts';

export const DEFAULT_CLIENT_NAMES = ['Admin Client', 'Sync Service Client', 'ThetaSecure Mobile App', 'ThetaSecure Desktop Agent', 'ThetaSecure Admin Console'];

/** Opens the app, presses "Sign in", completes the real login page in the tab it opens. */
export async function signIn(page: Page, context: BrowserContext, app: AppFixture, who: Credentials, options: { onSignInScreen?: () => Promise<void> } = {}): Promise<void> {
  await page.goto(app.appUrl);
  await expect(page.getByRole('heading', { name: 'Sign in to manage OAuth Clients' })).toBeVisible();
  await expect(page.getByLabel('Issuer')).toHaveValue(app.issuer);
  await options.onSignInScreen?.();
  const loginTab = context.waitForEvent('page');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByText('Waiting for you to sign in in your browser…')).toBeVisible();
  const tab = await loginTab;
  await tab.waitForURL((url) => url.origin === new URL(app.issuer).origin);
  await completeLogin(tab, who);
  await tab.close();
  await expect(page.getByRole('heading', { name: 'OAuth Clients', exact: true, level: 1 })).toBeVisible();
  await expect(page.getByRole('table', { name: 'OAuth clients' })).toBeVisible();
}

/** The table row of the client named `name` (rows are named by their cells' text). */
export function row(page: Page, name: string): Locator {
  return page.getByRole('table', { name: 'OAuth clients' }).getByRole('row').filter({ has: page.getByText(name, { exact: true }) });
}

export function countText(page: Page): Locator {
  return page.getByRole('status').filter({ hasText: /^\d+ of \d+ clients$/ });
}

/** No serious or critical axe-core violation on what is on screen now; saves its screenshot too. */
export async function checkScreen(page: Page, name: string): Promise<void> {
  // Let enter animations finish so the screenshot and the colour checks see the final state.
  await page.waitForTimeout(250);
  await page.screenshot({ path: path.join(SCREENSHOTS_DIR, `${name}.png`) });
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  const blocking = results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id} (${violation.impact}): ${violation.help} — ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
  expect(blocking, `axe-core on the "${name}" screen`).toEqual([]);
}

export async function openCreateDialog(page: Page, type: 'Sync Connector Client' | 'Custom Client'): Promise<Locator> {
  await page.getByRole('button', { name: 'Create Client' }).click();
  const dialog = page.getByRole('dialog', { name: 'Create OAuth Client' });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: new RegExp(`^${type}`) }).click();
  const form = page.getByRole('dialog', { name: `Create ${type}` });
  await expect(form).toBeVisible();
  return form;
}

/** Types an entry into a list field (Redirect URIs, Scopes) and adds it with Enter or the Add button. */
export async function addEntry(form: Locator, field: 'Redirect URIs' | 'Scopes', value: string, how: 'Enter' | 'Add' = 'Add'): Promise<void> {
  const group = form.getByRole('group', { name: new RegExp(`^${field}`) });
  const input = entryInput(group, field);
  await input.fill(value);
  if (how === 'Enter') await input.press('Enter');
  else await group.getByRole('button', { name: 'Add', exact: true }).click();
}

/** The text box of a list field; Scopes offers the server's catalog as suggestions, so it is a combobox. */
export function entryInput(group: Locator, field: 'Redirect URIs' | 'Scopes'): Locator {
  return group.getByRole(field === 'Scopes' ? 'combobox' : 'textbox', { name: new RegExp(`^${field}`) });
}

/** Closes the secret dialog the way a user who saved nothing would: Done, then confirm. */
export async function closeSecretDialogWithoutSaving(page: Page): Promise<void> {
  const dialog = page.getByRole('dialog', { name: 'Client Created' });
  await dialog.getByRole('button', { name: 'Done' }).click();
  await expect(dialog.getByText('You have not copied or revealed the Client Secret. It cannot be shown again.')).toBeVisible();
  await dialog.getByRole('button', { name: 'Close without the secret' }).click();
  await expect(dialog).toBeHidden();
}

export async function createSyncConnector(page: Page, name: string, description = ''): Promise<void> {
  const form = await openCreateDialog(page, 'Sync Connector Client');
  await form.getByLabel('Client Name').fill(name);
  if (description) await form.getByLabel('Description').fill(description);
  await form.getByRole('button', { name: 'Create Client' }).click();
  await expect(page.getByRole('dialog', { name: 'Client Created' })).toBeVisible();
  await closeSecretDialogWithoutSaving(page);
  await expect(row(page, name)).toBeVisible();
}

/**
 * Presses Reveal in a secret dialog and returns the secret once it shows: Reveal asks the host
 * for it, so the text arrives a moment after the click (reading it at once raced under load).
 */
export async function revealSecret(dialog: Locator): Promise<string> {
  await dialog.getByRole('button', { name: 'Reveal' }).click();
  const value = dialog.getByTestId('client-secret-value');
  await expect(value).toHaveText(/^\S{32,}$/);
  return (await value.textContent()) ?? '';
}

/** A custom Client Credentials client's settings, for seeding clients through the server's store. */
export function customSettings(name: string, extra: Partial<ClientSettings> = {}): ClientSettings {
  return { name, description: '', kind: 'custom', status: 'active', grantTypes: ['client_credentials'], responseTypes: ['token'], redirectUris: [], scopes: ['directory:read'], requireConsent: false, tokenEndpointAuthMethod: 'client_secret_basic', ...extra };
}
