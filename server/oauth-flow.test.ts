// The desktop app's sign-in, end to end against the real server: openid-client v6 as
// thetasecure-admin-console, PKCE S256, a loopback redirect listener on a random port, the real
// login page filled over HTTP, code exchange, refresh, revocation.
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoverAdminConsole, signInWithPkce, startLoopbackListener } from './testing/sign-in.ts';
import type { LoopbackListener } from './testing/sign-in.ts';
import { TEST_CREDENTIALS, api, startTestServer } from './testing/test-server.ts';
import type { TestServer } from './testing/test-server.ts';

let server: TestServer;
let config: oidc.Configuration;
let listener: LoopbackListener;

beforeAll(async () => {
  server = await startTestServer();
  config = await discoverAdminConsole(server.issuer);
  listener = await startLoopbackListener();
});

afterAll(async () => {
  await listener?.close();
  await server?.stop();
});

const signIn = (username: string, password: string) => signInWithPkce(config, listener, { username, password });

describe('sign-in as thetasecure-admin-console (authorization code + PKCE, loopback redirect)', () => {
  it('signs the admin in through the login page and gets tokens the admin API accepts, a refresh token, and can revoke it', async () => {
    const { callbackUrl, tokens } = await signIn('admin', TEST_CREDENTIALS.adminPassword);

    // The loopback listener on a random port received the redirect (any loopback port is accepted).
    expect(new URL(callbackUrl).origin).toBe(new URL(listener.redirectUri).origin);
    expect(listener.received.some((url) => url.startsWith('/callback?code='))).toBe(true);

    expect(tokens.token_type.toLowerCase()).toBe('bearer');
    expect(tokens.refresh_token).toEqual(expect.any(String));
    expect(tokens.claims()?.sub).toBe('admin');
    expect(tokens.scope?.split(' ').sort()).toEqual(expect.arrayContaining(['clients:read', 'clients:write']));

    const me = await api(server, 'GET', '/me', { token: tokens.access_token });
    expect(me.status).toBe(200);
    expect(await me.json()).toEqual({ subject: 'admin', name: 'Administrator', roles: ['admin'], scopes: ['clients:read', 'clients:write'] });

    const list = await api(server, 'GET', '/clients', { token: tokens.access_token });
    expect(list.status).toBe(200);

    // Refresh: a new access token that works; public clients get a rotated refresh token.
    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
    expect(refreshed.access_token).not.toBe(tokens.access_token);
    expect((await api(server, 'GET', '/me', { token: refreshed.access_token })).status).toBe(200);
    const currentRefreshToken = refreshed.refresh_token ?? tokens.refresh_token!;

    // JWT access tokens are self-contained (they expire after an hour); revocation is for the refresh token.
    await expect(oidc.tokenRevocation(config, refreshed.access_token)).rejects.toMatchObject({ error: 'unsupported_token_type' });

    // Revocation (sign-out): the refresh token no longer works.
    await oidc.tokenRevocation(config, currentRefreshToken);
    await expect(oidc.refreshTokenGrant(config, currentRefreshToken)).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('gives a helpdesk user clients:read only, even when clients:write is asked for', async () => {
    const { tokens } = await signIn('helpdesk', TEST_CREDENTIALS.helpdeskPassword);
    expect(tokens.scope?.split(' ')).not.toContain('clients:write');
    const me = await api(server, 'GET', '/me', { token: tokens.access_token });
    expect(await me.json()).toEqual({ subject: 'helpdesk', name: 'Helpdesk', roles: ['helpdesk'], scopes: ['clients:read'] });
  });

  it('refuses an authorization request without PKCE', async () => {
    const url = oidc.buildAuthorizationUrl(config, { redirect_uri: listener.redirectUri, scope: 'openid clients:read', state: oidc.randomState() });
    const response = await fetch(url, { redirect: 'manual' });
    // The error goes back to the client's redirect URI, never to a login page.
    expect(response.status).toBe(303);
    const location = new URL(response.headers.get('location')!);
    expect(location.origin + location.pathname).toBe(listener.redirectUri);
    expect(location.searchParams.get('error')).toBe('invalid_request');
    expect(location.searchParams.get('error_description')).toMatch(/PKCE/);
  });

  it('refuses a redirect URI that is not registered', async () => {
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: 'http://127.0.0.1:9/elsewhere',
      scope: 'openid',
      code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()),
      code_challenge_method: 'S256',
    });
    const response = await fetch(url, { redirect: 'manual' });
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/redirect_uri/);
  });

  it('refuses a wrong password on the login page with a clear message', async () => {
    await expect(signIn('admin', 'not-the-password')).rejects.toThrow(/HTTP 401: Wrong username or password/);
  });
});
