// Issue 12, endpoints and quick starts: the details panel shows the server's issuer, token,
// authorization and JWKS URLs (from its discovery document) with copy buttons, and quick starts
// for the client's grant types with the client ID filled in and never the secret. Both quick
// starts are run here against the real server, as a user would paste them: the curl one with
// CLIENT_SECRET set, the openid-client one with a real sign-in in the browser.
import { execFile } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import * as openidClient from 'openid-client';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import type { Credentials } from './fixtures.ts';
import { addEntry, openCreateDialog, revealSecret, row, signIn } from './journey-helpers.ts';

const run = promisify(execFile);

/** A loopback redirect URI that answers, for the authorization code to come back to. */
async function callbackServer(): Promise<{ uri: string; close: () => Promise<void> }> {
  const server = http.createServer((_request, response) => response.end('ok'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { uri: `http://127.0.0.1:${(server.address() as AddressInfo).port}/callback`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** The server's login page (or its "Continue as …?" page when this browser is still signed in there). */
async function loginWithoutWaiting(login: Page, who: Credentials): Promise<void> {
  const username = login.getByLabel('Username');
  const continueButton = login.getByRole('button', { name: 'Continue', exact: true });
  await expect(username.or(continueButton)).toBeVisible();
  if (await continueButton.isVisible()) {
    await continueButton.click();
    return;
  }
  await username.fill(who.username);
  await login.getByLabel('Password').fill(who.password);
  await login.getByRole('button', { name: 'Sign in' }).click();
}

test('the panel shows the server’s endpoints with copy buttons, and quick starts that work with the secret from the environment', async ({ page, context, app }) => {
  test.setTimeout(120_000);
  const discovery = (await (await fetch(`${app.issuer}/.well-known/openid-configuration`)).json()) as { issuer: string; authorization_endpoint: string; token_endpoint: string; jwks_uri: string };
  const callback = await callbackServer();
  try {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.appOrigin });
    await signIn(page, context, app, app.credentials.admin);
    const form = await openCreateDialog(page, 'Custom Client');
    await form.getByLabel('Client Name').fill('Quick Start App');
    await addEntry(form, 'Redirect URIs', callback.uri);
    await addEntry(form, 'Scopes', 'openid profile directory:read');
    await form.getByRole('checkbox', { name: 'Authorization Code', exact: true }).check();
    await form.getByRole('checkbox', { name: 'Client Credentials', exact: true }).check();
    await form.getByRole('button', { name: 'Create Client' }).click();
    const secretDialog = page.getByRole('dialog', { name: 'Client Created' });
    const secret = await revealSecret(secretDialog);
    const clientId = ((await secretDialog.locator('dd code').first().textContent()) ?? '').trim();
    expect(secret).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    await secretDialog.getByRole('button', { name: 'Done' }).click();

    const panel = page.getByRole('dialog', { name: 'Quick Start App' });
    const endpoints = panel.getByRole('region', { name: 'Endpoints' });
    for (const [label, url] of [
      ['Issuer', discovery.issuer],
      ['Authorization', discovery.authorization_endpoint],
      ['Token', discovery.token_endpoint],
      ['JWKS', discovery.jwks_uri],
    ] as const) {
      await expect(endpoints.getByRole('definition').filter({ has: page.getByText(url, { exact: true }) })).toBeVisible();
      await expect(endpoints.getByRole('term').filter({ hasText: new RegExp(`^${label}$`) })).toBeVisible();
    }
    await endpoints.getByRole('button', { name: 'Copy token URL' }).click();
    await expect(endpoints.getByRole('status').filter({ hasText: 'Copied' })).toBeVisible();

    const quickStart = panel.getByRole('region', { name: 'Quick start' });
    const curl = (await quickStart.getByTestId('client-credentials-curl').textContent()) ?? '';
    const js = (await quickStart.getByTestId('authorization-code-openid-client').textContent()) ?? '';
    for (const code of [curl, js]) {
      expect(code).toContain(clientId);
      expect(code).not.toContain(secret);
    }
    expect(curl).toContain('"$CLIENT_SECRET"');
    expect(js).toContain('process.env.CLIENT_SECRET');

    // The curl quick start, pasted into a shell with CLIENT_SECRET set, gets a token.
    const { stdout } = await run('sh', ['-c', curl], { env: { ...process.env, CLIENT_SECRET: secret } });
    const token = JSON.parse(stdout) as { access_token?: string; scope?: string };
    expect(token.access_token).toBeTruthy();

    // The openid-client quick start, run as written (the import is the installed openid-client),
    // up to the authorization URL; the user signs in in the browser; then the rest, with the URL
    // the browser came back to.
    const [before, after] = js.replace("import * as client from 'openid-client';", '').split('// Send the user to authorizationUrl.');
    const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => (...values: unknown[]) => Promise<unknown>;
    process.env.CLIENT_SECRET = secret;
    try {
      const state: Record<string, unknown> = {};
      await new AsyncFunction('client', 'state', `${before}\nObject.assign(state, { config, codeVerifier, authorizationUrl });`)(openidClient, state);
      const login = await context.newPage();
      const returned = login.waitForRequest((request) => request.url().startsWith(callback.uri));
      await login.goto(String(state.authorizationUrl));
      // This browser is still signed in at the server (the app's sign-in): it may come straight back.
      if (!login.url().startsWith(callback.uri)) await loginWithoutWaiting(login, app.credentials.admin);
      const callbackUrl = new URL((await returned).url());
      await login.close();
      const rest = after!.slice(after!.indexOf('\n') + 1);
      const tokens = (await new AsyncFunction('client', 'config', 'codeVerifier', 'callbackUrl', `${rest}\nreturn tokens;`)(openidClient, state.config, state.codeVerifier, callbackUrl)) as { access_token?: string; id_token?: string };
      expect(tokens.access_token).toBeTruthy();
      expect(tokens.id_token).toBeTruthy();
    } finally {
      delete process.env.CLIENT_SECRET;
    }
  } finally {
    await callback.close();
  }
});

test('a Sync Connector gets the curl quick start only; a helpdesk user sees the endpoints too', async ({ page, context, app }) => {
  await signIn(page, context, app, app.credentials.helpdesk);
  await row(page, 'Sync Service Client').getByRole('button', { name: 'View Sync Service Client' }).click();
  const panel = page.getByRole('dialog', { name: 'Sync Service Client' });
  await expect(panel.getByRole('region', { name: 'Endpoints' })).toContainText(`${app.issuer}`);
  const quickStart = panel.getByRole('region', { name: 'Quick start' });
  await expect(quickStart.getByTestId('client-credentials-curl')).toContainText('-u ts_sync_client:"$CLIENT_SECRET"');
  await expect(quickStart.getByTestId('authorization-code-openid-client')).toHaveCount(0);
});
