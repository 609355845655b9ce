// Walks every screen and dialog of the app against the real server in serve mode, and calls
// `capture(name)` on each, in the state a user sees it. Two users: an administrator (sign-in,
// the list, the panel, every dialog, the empty list, offline) and a helpdesk user (read-only).
// Used by the screen pass (`npm run screenshots`: every width, light and dark, PNGs and axe) and
// by the axe spec of the normal suite (one width).
import AxeBuilder from '@axe-core/playwright';
import type { BrowserContext, Page, Route } from '@playwright/test';
import { expect } from '../fixtures.ts';
import type { AppFixture } from '../fixtures.ts';
import { addEntry, openCreateDialog, row, signIn } from '../journey-helpers.ts';

export type Capture = (name: string) => Promise<void>;

export const SCREEN_NAMES = [
  'sign-in',
  'list',
  'create-choose',
  'custom-form-errors',
  'secret-once',
  'list-with-panel',
  'panel-endpoints',
  'edit',
  'delete',
  'rotate',
  'settings',
  'empty-list',
  'offline-banner',
  'helpdesk-read-only',
] as const;
export type ScreenName = (typeof SCREEN_NAMES)[number];

/** Lets enter animations (dialogs fade and zoom in 150 ms) finish. */
export async function settle(page: Page): Promise<void> {
  await page.waitForTimeout(300);
}

/** Every axe-core violation (WCAG 2.1 A/AA and best practice, any impact) on what is on screen, as text. */
export async function axeViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  return results.violations.map((violation) => `${violation.id} (${violation.impact}): ${violation.help} — ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
}

export async function walkAdminScreens(page: Page, context: BrowserContext, app: AppFixture, capture: Capture): Promise<void> {
  await signIn(page, context, app, app.credentials.admin, {
    onSignInScreen: async () => {
      await settle(page);
      await capture('sign-in');
    },
  });
  await expect(row(page, 'Admin Client')).toBeVisible();
  await settle(page);
  await capture('list');

  // Create: the choice, then the custom form refused with its errors on their fields.
  await page.getByRole('button', { name: 'Create Client' }).click();
  await expect(page.getByRole('dialog', { name: 'Create OAuth Client' })).toBeVisible();
  await settle(page);
  await capture('create-choose');
  await page.keyboard.press('Escape');
  const form = await openCreateDialog(page, 'Custom Client');
  await form.getByLabel('Description').fill('Invoices and the billing portal. '.repeat(13).trim());
  await form.getByRole('button', { name: 'Create Client' }).click();
  await expect(form.getByText('Enter a client name.')).toBeVisible();
  await settle(page);
  await capture('custom-form-errors');

  // Fixed, created: the secret shown once.
  await form.getByLabel('Client Name').fill('Billing Portal');
  await form.getByLabel('Description').fill('Invoices and the billing portal');
  await addEntry(form, 'Redirect URIs', 'https://billing.example.com/callback');
  await addEntry(form, 'Scopes', 'openid profile directory:read');
  await form.getByRole('checkbox', { name: 'Authorization Code', exact: true }).check();
  await form.getByRole('checkbox', { name: 'Client Credentials', exact: true }).check();
  await form.getByRole('button', { name: 'Create Client' }).click();
  const secret = page.getByRole('dialog', { name: 'Client Created' });
  await expect(secret).toBeVisible();
  await secret.getByRole('button', { name: 'Reveal' }).click();
  await expect(secret.getByTestId('client-secret-value')).not.toHaveText('');
  await secret.getByRole('button', { name: 'Hide' }).click();
  await settle(page);
  await capture('secret-once');
  await secret.getByRole('button', { name: 'Done' }).click();
  await expect(secret).toBeHidden();

  // The panel opens on the new client, with its endpoints and quick starts.
  const panel = page.getByRole('dialog', { name: 'Billing Portal' });
  await expect(panel).toBeVisible();
  await expect(panel.getByRole('heading', { name: 'Quick start' })).toBeVisible();
  await expect(panel.getByRole('region', { name: 'Endpoints' }).getByRole('term').filter({ hasText: 'Token' })).toBeVisible();
  await settle(page);
  await capture('list-with-panel');
  // The panel scrolled to its Endpoints and Quick start.
  await panel.getByRole('heading', { name: 'Endpoints' }).evaluate((heading) => heading.scrollIntoView({ block: 'start' }));
  await capture('panel-endpoints');
  await panel.getByRole('heading', { name: 'Secrets' }).evaluate((heading) => heading.closest('.details-body')?.scrollTo({ top: 0 }));

  await panel.getByRole('button', { name: 'Edit Client' }).click();
  const edit = page.getByRole('dialog', { name: /^Edit Client/ });
  await expect(edit.getByLabel('Client Name')).toHaveValue('Billing Portal');
  await settle(page);
  await capture('edit');
  await edit.getByRole('button', { name: 'Cancel' }).click();
  await expect(edit).toBeHidden();

  await panel.getByRole('button', { name: 'Delete' }).click();
  const remove = page.getByRole('alertdialog', { name: 'Delete Billing Portal?' });
  await expect(remove).toBeVisible();
  await settle(page);
  await capture('delete');
  await remove.getByRole('button', { name: 'Cancel' }).click();
  await expect(remove).toBeHidden();

  await panel.getByRole('button', { name: 'Rotate secret…' }).click();
  const rotate = page.getByRole('dialog', { name: 'Rotate secret of Billing Portal' });
  await expect(rotate).toBeVisible();
  await settle(page);
  await capture('rotate');
  await rotate.getByRole('button', { name: 'Cancel' }).click();
  await expect(rotate).toBeHidden();
  await panel.getByRole('button', { name: 'Close details' }).click();
  await expect(panel).toBeHidden();

  await page.getByRole('button', { name: /^Account: / }).click();
  await page.getByRole('menuitem', { name: 'Settings' }).click();
  const settings = page.getByRole('dialog', { name: 'Settings' });
  await expect(settings.getByLabel(/^Clear clipboard after/)).toHaveValue('30');
  await settle(page);
  await capture('settings');
  await settings.getByRole('button', { name: 'Close', exact: true }).last().click();
  await expect(settings).toBeHidden();

  // An empty list: the server always has its default clients, so this page is shown a replica
  // without any (its own answers, emptied on the way), as a user of an empty server sees it.
  const empty = async (route: Route) => {
    const response = await route.fetch();
    const body = (await response.json()) as { ok: boolean; value?: { items: unknown[]; total?: number; complete: boolean } };
    if (body.ok && body.value) {
      body.value.items = [];
      if ('total' in body.value) body.value.total = 0;
    }
    await route.fulfill({ response, json: body });
  };
  await page.route('**/contract/clients%3Ahead', empty);
  await page.route('**/contract/clients%3Asnapshot', empty);
  await page.route('**/contract/clients:head', empty);
  await page.route('**/contract/clients:snapshot', empty);
  await page.reload();
  await expect(page.getByText('No OAuth clients yet')).toBeVisible();
  await settle(page);
  await capture('empty-list');
  await page.unrouteAll({ behavior: 'wait' });
  await page.reload();
  await expect(row(page, 'Billing Portal')).toBeVisible();

  // The server goes away: the cached list under the offline banner, and Refresh says it cannot.
  await app.stopServer();
  await page.getByRole('button', { name: 'Refresh list' }).click();
  await expect(page.getByRole('status').filter({ hasText: /^Offline — showing clients cached / })).toBeVisible({ timeout: 30_000 });
  await page.getByRole('button', { name: 'Refresh list' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Offline — cannot refresh now' })).toBeVisible();
  await settle(page);
  await capture('offline-banner');
  await app.restartServer();
}

export async function walkHelpdeskScreens(page: Page, context: BrowserContext, app: AppFixture, capture: Capture): Promise<void> {
  await signIn(page, context, app, app.credentials.helpdesk);
  await row(page, 'Sync Service Client').getByRole('button', { name: 'View Sync Service Client' }).click();
  const panel = page.getByRole('dialog', { name: 'Sync Service Client' });
  await expect(panel.getByRole('heading', { name: 'Endpoints' })).toBeVisible();
  await expect(panel.getByRole('region', { name: 'Endpoints' }).getByRole('term').filter({ hasText: 'Token' })).toBeVisible();
  await settle(page);
  await capture('helpdesk-read-only');
}
