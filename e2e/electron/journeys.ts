// The journeys of the screens issue as functions of a harness: journeys.spec.ts runs them in
// the real Electron app. They drive the UI by the product page's words, as a user would.
import { expect } from '@playwright/test';
import type { Page } from '@playwright/test';
import { grantTypeLabel } from '../../shared/catalogs.ts';

export interface JourneyHarness {
  /** The app window. */
  window: Page;
  issuer: string;
  /** Signs in from the sign-in screen through the real login page. */
  signIn(user: 'admin' | 'helpdesk'): Promise<void>;
  /** The system clipboard as the app sees it. */
  readClipboard(): Promise<string>;
  stopServer(): Promise<void>;
  startServer(): Promise<void>;
}

const DEFAULT_CLIENTS = [
  { name: 'Admin Client', grants: ['client_credentials'] },
  { name: 'Sync Service Client', grants: ['client_credentials'] },
  { name: 'ThetaSecure Mobile App', grants: ['authorization_code', 'refresh_token'] },
  { name: 'ThetaSecure Desktop Agent', grants: ['authorization_code', 'refresh_token'] },
  { name: 'ThetaSecure Admin Console', grants: ['authorization_code', 'refresh_token'] },
] as const;

/** The text input of an entry-list field ("Redirect URIs", "Scopes"), not its group or list. */
const entryInput = (page: Page, label: string) => page.locator('input').and(page.getByLabel(new RegExp(`^${label}`)));
const table = (page: Page) => page.getByRole('table', { name: 'OAuth clients' });
const row = (page: Page, name: string) => table(page).getByRole('row').filter({ has: page.getByText(name, { exact: true }) });

async function setClipboardClearSeconds(app: JourneyHarness, seconds: number): Promise<void> {
  const result = await app.window.evaluate(
    (value) => (window as unknown as { thetasecure: { methods: Record<string, (input: unknown) => Promise<unknown>> } }).thetasecure.methods['settings:set']!({ clipboardClearSeconds: value }),
    seconds,
  );
  expect(result).toMatchObject({ ok: true });
}

/** Closes the secret dialog (after Copy or Reveal); the app then shows the new client's details. */
async function closeSecretDialog(page: Page, clientName: string): Promise<void> {
  const secretDialog = page.getByRole('dialog', { name: 'Client Created' });
  await secretDialog.getByRole('button', { name: /Done|Close/ }).first().click();
  await expect(secretDialog).toBeHidden();
  const details = page.getByRole('dialog', { name: clientName });
  await expect(details).toBeVisible();
  await details.getByRole('button', { name: 'Close details' }).click();
  await expect(details).toBeHidden();
}

async function createSyncConnector(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name: 'Create Client' }).click();
  await page.getByRole('button', { name: /Sync Connector Client/ }).click();
  await page.getByLabel('Client Name').fill(name);
  await page.getByRole('button', { name: 'Create Client' }).last().click();
}

export const JOURNEYS: Record<string, (app: JourneyHarness) => Promise<void>> = {
  '1. sign in through the real login page: the five default clients are listed with their grant types': async (app) => {
    await app.signIn('admin');
    const page = app.window;
    for (const client of DEFAULT_CLIENTS) {
      const clientRow = row(page, client.name);
      await expect(clientRow).toBeVisible();
      for (const grant of client.grants) await expect(clientRow.getByText(grantTypeLabel(grant), { exact: true })).toBeVisible();
      await expect(clientRow.getByText('Default', { exact: true })).toBeVisible();
    }
    await expect(page.getByText('5 of 5 clients')).toBeVisible();
  },

  '2–3. create a Sync Connector and a Custom client; the secret is shown once, copied to the clipboard, cleared, and gets a token': async (app) => {
    await app.signIn('admin');
    await setClipboardClearSeconds(app, 5);
    const page = app.window;

    await createSyncConnector(page, 'Directory Sync Test');
    const secretDialog = page.getByRole('dialog', { name: 'Client Created' });
    await expect(secretDialog).toBeVisible();
    const clientId = (await secretDialog.getByText(/^tsc_/).first().textContent())!.trim();
    await secretDialog.getByRole('button', { name: 'Copy', exact: true }).click();
    await expect(secretDialog.getByText(/clipboard clears in \d+ s/)).toBeVisible();
    const secret = await app.readClipboard();
    expect(secret).toMatch(/^[A-Za-z0-9_-]{40,}$/);

    // The copied secret is the client's real secret: it gets a client_credentials token.
    const discovery = (await (await fetch(`${app.issuer}/.well-known/openid-configuration`)).json()) as { token_endpoint: string };
    const token = await fetch(discovery.token_endpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString('base64')}` },
      body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'directory:read' }),
    });
    expect(token.status).toBe(200);
    expect(((await token.json()) as { access_token?: string }).access_token).toBeTruthy();

    // Cleared after the (shortened) time, because the clipboard still held the secret.
    await expect.poll(() => app.readClipboard(), { timeout: 15_000 }).not.toBe(secret);
    await closeSecretDialog(page, 'Directory Sync Test');
    await expect(row(page, 'Directory Sync Test')).toBeVisible();

    // Custom client: two redirect URIs, three scopes, both available grant types.
    await page.getByRole('button', { name: 'Create Client' }).click();
    await page.getByRole('button', { name: /Custom Client/ }).click();
    await page.getByLabel('Client Name').fill('Billing Service');
    for (const uri of ['https://billing.example.com/callback', 'http://127.0.0.1:8123/callback']) {
      await entryInput(page, 'Redirect URIs').fill(uri);
      await entryInput(page, 'Redirect URIs').press('Enter');
    }
    for (const scope of ['openid', 'clients:read', 'directory:read']) {
      await entryInput(page, 'Scopes').fill(scope);
      await entryInput(page, 'Scopes').press('Enter');
    }
    await page.getByRole('checkbox', { name: /Authorization Code/ }).check();
    await page.getByRole('checkbox', { name: /Client Credentials/ }).check();
    await page.getByRole('button', { name: 'Create Client' }).last().click();
    await expect(page.getByRole('dialog', { name: 'Client Created' })).toBeVisible();
    await page.getByRole('dialog', { name: 'Client Created' }).getByRole('button', { name: 'Reveal' }).click();
    await closeSecretDialog(page, 'Billing Service');
    await expect(row(page, 'Billing Service')).toBeVisible();
    await expect(page.getByText('7 of 7 clients')).toBeVisible();
  },

  '4. search, details, edit and delete; deleting a default client needs its typed client ID': async (app) => {
    await app.signIn('admin');
    const page = app.window;
    await createSyncConnector(page, 'Inventory Sync');
    await page.getByRole('dialog', { name: 'Client Created' }).getByRole('button', { name: 'Reveal' }).click();
    await closeSecretDialog(page, 'Inventory Sync');

    await page.getByLabel('Search clients').fill('invent');
    await expect(page.getByLabel('Search clients')).toHaveValue('invent');
    await expect(page.getByText('1 of 6 clients')).toBeVisible();
    await page.getByRole('button', { name: 'View Inventory Sync' }).click();
    const panel = page.getByRole('dialog', { name: 'Inventory Sync' });
    for (const text of ['Sync Connector', 'Client Credentials', 'directory:read', 'directory:write', 'Active']) await expect(panel.getByText(text).first()).toBeVisible();

    await panel.getByRole('button', { name: 'Edit Client' }).click();
    await page.getByLabel('Client Name').fill('Inventory Sync EU');
    await page.getByRole('button', { name: 'Save Changes' }).click();
    await expect(page.getByRole('dialog', { name: /Edit Client/ })).toBeHidden();
    await page.getByLabel('Search clients').fill('');
    await expect(row(page, 'Inventory Sync EU')).toBeVisible();

    await page.getByRole('dialog', { name: 'Inventory Sync EU' }).getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Delete' }).click();
    await expect(row(page, 'Inventory Sync EU')).toHaveCount(0);
    await expect(page.getByText('5 of 5 clients')).toBeVisible();

    await page.getByRole('button', { name: 'Delete ThetaSecure Mobile App' }).click();
    const confirm = page.getByRole('alertdialog');
    // A default client: the page's warning, and Delete only once its client ID is typed.
    await expect(confirm.getByText('This is a default client.')).toBeVisible();
    await expect(confirm.getByRole('button', { name: 'Delete' })).toBeDisabled();
    await confirm.getByLabel('Type thetasecure-mobile-app to confirm').fill('thetasecure-mobile');
    await expect(confirm.getByRole('button', { name: 'Delete' })).toBeDisabled();
    await confirm.getByLabel('Type thetasecure-mobile-app to confirm').fill('thetasecure-mobile-app');
    await confirm.getByRole('button', { name: 'Delete' }).click();
    await expect(row(page, 'ThetaSecure Mobile App')).toHaveCount(0);
  },

  '5. a helpdesk user sees no create, edit or delete': async (app) => {
    await app.signIn('helpdesk');
    const page = app.window;
    await expect(row(page, 'Admin Client')).toBeVisible();
    await expect(page.getByText('Read-only access')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Create Client' })).toHaveCount(0);
    await expect(page.getByRole('button', { name: /^(Edit|Delete) / })).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Copy client ID ts_admin_client' })).toBeVisible();
  },

  '6. server stopped: cached list, banner, writes disabled; server back: live again': async (app) => {
    await app.signIn('admin');
    const page = app.window;
    await expect(row(page, 'Admin Client')).toBeVisible();

    await app.stopServer();
    // The user asks for fresh data; the app finds the server gone and falls back to its cache.
    await page.getByRole('button', { name: 'Refresh list' }).click();
    await expect(page.getByText(/Offline — showing clients cached/)).toBeVisible({ timeout: 45_000 });
    await expect(row(page, 'Admin Client')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Create Client' })).toBeDisabled();

    await app.startServer();
    await expect(page.getByText(/Offline — showing clients cached/)).toBeHidden({ timeout: 60_000 });
    await expect(page.getByRole('button', { name: 'Create Client' })).toBeEnabled();
  },

  '7. bad input shows the reason on the field and creates nothing': async (app) => {
    await app.signIn('admin');
    const page = app.window;
    await page.getByRole('button', { name: 'Create Client' }).click();
    await page.getByRole('button', { name: /Custom Client/ }).click();

    await entryInput(page, 'Redirect URIs').fill('http://billing.example.com/callback');
    await entryInput(page, 'Redirect URIs').press('Enter');
    await expect(entryInput(page, 'Redirect URIs')).toHaveAttribute('aria-invalid', 'true');
    await expect(entryInput(page, 'Redirect URIs')).toHaveAccessibleDescription(/http:\/\/ is only allowed for the loopback addresses/);

    await entryInput(page, 'Scopes').fill('no-such-scope');
    await entryInput(page, 'Scopes').press('Enter');
    await expect(entryInput(page, 'Scopes')).toHaveAttribute('aria-invalid', 'true');
    await expect(entryInput(page, 'Scopes')).toHaveAccessibleDescription(/Unknown scope "no-such-scope"/);

    // An empty name is refused before anything is sent.
    await page.getByRole('button', { name: 'Create Client' }).last().click();
    await expect(page.getByLabel('Client Name')).toHaveAttribute('aria-invalid', 'true');
    await expect(page.getByRole('dialog', { name: 'Client Created' })).toHaveCount(0);
    await page.getByRole('button', { name: 'Close' }).first().click();
    await expect(page.getByText('5 of 5 clients')).toBeVisible();
  },
};
