// Issue 8's journeys: another admin changes clients through the admin API directly (a
// client_credentials token of ts_admin_client), and the open app shows each change within 2 s
// without a reload — the row, the "N of M" count, the details panel and an open edit form.
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import type { AppFixture } from './fixtures.ts';
import { checkScreen, closeSecretDialogWithoutSaving, countText, openCreateDialog, row, signIn } from './journey-helpers.ts';

const LIVE = { timeout: 2_000 };

/** The admin API as another admin: a token of the Admin Client, then plain HTTP. */
async function otherAdmin(app: AppFixture) {
  const discovery = (await (await fetch(`${app.issuer}/.well-known/openid-configuration`)).json()) as { token_endpoint: string };
  const basic = Buffer.from(`ts_admin_client:${encodeURIComponent(app.clientSecrets.adminClient)}`).toString('base64');
  const tokenResponse = await fetch(discovery.token_endpoint, {
    method: 'POST',
    headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'clients:read clients:write' }),
  });
  expect(tokenResponse.status).toBe(200);
  const { access_token: token } = (await tokenResponse.json()) as { access_token: string };
  const api = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${app.serverUrl}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
      body: body ? JSON.stringify(body) : undefined,
    });
    expect(response.status, `${method} ${path}`).toBeLessThan(300);
    return response.status === 204 ? null : ((await response.json()) as Record<string, unknown>);
  };
  return {
    create: async (name: string) => ((await api('POST', '/clients', { kind: 'sync_connector', name, description: '' })) as { client: { clientId: string; version: number } }).client,
    rename: async (clientId: string, name: string) => {
      const current = (await api('GET', `/clients/${clientId}`)) as { version: number };
      return api('PATCH', `/clients/${clientId}`, { name }, { 'if-match': `"${current.version}"` });
    },
    remove: (clientId: string) => api('DELETE', `/clients/${clientId}`),
  };
}

async function signedIn(page: Page, context: Parameters<typeof signIn>[1], app: AppFixture) {
  await signIn(page, context, app, app.credentials.admin);
  await expect(countText(page)).toHaveText('5 of 5 clients');
}

test("another admin's create, edit and delete appear without a reload, with the count following", async ({ page, context, app }) => {
  await signedIn(page, context, app);
  const admin = await otherAdmin(app);

  const created = await admin.create('Payroll Export');
  await expect(row(page, 'Payroll Export')).toBeVisible(LIVE);
  await expect(countText(page)).toHaveText('6 of 6 clients', LIVE);

  await admin.rename(created.clientId, 'Payroll Export (EU)');
  await expect(row(page, 'Payroll Export (EU)')).toBeVisible(LIVE);
  await expect(row(page, 'Payroll Export')).toHaveCount(0);

  // A search in progress follows too.
  await page.getByRole('searchbox', { name: 'Search clients' }).fill('payroll');
  await expect(countText(page)).toHaveText('1 of 6 clients');
  await admin.remove(created.clientId);
  await expect(row(page, 'Payroll Export (EU)')).toHaveCount(0, LIVE);
  await expect(countText(page)).toHaveText('0 of 5 clients', LIVE);
});

test('the details panel follows an edit made elsewhere, and says "This client was deleted" after a delete elsewhere', async ({ page, context, app }) => {
  await signedIn(page, context, app);
  const admin = await otherAdmin(app);
  const created = await admin.create('Directory Sync — Oslo');
  await row(page, 'Directory Sync — Oslo').getByRole('button', { name: 'View Directory Sync — Oslo' }).click(LIVE);
  await expect(page.getByRole('dialog', { name: 'Directory Sync — Oslo' })).toBeVisible();

  await admin.rename(created.clientId, 'Directory Sync — Bergen');
  const panel = page.getByRole('dialog', { name: 'Directory Sync — Bergen' });
  await expect(panel).toBeVisible(LIVE);
  await expect(panel).toContainText(created.clientId);

  await admin.remove(created.clientId);
  await expect(panel.getByRole('alert')).toContainText('This client was deleted', LIVE);
  // Still readable, no longer editable.
  await expect(panel).toContainText(created.clientId);
  await expect(panel.getByRole('button', { name: 'Edit Client' })).toHaveCount(0);
  await checkScreen(page, 'details-deleted-elsewhere');
  await page.emulateMedia({ colorScheme: 'dark' });
  await checkScreen(page, 'details-deleted-elsewhere-dark');
  await page.emulateMedia({ colorScheme: 'light' });
  await panel.getByRole('button', { name: 'Close details' }).click();
  await expect(panel).toBeHidden();
});

test('an open edit form says "Changed by someone else — reload", keeps the edits, and reload lays them over the other version', async ({ page, context, app }) => {
  await signedIn(page, context, app);
  const admin = await otherAdmin(app);
  const created = await admin.create('Ledger Sync');
  await row(page, 'Ledger Sync').getByRole('button', { name: 'Edit Ledger Sync' }).click(LIVE);
  const edit = page.getByRole('dialog', { name: /^Edit Client/ });
  await edit.getByLabel('Description').fill('Owned by finance');

  await admin.rename(created.clientId, 'Ledger Sync (prod)');
  await expect(edit.getByRole('alert').filter({ hasText: 'Changed by someone else — reload' })).toBeVisible(LIVE);
  // Nothing replaced on its own.
  await expect(edit.getByLabel('Client Name')).toHaveValue('Ledger Sync');
  await expect(edit.getByLabel('Description')).toHaveValue('Owned by finance');
  await checkScreen(page, 'edit-changed-elsewhere');
  await page.emulateMedia({ colorScheme: 'dark' });
  await checkScreen(page, 'edit-changed-elsewhere-dark');
  await page.emulateMedia({ colorScheme: 'light' });

  await edit.getByRole('button', { name: 'Reload', exact: true }).click();
  await expect(edit.getByLabel('Client Name')).toHaveValue('Ledger Sync (prod)');
  await expect(edit.getByLabel('Description')).toHaveValue('Owned by finance');
  await edit.getByRole('button', { name: 'Save Changes' }).click();
  await expect(edit).toBeHidden();
  expect(await app.server().clients.get(created.clientId)).toMatchObject({ name: 'Ledger Sync (prod)', description: 'Owned by finance' });
  await expect(row(page, 'Ledger Sync (prod)')).toContainText('Owned by finance');
});

test('after a create the details panel opens on the new client at once, behind the secret dialog', async ({ page, context, app }) => {
  await signedIn(page, context, app);
  const form = await openCreateDialog(page, 'Sync Connector Client');
  await form.getByLabel('Client Name').fill('Warehouse Sync');
  await form.getByRole('button', { name: 'Create Client' }).click();
  await expect(page.getByRole('dialog', { name: 'Client Created' })).toBeVisible();
  await closeSecretDialogWithoutSaving(page);
  // Open already (it opened with the secret dialog, from the create answer), and the row is there.
  await expect(page.getByRole('dialog', { name: 'Warehouse Sync' })).toBeVisible({ timeout: 500 });
  await expect(row(page, 'Warehouse Sync')).toBeVisible();
  await expect(countText(page)).toHaveText('6 of 6 clients');
});
