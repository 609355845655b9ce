// Issue 10: "Client authentication" in the Custom Client form. A public client (PKCE) and a
// private key JWT client are created without a secret dialog; a pasted JWKS holding a private
// key, and a JWKS URL over http, are refused on their fields and create nothing; a secret sent
// in the request body works at the token endpoint that way.
import { expect, test } from './fixtures.ts';
import { addEntry, checkScreen, openCreateDialog, revealSecret, row, signIn } from './journey-helpers.ts';

// An Ed25519 public key (RFC 8037, appendix A.2).
const PUBLIC_JWK = { kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' };
const PRIVATE_JWK = { ...PUBLIC_JWK, d: 'nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A' };

test('a public client and a private key JWT client are created without a secret; bad keys are refused on their field; a client_secret_post secret works in the request body', async ({ page, context, app }) => {
  await signIn(page, context, app, app.credentials.admin);

  // Public client: Authorization Code + PKCE, no secret.
  let form = await openCreateDialog(page, 'Custom Client');
  await form.getByLabel('Client Name').fill('Field App (mobile)');
  await addEntry(form, 'Redirect URIs', 'https://field.example.com/callback');
  await addEntry(form, 'Scopes', 'openid', 'Enter');
  await form.getByRole('checkbox', { name: 'Authorization Code', exact: true }).check();
  await expect(form.getByRole('radio', { name: 'Client secret' })).toBeChecked();
  await form.getByRole('radio', { name: 'None — public client with PKCE' }).check();
  await expect(form.getByText('users sign in with Authorization Code and PKCE; no secret, no Client Credentials')).toBeVisible();
  await checkScreen(page, 'create-public-client');
  await form.getByRole('button', { name: 'Create Client' }).click();
  await expect(form).toBeHidden();
  await expect(page.getByRole('dialog', { name: 'Client Created' })).toHaveCount(0);
  await expect(page.getByText('Field App (mobile) created. It is a public client: no secret, it signs in with PKCE.')).toBeVisible();
  const panel = page.getByRole('dialog', { name: 'Field App (mobile)' });
  await expect(panel).toContainText('A public client has no secret');
  await expect(panel.getByRole('button', { name: 'Rotate secret…' })).toHaveCount(0);
  const publicClient = (await app.server().clients.list({ q: 'Field App' })).items[0]!;
  expect(publicClient).toMatchObject({ tokenEndpointAuthMethod: 'none', secrets: [] });
  await page.keyboard.press('Escape');

  // Private key JWT: a JWKS URL over http and a pasted private key are refused on their fields.
  form = await openCreateDialog(page, 'Custom Client');
  await form.getByLabel('Client Name').fill('Payroll Batch');
  await addEntry(form, 'Scopes', 'directory:read', 'Enter');
  await form.getByRole('checkbox', { name: 'Client Credentials', exact: true }).check();
  await form.getByRole('radio', { name: 'Private key JWT' }).check();
  await form.getByRole('textbox', { name: 'JWKS URL' }).fill('http://payroll.example.com/jwks.json');
  await form.getByRole('button', { name: 'Create Client' }).click();
  await expect(form.getByText('jwksUri must use https.')).toBeVisible();
  await form.getByRole('radio', { name: 'Pasted as a JWKS' }).check();
  await form.getByLabel('Public keys (JWKS)').fill(JSON.stringify({ keys: [PRIVATE_JWK] }));
  await form.getByRole('button', { name: 'Create Client' }).click();
  await expect(form.getByText(/^Key 1: This key holds the private member "d"/)).toBeVisible();
  await checkScreen(page, 'create-private-key-jwt-error');
  expect((await app.server().clients.list({ q: 'Payroll' })).items).toHaveLength(0);

  await form.getByLabel('Public keys (JWKS)').fill(JSON.stringify({ keys: [PUBLIC_JWK] }));
  await form.getByRole('button', { name: 'Create Client' }).click();
  await expect(form).toBeHidden();
  await expect(page.getByRole('dialog', { name: 'Client Created' })).toHaveCount(0);
  await expect(row(page, 'Payroll Batch')).toBeVisible();
  const jwtClient = (await app.server().clients.list({ q: 'Payroll' })).items[0]!;
  expect(jwtClient).toMatchObject({ tokenEndpointAuthMethod: 'private_key_jwt', jwksUri: null, secrets: [] });
  expect(jwtClient.jwks?.keys).toEqual([PUBLIC_JWK]);
  await expect(page.getByRole('dialog', { name: 'Payroll Batch' })).toContainText('checks them against the public key pasted here');
  await page.keyboard.press('Escape');

  // A secret sent in the request body (client_secret_post): shown once, and it works that way.
  form = await openCreateDialog(page, 'Custom Client');
  await form.getByLabel('Client Name').fill('Legacy Importer');
  await addEntry(form, 'Scopes', 'directory:read', 'Enter');
  await form.getByRole('checkbox', { name: 'Client Credentials', exact: true }).check();
  await form.getByRole('radio', { name: 'In the request body (client_secret_post)' }).check();
  await form.getByRole('button', { name: 'Create Client' }).click();
  const once = page.getByRole('dialog', { name: 'Client Created' });
  const secret = await revealSecret(once);
  const clientId = (await once.locator('dd code').first().textContent())?.trim() ?? '';
  await once.getByRole('button', { name: 'Done' }).click();
  const discovery = (await (await fetch(`${app.issuer}/.well-known/openid-configuration`)).json()) as { token_endpoint: string };
  const token = await fetch(discovery.token_endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'directory:read', client_id: clientId, client_secret: secret }),
  });
  expect(token.status).toBe(200);
  expect((await app.server().clients.get(clientId))?.tokenEndpointAuthMethod).toBe('client_secret_post');
});
