// Issue 10's journeys: rotate a client's secret with an overlap and copy the new one (it works at
// the real token endpoint, and so does the old one until it is retired), retire the old one
// (refused at once), helpdesk seeing the secrets read-only, and the table's "Last used" column
// and two lifecycle filters with their counts. Clients are seeded into the real server's store,
// as another admin's work would arrive: the replica brings them through the change feed.
import clipboard from 'clipboardy';
import type { Page } from '@playwright/test';
import { validateCreateClient } from '../shared/client.ts';
import type { ClientSettings } from '../shared/client.ts';
import { BUILTIN_SCOPES } from '../shared/catalogs.ts';
import { prepareNewClient } from '../server/new-client.ts';
import { expect, test } from './fixtures.ts';
import type { AppFixture } from './fixtures.ts';
import { checkScreen, countText, revealSecret, row, signIn } from './journey-helpers.ts';

const DAY = 86_400_000;

function syncConnectorSettings(name: string): ClientSettings {
  const checked = validateCreateClient({ kind: 'sync_connector', name, description: 'Seeded by the journey' }, { scopeCatalog: BUILTIN_SCOPES.map((s) => s.name) });
  if (!checked.ok) throw new Error(`seed settings refused: ${JSON.stringify(checked.errors)}`);
  return checked.value;
}

/** A Sync Connector client with a known secret, created in the server's store. */
async function seedClient(app: AppFixture, name: string, options: { secret?: string; createdAt?: Date; expiresAt?: Date } = {}) {
  const prepared = prepareNewClient(syncConnectorSettings(name), { ...(options.secret ? { secret: options.secret } : {}), ...(options.createdAt ? { now: options.createdAt } : {}) });
  if (prepared.record.secret && options.expiresAt) prepared.record.secret.expiresAt = options.expiresAt.toISOString();
  const client = await app.server().clients.create(prepared.record, 'user:someone-else');
  return { client, secret: prepared.clientSecret! };
}

async function tokenStatus(app: AppFixture, clientId: string, secret: string, scope = 'directory:read'): Promise<number> {
  const discovery = (await (await fetch(`${app.issuer}/.well-known/openid-configuration`)).json()) as { token_endpoint: string };
  const basic = Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString('base64');
  const response = await fetch(discovery.token_endpoint, {
    method: 'POST',
    headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope }),
  });
  await response.arrayBuffer();
  return response.status;
}

/** A token of ts_admin_client: another admin using the API directly. */
async function adminApiToken(app: AppFixture): Promise<string> {
  const discovery = (await (await fetch(`${app.issuer}/.well-known/openid-configuration`)).json()) as { token_endpoint: string };
  const response = await fetch(discovery.token_endpoint, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`ts_admin_client:${app.clientSecrets.adminClient}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'clients:read clients:write' }),
  });
  return ((await response.json()) as { access_token: string }).access_token;
}

async function openPanel(page: Page, name: string) {
  await row(page, name).getByRole('button', { name: `View ${name}` }).click();
  const panel = page.getByRole('dialog', { name });
  await expect(panel).toBeVisible();
  return panel;
}

test('rotate with a 24-hour overlap: the copied new secret obtains a token and the old one still does; retiring the old one stops it at once', async ({ page, context, app }) => {
  if (!process.env.DISPLAY) {
    console.log('SKIPPED rotate-and-copy journey: no X display (DISPLAY is unset); run under xvfb-run, as npm test does.');
    test.skip(true, 'No X display (DISPLAY is unset): the real clipboard cannot be read. Run under xvfb-run.');
  }
  await signIn(page, context, app, app.credentials.admin);
  const { client, secret: oldSecret } = await seedClient(app, 'Directory Sync — Oslo', { secret: `old-${'o'.repeat(40)}-wxyz` });
  await expect(row(page, 'Directory Sync — Oslo')).toBeVisible();
  expect(await tokenStatus(app, client.clientId, oldSecret)).toBe(200);

  const panel = await openPanel(page, 'Directory Sync — Oslo');
  const secrets = panel.getByRole('list', { name: 'Secrets' });
  await expect(secrets.getByRole('listitem')).toHaveCount(1);
  await expect(secrets.getByRole('listitem', { name: 'Secret ending wxyz, Active' })).toContainText('Never');
  // The only working secret cannot be retired: the button says why.
  await expect(panel.getByRole('button', { name: 'Retire secret ending wxyz' })).toHaveAttribute('aria-disabled', 'true');

  await panel.getByRole('button', { name: 'Rotate secret…' }).click();
  const rotate = page.getByRole('dialog', { name: 'Rotate secret of Directory Sync — Oslo' });
  await expect(rotate.getByLabel('Keep the current secret working for')).toHaveValue('24');
  await rotate.getByLabel('Expires after (days)').fill('0');
  await rotate.getByRole('button', { name: 'Rotate secret' }).click();
  await expect(rotate.getByText('Enter a whole number of days from 1 to 730.')).toBeVisible();
  expect((await app.server().clients.get(client.clientId))!.secrets).toHaveLength(1);
  await rotate.getByLabel('Expires after (days)').fill('90');
  await checkScreen(page, 'rotate-secret');
  await rotate.getByRole('button', { name: 'Rotate secret' }).click();

  const once = page.getByRole('dialog', { name: 'New Client Secret' });
  await expect(once).toContainText('The new Client Secret is displayed only once.');
  await expect(once.getByTestId('client-secret-value')).toBeHidden();
  await clipboard.write('something the user copied before');
  await once.getByRole('button', { name: 'Copy', exact: true }).click();
  await expect(once.getByText(/clipboard clears in \d+ s/)).toBeVisible();
  const newSecret = await clipboard.read();
  expect(newSecret).not.toBe(oldSecret);
  expect(newSecret.length).toBeGreaterThanOrEqual(32);
  await checkScreen(page, 'rotate-secret-once');
  await once.getByRole('button', { name: 'Done' }).click();
  await expect(once).toBeHidden();

  // Both work during the overlap.
  expect(await tokenStatus(app, client.clientId, newSecret)).toBe(200);
  expect(await tokenStatus(app, client.clientId, oldSecret)).toBe(200);

  const newHint = `ending ${newSecret.slice(-4)}`;
  await expect(secrets.getByRole('listitem')).toHaveCount(2);
  await expect(secrets.getByRole('listitem').first()).toHaveAccessibleName(`Secret ${newHint}, Active`);
  await expect(secrets.getByRole('listitem', { name: 'Secret ending wxyz, Active' })).toContainText('Active — retiring');
  await checkScreen(page, 'secrets-after-rotation');

  // Retire the old one by hand, before its window ends.
  await panel.getByRole('button', { name: 'Retire secret ending wxyz' }).click();
  const retire = page.getByRole('alertdialog', { name: 'Retire secret ••••wxyz?' });
  await expect(retire).toContainText('can no longer obtain tokens');
  await retire.getByRole('button', { name: 'Retire secret' }).click();
  await expect(retire).toBeHidden();
  await expect(secrets.getByRole('listitem', { name: 'Secret ending wxyz, Retired' })).toBeVisible();
  expect(await tokenStatus(app, client.clientId, oldSecret)).toBe(401);
  expect(await tokenStatus(app, client.clientId, newSecret)).toBe(200);
  // Now the new one is the only working secret.
  await expect(panel.getByRole('button', { name: `Retire secret ${newHint}` })).toHaveAttribute('aria-disabled', 'true');
});

test('helpdesk sees each secret and its dates, and no way to rotate or retire; a rotation made elsewhere appears live', async ({ page, context, app }) => {
  const { client } = await seedClient(app, 'Directory Sync — Rome', { expiresAt: new Date(Date.now() + 5 * DAY) });
  await signIn(page, context, app, app.credentials.helpdesk);
  const panel = await openPanel(page, 'Directory Sync — Rome');
  const secrets = panel.getByRole('list', { name: 'Secrets' });
  await expect(secrets.getByRole('listitem')).toHaveCount(1);
  await expect(secrets.getByRole('listitem').first()).toContainText('Active — expires soon');
  await expect(panel.getByRole('button', { name: /Rotate secret|Retire secret/ })).toHaveCount(0);
  await secrets.scrollIntoViewIfNeeded();
  await checkScreen(page, 'secrets-helpdesk');
  await page.emulateMedia({ colorScheme: 'dark' });
  await checkScreen(page, 'secrets-helpdesk-dark');
  await page.emulateMedia({ colorScheme: 'light' });

  // Another admin rotates it through the API: the panel shows the new secret without a reload.
  const rotated = await fetch(`${app.serverUrl}/api/v1/clients/${client.clientId}/secrets`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await adminApiToken(app)}`, 'content-type': 'application/json' },
    body: JSON.stringify({ expiresInDays: 30, retireOthersAfterHours: 0 }),
  });
  expect(rotated.status).toBe(201);
  const { hint } = (await rotated.json()) as { hint: string };
  await expect(secrets.getByRole('listitem')).toHaveCount(2);
  await expect(secrets.getByRole('listitem').first()).toHaveAccessibleName(`Secret ending ${hint}, Active`);
  await expect(secrets.getByRole('listitem').nth(1)).toHaveAccessibleName(/, Retired$/);
});

test("rotating a default client's secret needs its client ID typed; the configured secret keeps working through the overlap", async ({ page, context, app }) => {
  await signIn(page, context, app, app.credentials.admin);
  const panel = await openPanel(page, 'Sync Service Client');
  await panel.getByRole('button', { name: 'Rotate secret…' }).click();
  const rotate = page.getByRole('dialog', { name: 'Rotate secret of Sync Service Client' });
  await expect(rotate).toContainText('This is a default client.');
  await rotate.getByLabel('Keep the current secret working for').fill('2');
  await rotate.getByRole('button', { name: 'Rotate secret' }).click();
  await expect(rotate.getByText('Type ts_sync_client to confirm.')).toBeVisible();
  await rotate.getByLabel(/^Type ts_sync_client to confirm/).fill('ts_sync');
  await rotate.getByRole('button', { name: 'Rotate secret' }).click();
  await expect(rotate.getByText("That is not this client's ID. Type ts_sync_client exactly.")).toBeVisible();
  expect((await app.server().clients.get('ts_sync_client'))!.secrets).toHaveLength(1);
  await checkScreen(page, 'rotate-default-client');
  await rotate.getByLabel(/^Type ts_sync_client to confirm/).fill('ts_sync_client');
  await rotate.getByRole('button', { name: 'Rotate secret' }).click();
  const once = page.getByRole('dialog', { name: 'New Client Secret' });
  const newSecret = await revealSecret(once);
  expect(newSecret.length).toBeGreaterThanOrEqual(32);
  await once.getByRole('button', { name: 'Done' }).click();
  await expect(panel.getByRole('list', { name: 'Secrets' }).getByRole('listitem')).toHaveCount(2);
  expect(await tokenStatus(app, 'ts_sync_client', newSecret)).toBe(200);
  expect(await tokenStatus(app, 'ts_sync_client', app.clientSecrets.syncClient)).toBe(200);
  const stored = (await app.server().clients.get('ts_sync_client'))!.secrets.find((s) => s.retiresAt !== null);
  expect(Date.parse(stored!.retiresAt!) - Date.now()).toBeGreaterThan(1.9 * 3_600_000);
});

test('"Last used" shows Never until a client obtains a token; the two lifecycle filters show their counts and their clients', async ({ page, context, app }) => {
  await seedClient(app, 'Expiring Connector', { expiresAt: new Date(Date.now() + 5 * DAY) });
  await seedClient(app, 'Far Expiry Connector', { expiresAt: new Date(Date.now() + 60 * DAY) });
  await seedClient(app, 'Forgotten Connector', { createdAt: new Date(Date.now() - 200 * DAY) });
  await signIn(page, context, app, app.credentials.admin);
  await expect(countText(page)).toHaveText('8 of 8 clients');

  await expect(row(page, 'Forgotten Connector').getByRole('cell').nth(5)).toHaveText('Never');
  const expiring = page.getByRole('button', { name: /^Secret expires within 14 days/ });
  const unused = page.getByRole('button', { name: /^Unused for 90 days/ });
  await expect(expiring).toHaveText('Secret expires within 14 days1');
  await expect(unused).toHaveText('Unused for 90 days1');

  await expiring.click();
  await expect(expiring).toHaveAttribute('aria-pressed', 'true');
  await expect(countText(page)).toHaveText('1 of 8 clients');
  await expect(row(page, 'Expiring Connector')).toBeVisible();
  await checkScreen(page, 'filter-secret-expiring');
  await expiring.click();
  await unused.click();
  await expect(countText(page)).toHaveText('1 of 8 clients');
  await expect(row(page, 'Forgotten Connector')).toBeVisible();
  await page.getByRole('button', { name: 'Clear', exact: true }).click();
  await expect(unused).toHaveAttribute('aria-pressed', 'false');
  await expect(countText(page)).toHaveText('8 of 8 clients');

  // The admin client obtains a token; the server writes last use behind (its timer, run now):
  // the change arrives through the change feed.
  expect(await tokenStatus(app, 'ts_admin_client', app.clientSecrets.adminClient, 'clients:read')).toBe(200);
  await app.server().flushLastUsed();
  await expect(row(page, 'Admin Client').getByRole('cell').nth(5)).not.toHaveText('Never');
  await page.getByRole('button', { name: 'Last used' }).click();
  await expect(page.getByRole('table', { name: 'OAuth clients' }).getByRole('row').nth(1)).toContainText('Admin Client');
  await checkScreen(page, 'last-used-column');
});
