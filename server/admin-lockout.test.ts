// Issue 9, item 1: no save may lock every admin out. The server refuses (409, a problem document
// that says what would break) any change after which the admin console could not sign an admin
// in, and any request by which a client disables or deletes itself; and a data folder in which
// the admin console was already broken is repaired at start.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '../shared/client.ts';
import { startServer } from './app.ts';
import { ADMIN_CLIENT_ID, ADMIN_CONSOLE_CLIENT_ID, SYNC_CLIENT_ID } from './provisioning.ts';
import { discoverAdminConsole, signInWithPkce, startLoopbackListener } from './testing/sign-in.ts';
import { TEST_CREDENTIALS, accessToken, api, clientCredentialsToken, makeDataDir, startTestServer } from './testing/test-server.ts';
import type { TestServer } from './testing/test-server.ts';

let server: TestServer;
let adminToken: string;

beforeAll(async () => {
  server = await startTestServer();
  adminToken = await accessToken(server, ADMIN_CLIENT_ID, TEST_CREDENTIALS.adminClientSecret);
});
afterAll(async () => {
  await server?.stop();
});

async function getClient(clientId: string, token = adminToken): Promise<Client> {
  const response = await api(server, 'GET', `/clients/${clientId}`, { token });
  expect(response.status).toBe(200);
  return (await response.json()) as Client;
}

/** A confirmed PATCH of a default client, as the app sends it after the typed confirmation. */
async function confirmedPatch(clientId: string, body: Record<string, unknown>, token = adminToken): Promise<Response> {
  const current = await getClient(clientId);
  return api(server, 'PATCH', `/clients/${clientId}`, { token, body, headers: { 'if-match': `"${current.version}"`, 'confirm-default-client': clientId } });
}

async function adminCanSignIn(target: { issuer: string }): Promise<boolean> {
  const listener = await startLoopbackListener();
  try {
    const { tokens } = await signInWithPkce(await discoverAdminConsole(target.issuer), listener, { username: 'admin', password: TEST_CREDENTIALS.adminPassword });
    return typeof tokens.access_token === 'string';
  } catch {
    return false;
  } finally {
    await listener.close();
  }
}

async function expectLockoutProblem(response: Response, type: string, mentions: RegExp): Promise<void> {
  expect(response.status).toBe(409);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const problem = (await response.json()) as { type: string; status: number; detail: string; breaks: string[] };
  expect(problem.type).toBe(type);
  expect(problem.status).toBe(409);
  expect(problem.breaks.length).toBeGreaterThan(0);
  expect(problem.detail).toMatch(mentions);
  expect(problem.detail).toMatch(/nothing was saved/i);
}

describe('the admin console cannot be broken through the API', () => {
  const console = () => getClient(ADMIN_CONSOLE_CLIENT_ID);

  it.each([
    ['disabling it', { status: 'disabled' }, /Disabled.*invalid_client/],
    ['removing its Authorization Code grant', { grantTypes: ['refresh_token'] }, /Authorization Code grant/],
    ['removing its loopback redirect URI', { redirectUris: ['http://127.0.0.1:8123/callback'] }, /http:\/\/127\.0\.0\.1\/callback/],
    ['removing clients:read', { scopes: ['openid', 'profile', 'offline_access', 'clients:write'] }, /clients:read/],
    ['removing clients:write', { scopes: ['openid', 'profile', 'offline_access', 'clients:read'] }, /clients:write/],
    // The app asks for these too, and the provider refuses a request for an unregistered scope.
    ['removing openid', { scopes: ['profile', 'offline_access', 'clients:read', 'clients:write'] }, /openid/],
  ])('refuses %s, even confirmed, with 409 saying what would break; nothing changes', async (_what, body, mentions) => {
    const before = await console();
    await expectLockoutProblem(await confirmedPatch(ADMIN_CONSOLE_CLIENT_ID, body), 'urn:thetasecure:problem:admin-console-required', mentions);
    expect(await console()).toEqual(before);
  });

  it('refuses deleting it, even with the Confirm-Default-Client header; an admin can still sign in', async () => {
    const before = await console();
    const del = await api(server, 'DELETE', `/clients/${ADMIN_CONSOLE_CLIENT_ID}`, { token: adminToken, headers: { 'confirm-default-client': ADMIN_CONSOLE_CLIENT_ID } });
    await expectLockoutProblem(del, 'urn:thetasecure:problem:admin-console-required', /Deleted/);
    expect(await console()).toEqual(before);
    expect(await adminCanSignIn(server)).toBe(true);
  });

  it('still allows harmless confirmed changes: a new name, an extra redirect URI', async () => {
    const response = await confirmedPatch(ADMIN_CONSOLE_CLIENT_ID, { name: 'Admin Console (desk 4)', redirectUris: ['http://127.0.0.1/callback', 'http://[::1]/callback'] });
    expect(response.status).toBe(200);
    expect(await console()).toMatchObject({ name: 'Admin Console (desk 4)', status: 'active' });
  });
});

describe('a client cannot disable or delete itself', () => {
  it('ts_admin_client with its own client_credentials token: disable and delete are 409; it still gets tokens', async () => {
    await expectLockoutProblem(await confirmedPatch(ADMIN_CLIENT_ID, { status: 'disabled' }), 'urn:thetasecure:problem:client-cannot-lock-itself-out', /its own token/);
    const del = await api(server, 'DELETE', `/clients/${ADMIN_CLIENT_ID}`, { token: adminToken, headers: { 'confirm-default-client': ADMIN_CLIENT_ID } });
    await expectLockoutProblem(del, 'urn:thetasecure:problem:client-cannot-lock-itself-out', /its own token/);
    expect((await getClient(ADMIN_CLIENT_ID)).status).toBe('active');
    expect((await clientCredentialsToken(server, ADMIN_CLIENT_ID, TEST_CREDENTIALS.adminClientSecret, 'clients:read')).status).toBe(200);
  });

  it('a custom client with clients:write: same; another client may still disable and delete it', async () => {
    const created = await api(server, 'POST', '/clients', { token: adminToken, body: { name: 'Self Manager', grantTypes: ['client_credentials'], scopes: ['clients:read', 'clients:write'] } });
    const { client, clientSecret } = (await created.json()) as { client: Client; clientSecret: string };
    const ownToken = await accessToken(server, client.clientId, clientSecret);
    const disable = await api(server, 'PATCH', `/clients/${client.clientId}`, { token: ownToken, body: { status: 'disabled' }, headers: { 'if-match': `"${client.version}"` } });
    await expectLockoutProblem(disable, 'urn:thetasecure:problem:client-cannot-lock-itself-out', /Self Manager/);
    await expectLockoutProblem(await api(server, 'DELETE', `/clients/${client.clientId}`, { token: ownToken }), 'urn:thetasecure:problem:client-cannot-lock-itself-out', /Self Manager/);
    // Renaming itself is fine; disabling it from ts_admin_client is fine.
    expect((await api(server, 'PATCH', `/clients/${client.clientId}`, { token: ownToken, body: { name: 'Self Manager 2' }, headers: { 'if-match': '*' } })).status).toBe(200);
    expect((await api(server, 'PATCH', `/clients/${client.clientId}`, { token: adminToken, body: { status: 'disabled' }, headers: { 'if-match': '*' } })).status).toBe(200);
    expect((await api(server, 'DELETE', `/clients/${client.clientId}`, { token: adminToken })).status).toBe(204);
  });

  it('other default clients can still be disabled and deleted when confirmed', async () => {
    expect((await confirmedPatch(SYNC_CLIENT_ID, { status: 'disabled' })).status).toBe(200);
    expect((await api(server, 'DELETE', `/clients/${SYNC_CLIENT_ID}`, { token: adminToken, headers: { 'confirm-default-client': SYNC_CLIENT_ID } })).status).toBe(204);
  });
});

describe('a data folder where the admin console is already broken', () => {
  it.each([
    ['deleted', async (s: Awaited<ReturnType<typeof startServer>>) => void (await s.clients.delete(ADMIN_CONSOLE_CLIENT_ID, null, 'user:old-version'))],
    [
      'disabled and stripped',
      async (s: Awaited<ReturnType<typeof startServer>>) => {
        const current = (await s.clients.get(ADMIN_CONSOLE_CLIENT_ID))!;
        await s.clients.update(ADMIN_CONSOLE_CLIENT_ID, null, { ...current, status: 'disabled', grantTypes: ['refresh_token'], redirectUris: [], scopes: ['openid'] }, 'user:old-version');
      },
    ],
  ])('is repaired at start when %s, with a log line saying so; an admin can sign in again', async (_what, breakIt) => {
    const dataDir = await makeDataDir();
    const first = await startServer({ port: 0, dataDir, quiet: true, ...TEST_CREDENTIALS });
    await breakIt(first);
    expect(await adminCanSignIn(first)).toBe(false);
    await first.close();

    const second = await startTestServer({ dataDir });
    try {
      expect(second.logs.some((entry) => entry.level === 'warn' && /thetasecure-admin-console.*(re-created|repaired)/.test(String(entry.msg)))).toBe(true);
      const repaired = (await second.clients.get(ADMIN_CONSOLE_CLIENT_ID))!;
      expect(repaired).toMatchObject({ status: 'active', tokenEndpointAuthMethod: 'none', kind: 'default' });
      expect(repaired.grantTypes).toContain('authorization_code');
      expect(repaired.redirectUris).toContain('http://127.0.0.1/callback');
      expect(repaired.scopes).toEqual(expect.arrayContaining(['clients:read', 'clients:write']));
      expect(await adminCanSignIn(second)).toBe(true);
      expect((await second.clients.auditLog({ clientId: ADMIN_CONSOLE_CLIENT_ID }))[0]).toMatchObject({ actor: 'system:repair' });
    } finally {
      await second.stop();
    }
  });
});
