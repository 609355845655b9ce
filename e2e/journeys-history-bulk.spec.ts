// Issue 11's journeys in serve mode against a real server, in Chromium: an edit by another admin
// shows in History with their name and the diff, and is reverted; bulk disable of 50 clients with
// a default one among them; the app's Export downloads a document without secrets; a file exported
// from another server is imported into this fresh one (dry run, Apply, new secrets); a dry run
// that reports an invalid entry by its field writes nothing.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startServer } from '../server/app.ts';
import { prepareNewClient } from '../server/new-client.ts';
import { accessToken, api } from '../server/testing/test-server.ts';
import { expect, test } from './fixtures.ts';
import { checkScreen, countText, customSettings, row, signIn } from './journey-helpers.ts';

test('an edit by another admin shows in History with their name and the diff, and Revert puts it back', async ({ page, context, app }) => {
  const created = await app.server().clients.create(prepareNewClient(customSettings('Payroll Export', { description: 'Nightly payroll file' })).record, 'user:admin');
  await signIn(page, context, app, app.credentials.admin);
  // Another admin: the Admin Client's token, through the API.
  const token = await accessToken(app.server(), 'ts_admin_client', app.clientSecrets.adminClient);
  const patched = await api(app.server(), 'PATCH', `/clients/${created.clientId}`, {
    token,
    body: { name: 'Payroll Export v2', grantTypes: ['client_credentials', 'authorization_code'], redirectUris: ['https://payroll.example.com/cb'] },
    headers: { 'if-match': `"${created.version}"` },
  });
  expect(patched.status).toBe(200);

  await row(page, 'Payroll Export v2').getByRole('button', { name: 'View Payroll Export v2' }).click();
  const panel = page.getByRole('dialog', { name: 'Payroll Export v2' });
  await panel.getByRole('tab', { name: 'History' }).click();
  const entries = panel.getByTestId('history-entry');
  await expect(entries).toHaveCount(2);
  const edit = entries.first();
  await expect(edit).toContainText('Admin Client changed');
  await expect(edit).toContainText('Client NamePayroll Export → Payroll Export v2');
  await expect(edit).toContainText('Grant Typesadded Authorization Code');
  await expect(edit).toContainText('Redirect URIsadded https://payroll.example.com/cb');
  await expect(entries.nth(1)).toContainText('Administrator created the client');
  await checkScreen(page, 'client-history');

  await edit.getByRole('button', { name: 'Revert this change' }).click();
  const revert = page.getByRole('dialog', { name: 'Revert this change?' });
  await expect(revert).toContainText('Client Name');
  await revert.getByRole('button', { name: 'Revert', exact: true }).click();
  await expect(revert).toBeHidden();
  const reverted = page.getByRole('dialog', { name: 'Payroll Export' });
  await expect(reverted).toBeVisible();
  const after = reverted.getByTestId('history-entry');
  await expect(after).toHaveCount(3);
  await expect(after.first()).toContainText('Administrator changed');
  await expect(after.first()).toContainText('Client NamePayroll Export v2 → Payroll Export');
  const stored = (await app.server().clients.get(created.clientId))!;
  expect(stored).toMatchObject({ name: 'Payroll Export', grantTypes: ['client_credentials'], redirectUris: [] });
});

test('bulk disable of 50 clients with one default among them leaves the default out; Export downloads them without secrets', async ({ page, context, app }) => {
  const records = Array.from({ length: 49 }, (_, i) => prepareNewClient(customSettings(`Fleet ${String(i).padStart(2, '0')}`, { labels: ['team:fleet'] })));
  await app.server().clients.insertMany(
    records.map((r) => r.record),
    'user:admin',
  );
  await signIn(page, context, app, app.credentials.admin);
  await expect(countText(page)).toHaveText('54 of 54 clients');

  // Search on a label, then one default client too.
  await page.getByLabel('Search clients').fill('team:fleet');
  await expect(countText(page)).toHaveText('49 of 54 clients');
  // Select mode shows the checkboxes.
  await page.getByRole('button', { name: 'Select', exact: true }).click();
  const rows = page.getByRole('table', { name: 'OAuth clients' }).getByRole('row');
  // The row says where the search matched: not the name, but a label.
  await expect(rows.nth(1)).toContainText('label: team:fleet');
  await rows.nth(1).getByRole('checkbox').click();
  await page.getByRole('button', { name: 'Select all 49 matching' }).click();
  await expect(page.getByRole('group', { name: 'Bulk actions' })).toContainText('49 selected');
  await page.getByLabel('Search clients').fill('Sync Service');
  await row(page, 'Sync Service Client').getByRole('checkbox', { name: 'Select Sync Service Client' }).click();
  const bar = page.getByRole('group', { name: 'Bulk actions' });
  await expect(bar).toContainText('50 selected');

  await bar.getByRole('button', { name: 'Disable', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Disable clients' });
  await expect(dialog).toContainText('1 default client is left out: default clients are not disabled in bulk.');
  await checkScreen(page, 'bulk-disable');
  await dialog.getByRole('button', { name: 'Disable 49 clients' }).click();
  await expect(dialog).toContainText('Done for 49 clients; not done for 1:');
  await expect(dialog).toContainText('ts_sync_client');
  await dialog.getByRole('button', { name: 'Close', exact: true }).first().click();
  const all = (await app.server().clients.list({ limit: 500 })).items;
  expect(all.filter((c) => c.name.startsWith('Fleet') && c.status === 'disabled')).toHaveLength(49);
  expect(all.find((c) => c.clientId === 'ts_sync_client')!.status).toBe('active');
  const audit = await app.server().clients.auditLog({ action: 'client.update', limit: 100 });
  expect(audit.filter((entry) => entry.actor === 'user:admin')).toHaveLength(49);

  // Export the selection (serve mode: a download).
  // A shift-click range: rows 1 to 3 of the ten "Fleet 0…" clients.
  await page.getByLabel('Search clients').fill('Fleet 0');
  await expect(countText(page)).toHaveText('10 of 54 clients');
  await rows.nth(1).getByRole('checkbox').click();
  await rows.nth(3).getByRole('checkbox').click({ modifiers: ['Shift'] });
  await expect(page.getByRole('group', { name: 'Bulk actions' })).toContainText('3 selected');
  const download = page.waitForEvent('download');
  await page.getByRole('group', { name: 'Bulk actions' }).getByRole('button', { name: 'Export' }).click();
  const file = await download;
  const text = await fs.readFile(await file.path(), 'utf8');
  const document = JSON.parse(text) as { format: string; clients: { name: string }[] };
  expect(document.format).toBe('thetasecure-clients');
  expect(document.clients).toHaveLength(3);
  for (const client of document.clients) expect(client.name).toMatch(/^Fleet 0\d$/);
  for (const record of records) expect(text).not.toContain(record.clientSecret!);
  expect(text).not.toMatch(/"(hash|secrets)"/);
});

test('clients exported from one server are imported into a fresh one: a dry run, Apply, new secrets shown once', async ({ page, context, app }) => {
  const otherDir = await fs.mkdtemp(path.join(os.tmpdir(), 'thetasecure-e2e-other-'));
  const other = await startServer({ port: 0, dataDir: otherDir, adminPassword: 'other-admin-password-0123', helpdeskPassword: 'other-helpdesk-password-0123', adminClientSecret: 'other-admin-client-secret-0123456789', syncClientSecret: 'other-sync-client-secret-0123456789', quiet: true });
  let exportText: string;
  try {
    const token = await accessToken(other, 'ts_admin_client', 'other-admin-client-secret-0123456789');
    const a = await api(other, 'POST', '/clients', { token, body: { name: 'Moved Billing', grantTypes: ['client_credentials'], scopes: ['directory:read'], labels: ['team:billing'] } });
    const b = await api(other, 'POST', '/clients', { token, body: { name: 'Moved Web', grantTypes: ['authorization_code'], redirectUris: ['https://web.example.com/cb'], scopes: ['openid'], tokenEndpointAuthMethod: 'none' } });
    const ids = [((await a.json()) as { client: { clientId: string } }).client.clientId, ((await b.json()) as { client: { clientId: string } }).client.clientId];
    exportText = await (await api(other, 'GET', `/clients/export?clientIds=${ids.join(',')}`, { token })).text();
  } finally {
    await other.close();
    await fs.rm(otherDir, { recursive: true, force: true });
  }
  const exported = JSON.parse(exportText) as { clients: { clientId: string; name: string; labels: string[]; redirectUris: string[] }[] };

  await signIn(page, context, app, app.credentials.admin);
  await page.getByRole('button', { name: 'Import' }).click();
  const dialog = page.getByRole('dialog', { name: 'Import clients' });
  await dialog.getByLabel('Export file (.json)').setInputFiles({ name: 'clients.json', mimeType: 'application/json', buffer: Buffer.from(exportText) });
  const plan = dialog.getByRole('table', { name: 'Import plan' });
  await expect(plan.getByRole('row')).toHaveCount(3);
  await expect(plan).toContainText('Moved Billing');
  await expect(dialog).toContainText('2 create, 0 update, 0 unchanged, 0 conflict, 0 invalid');
  expect(await app.server().clients.get(exported.clients[0]!.clientId)).toBeNull();
  await dialog.getByRole('button', { name: 'Apply' }).click();

  const done = page.getByRole('dialog', { name: 'Import done' });
  await expect(done).toContainText('Created 2');
  const secrets = done.getByRole('region', { name: 'New client secrets' }).or(done.getByLabel('New client secrets'));
  await expect(secrets).toContainText('Moved Billing');
  await expect(secrets).not.toContainText('Moved Web');
  await checkScreen(page, 'import-done');
  await done.getByRole('button', { name: 'Reveal the secret of Moved Billing' }).click();
  const revealed = (await done.locator('.secret-value').first().textContent())!;
  expect(revealed).toMatch(/^[A-Za-z0-9_-]{43}$/);
  const tokenResponse = await fetch(`${app.serverUrl}/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${exported.clients[0]!.clientId}:${revealed}`).toString('base64')}` },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'directory:read' }),
  });
  expect(tokenResponse.status).toBe(200);
  await done.getByRole('button', { name: 'Close', exact: true }).first().click();

  for (const client of exported.clients) {
    const copy = (await app.server().clients.get(client.clientId))!;
    expect(copy).toMatchObject({ name: client.name, labels: client.labels, redirectUris: client.redirectUris });
  }
  await expect(row(page, 'Moved Billing')).toBeVisible();
});

test('a dry run reports an invalid entry with its field and writes nothing', async ({ page, context, app }) => {
  await signIn(page, context, app, app.credentials.admin);
  const before = await app.server().clients.count();
  const bad = {
    format: 'thetasecure-clients',
    version: 1,
    exportedAt: new Date().toISOString(),
    clients: [
      { clientId: 'tsc_good_one', name: 'Good One', description: '', kind: 'custom', status: 'active', grantTypes: ['client_credentials'], responseTypes: ['token'], redirectUris: [], scopes: ['directory:read'], requireConsent: false, tokenEndpointAuthMethod: 'client_secret_basic', jwksUri: null, jwks: null, labels: [] },
      { clientId: 'tsc_bad_one', name: 'Bad One', description: '', kind: 'custom', status: 'active', grantTypes: ['authorization_code'], responseTypes: ['token'], redirectUris: ['http://evil.example.com/cb'], scopes: ['openid'], requireConsent: false, tokenEndpointAuthMethod: 'none', jwksUri: null, jwks: null, labels: [] },
    ],
  };
  await page.getByRole('button', { name: 'Import' }).click();
  const dialog = page.getByRole('dialog', { name: 'Import clients' });
  await dialog.getByLabel('Export file (.json)').setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(bad)) });
  await expect(dialog).toContainText('1 create, 0 update, 0 unchanged, 0 conflict, 1 invalid');
  const invalidRow = dialog.getByRole('table', { name: 'Import plan' }).getByRole('row').filter({ hasText: 'Bad One' });
  await expect(invalidRow).toContainText('Invalid');
  await expect(invalidRow).toContainText('clients[1].redirectUris[0]');
  await expect(dialog.getByRole('button', { name: 'Apply' })).toBeDisabled();
  expect(await app.server().clients.count()).toBe(before);
  expect(await app.server().clients.get('tsc_good_one')).toBeNull();
});
