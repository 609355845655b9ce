// The structured request log during a full session: every request is there with method, path,
// status, duration and (where known) the client, and no password, secret, token, code or state
// ever appears in it.
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '../shared/client.ts';
import { ADMIN_CLIENT_ID, ADMIN_CONSOLE_CLIENT_ID } from './provisioning.ts';
import { discoverAdminConsole, signInWithPkce, startLoopbackListener } from './testing/sign-in.ts';
import type { LoopbackListener } from './testing/sign-in.ts';
import { TEST_CREDENTIALS, accessToken, api, clientCredentialsToken, startTestServer } from './testing/test-server.ts';
import type { TestServer } from './testing/test-server.ts';

let server: TestServer;
let listener: LoopbackListener;

beforeAll(async () => {
  server = await startTestServer();
  listener = await startLoopbackListener();
});

afterAll(async () => {
  await listener?.close();
  await server?.stop();
});

describe('the request log', () => {
  it('records a full flow without any secret, password, token, code or state', async () => {
    const sensitive: string[] = [TEST_CREDENTIALS.adminPassword, TEST_CREDENTIALS.adminClientSecret, 'wrong-password-in-log-test'];

    // A failed and a successful sign-in, code exchange, refresh, revocation.
    const config = await discoverAdminConsole(server.issuer);
    await expect(signInWithPkce(config, listener, { username: 'admin', password: 'wrong-password-in-log-test' })).rejects.toThrow(/401/);
    const { callbackUrl, tokens } = await signInWithPkce(config, listener, { username: 'admin', password: TEST_CREDENTIALS.adminPassword });
    const callback = new URL(callbackUrl);
    sensitive.push(callback.searchParams.get('code')!, callback.searchParams.get('state')!, tokens.access_token, tokens.refresh_token!, tokens.id_token!);
    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
    sensitive.push(refreshed.access_token, refreshed.refresh_token!);
    await oidc.tokenRevocation(config, refreshed.refresh_token!);

    // Client credentials, creating a client (its secret is in the response only), a wrong secret.
    const adminToken = await accessToken(server, ADMIN_CLIENT_ID, TEST_CREDENTIALS.adminClientSecret);
    sensitive.push(adminToken);
    const created = await api(server, 'POST', '/clients', { token: adminToken, body: { name: 'Log Test', grantTypes: ['client_credentials'], scopes: ['clients:read'] } });
    const { client, clientSecret } = (await created.json()) as { client: Client; clientSecret: string };
    sensitive.push(clientSecret);
    const clientToken = (await (await clientCredentialsToken(server, client.clientId, clientSecret, 'clients:read')).json()) as { access_token: string };
    sensitive.push(clientToken.access_token);
    await (await clientCredentialsToken(server, client.clientId, 'definitely-wrong-secret-value', 'clients:read')).body?.cancel();
    sensitive.push('definitely-wrong-secret-value');
    // A token sent in a query string (wrongly) must not be logged either.
    await (await fetch(`${server.url}/api/v1/me?access_token=${adminToken}`)).body?.cancel();

    await new Promise((resolve) => setTimeout(resolve, 50)); // the last 'finish' events
    const logText = JSON.stringify(server.logs);
    for (const value of sensitive) {
      expect(value.length).toBeGreaterThan(8);
      expect(logText.includes(value), `the log contains ${value.slice(0, 6)}…`).toBe(false);
    }
    expect(logText).not.toMatch(/[?&](code|state|access_token|refresh_token|code_verifier|client_secret)=/);

    const requests = server.logs.filter((entry) => entry.msg === 'request');
    expect(requests.length).toBeGreaterThan(15);
    for (const entry of requests) {
      expect(entry).toMatchObject({ method: expect.any(String), path: expect.stringMatching(/^\//), status: expect.any(Number), durationMs: expect.any(Number), time: expect.any(String) });
    }
    const tokenRequests = requests.filter((entry) => entry.path === '/token');
    expect(tokenRequests.map((entry) => entry.clientId)).toEqual(expect.arrayContaining([ADMIN_CONSOLE_CLIENT_ID, ADMIN_CLIENT_ID, client.clientId]));
    expect(requests.find((entry) => entry.path === '/api/v1/clients' && entry.method === 'POST')).toMatchObject({ status: 201, clientId: ADMIN_CLIENT_ID });
    expect(requests.some((entry) => entry.path === '/token' && entry.status === 401)).toBe(true);
  });
});
