// The admin API over real HTTP against a real SQLite file: authorisation, the client life cycle
// at the token endpoint, secrets never stored or returned, versions, default-client protection.
import fs from 'node:fs/promises';
import path from 'node:path';
import * as jose from 'jose';
import type * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client, ClientPage } from '../shared/client.ts';
import { DATABASE_FILE, openDatabase } from './database.ts';
import { loadOrCreateServerKeys } from './server-keys.ts';
import { ADMIN_CLIENT_ID, ADMIN_CONSOLE_CLIENT_ID, DESKTOP_AGENT_CLIENT_ID, MOBILE_APP_CLIENT_ID, SYNC_CLIENT_ID } from './provisioning.ts';
import { discoverAdminConsole, signInWithPkce, startLoopbackListener } from './testing/sign-in.ts';
import type { LoopbackListener } from './testing/sign-in.ts';
import { TEST_CREDENTIALS, accessToken, api, clientCredentialsToken, startTestServer } from './testing/test-server.ts';
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

async function createClient(body: Record<string, unknown> = {}): Promise<{ client: Client; clientSecret: string }> {
  const response = await api(server, 'POST', '/clients', {
    token: adminToken,
    body: { name: 'Billing Service', grantTypes: ['client_credentials'], scopes: ['clients:read'], ...body },
  });
  expect(response.status).toBe(201);
  return (await response.json()) as { client: Client; clientSecret: string };
}

async function getClient(clientId: string): Promise<Client> {
  const response = await api(server, 'GET', `/clients/${clientId}`, { token: adminToken });
  expect(response.status).toBe(200);
  return (await response.json()) as Client;
}

describe('reading clients with a client_credentials token', () => {
  it('ts_admin_client gets a token and lists the five default clients', async () => {
    const response = await api(server, 'GET', '/clients?kind=default', { token: adminToken });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const page = (await response.json()) as ClientPage;
    expect(page.total).toBe(5);
    expect(page.items.map((client) => client.clientId).sort()).toEqual(
      [ADMIN_CLIENT_ID, SYNC_CLIENT_ID, MOBILE_APP_CLIENT_ID, DESKTOP_AGENT_CLIENT_ID, ADMIN_CONSOLE_CLIENT_ID].sort(),
    );
    const console = page.items.find((client) => client.clientId === ADMIN_CONSOLE_CLIENT_ID)!;
    expect(console).toMatchObject({
      kind: 'default',
      tokenEndpointAuthMethod: 'none',
      redirectUris: ['http://127.0.0.1/callback'],
      grantTypes: ['authorization_code', 'refresh_token'],
      responseTypes: ['code'],
      scopes: ['openid', 'profile', 'offline_access', 'clients:read', 'clients:write'],
      secrets: [],
    });
  });

  it('answers one client with its version as ETag, and 404 as a problem document for an unknown id', async () => {
    const response = await api(server, 'GET', `/clients/${SYNC_CLIENT_ID}`, { token: adminToken });
    const client = (await response.json()) as Client;
    expect(response.headers.get('etag')).toBe(`"${client.version}"`);
    expect(client.name).toBe('Sync Service Client');

    const missing = await api(server, 'GET', '/clients/tsc_does_not_exist', { token: adminToken });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await missing.json()).toMatchObject({ status: 404, title: 'Client not found', type: expect.any(String), detail: expect.stringContaining('tsc_does_not_exist') });
  });

  it('serves the scope catalog and the caller', async () => {
    const scopes = await api(server, 'GET', '/scopes', { token: adminToken });
    const catalog = (await scopes.json()) as { items: { name: string; description: string }[] };
    expect(catalog.items.map((scope) => scope.name)).toEqual(
      expect.arrayContaining(['openid', 'profile', 'email', 'offline_access', 'clients:read', 'clients:write', 'directory:read', 'directory:write']),
    );
    const me = await api(server, 'GET', '/me', { token: adminToken });
    expect(await me.json()).toEqual({ subject: ADMIN_CLIENT_ID, name: 'Admin Client', roles: [], scopes: ['clients:read', 'clients:write'] });
  });

  it('offers no client_secret_jwt and no HS* algorithm (they would be keyed from the stored hash)', async () => {
    const metadata = (await (await fetch(`${server.url}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    expect(metadata.token_endpoint_auth_methods_supported).toEqual(['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none']);
    expect(metadata.token_endpoint_auth_signing_alg_values_supported).toEqual(['RS256', 'ES256', 'EdDSA']);
    const algorithms = Object.entries(metadata).filter(([key]) => key.endsWith('_alg_values_supported')).flatMap(([, value]) => value as string[]);
    expect(algorithms.length).toBeGreaterThan(0);
    expect(algorithms.filter((alg) => alg.startsWith('HS'))).toEqual([]);
  });

  it('a client_credentials token carries only scopes the client is registered for', async () => {
    const response = await clientCredentialsToken(server, SYNC_CLIENT_ID, TEST_CREDENTIALS.syncClientSecret, 'clients:read');
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_scope' });
  });
});

describe('who may call the API', () => {
  it('refuses a request without a token, with a malformed token, and with a token for another audience (401)', async () => {
    const none = await api(server, 'GET', '/clients');
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await none.json()).toMatchObject({ status: 401, type: expect.any(String), title: expect.any(String), detail: expect.any(String) });

    const garbage = await api(server, 'GET', '/clients', { token: 'not-a-token' });
    expect(garbage.status).toBe(401);

    // An ID token is signed by this same server, but its audience is the client, not the API.
    const listener = await startLoopbackListener();
    try {
      const config = await discoverAdminConsole(server.issuer);
      const { tokens } = await signInWithPkce(config, listener, { username: 'admin', password: TEST_CREDENTIALS.adminPassword });
      const wrongAudience = await api(server, 'GET', '/clients', { token: tokens.id_token! });
      expect(wrongAudience.status).toBe(401);
      expect(await wrongAudience.json()).toMatchObject({ detail: expect.stringMatching(/not (valid|meant for this API)/) });
    } finally {
      await listener.close();
    }
  });

  it('refuses a token signed with this server\'s own key but for another audience, and one signed by a foreign key (401)', async () => {
    const db = openDatabase(server.dataDir);
    const { jwks } = loadOrCreateServerKeys(db);
    db.close();
    const ecKey = jwks.keys.find((key) => key.kty === 'EC')!;
    const sign = async (key: CryptoKey | Uint8Array | jose.KeyObject, audience: string) =>
      new jose.SignJWT({ client_id: ADMIN_CLIENT_ID, scope: 'clients:read clients:write', ts_principal: 'client' })
        .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: ecKey.kid })
        .setIssuer(server.issuer)
        .setSubject(ADMIN_CLIENT_ID)
        .setAudience(audience)
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(key);
    const ownKey = await jose.importJWK(ecKey as jose.JWK, 'ES256');

    // The same claims for the right audience are accepted: only the audience differs below.
    expect((await api(server, 'GET', '/me', { token: await sign(ownKey, server.apiAudience) })).status).toBe(200);

    const otherAudience = await api(server, 'GET', '/me', { token: await sign(ownKey, 'https://other.example/api') });
    expect(otherAudience.status).toBe(401);
    expect(await otherAudience.json()).toMatchObject({ detail: 'The access token is not meant for this API.' });

    const { privateKey } = await jose.generateKeyPair('ES256');
    const foreign = await api(server, 'GET', '/me', { token: await sign(privateKey, server.apiAudience) });
    expect(foreign.status).toBe(401);
  });

  it('refuses an expired token (401)', async () => {
    const shortLived = await startTestServer({ accessTokenTtlSeconds: 1 });
    try {
      const token = await accessToken(shortLived, ADMIN_CLIENT_ID, TEST_CREDENTIALS.adminClientSecret);
      expect((await api(shortLived, 'GET', '/me', { token })).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 2_100));
      const expired = await api(shortLived, 'GET', '/me', { token });
      expect(expired.status).toBe(401);
      expect(await expired.json()).toMatchObject({ detail: 'The access token has expired.' });
    } finally {
      await shortLived.stop();
    }
  });

  describe('a helpdesk user (read-only role)', () => {
    let helpdeskToken: string;
    let listener: LoopbackListener;
    let config: oidc.Configuration;

    beforeAll(async () => {
      listener = await startLoopbackListener();
      config = await discoverAdminConsole(server.issuer);
      const { tokens } = await signInWithPkce(config, listener, { username: 'helpdesk', password: TEST_CREDENTIALS.helpdeskPassword });
      helpdeskToken = tokens.access_token;
    });
    afterAll(async () => {
      await listener?.close();
    });

    it('may list clients', async () => {
      const response = await api(server, 'GET', '/clients', { token: helpdeskToken });
      expect(response.status).toBe(200);
    });

    it('gets 403 on POST, PATCH and DELETE, and nothing changes', async () => {
      const before = await server.clients.count();
      const target = await getClient(SYNC_CLIENT_ID);
      const post = await api(server, 'POST', '/clients', { token: helpdeskToken, body: { name: 'Nope', grantTypes: ['client_credentials'], scopes: ['clients:read'] } });
      const patch = await api(server, 'PATCH', `/clients/${SYNC_CLIENT_ID}`, {
        token: helpdeskToken,
        body: { name: 'Renamed' },
        headers: { 'if-match': `"${target.version}"`, 'confirm-default-client': SYNC_CLIENT_ID },
      });
      const del = await api(server, 'DELETE', `/clients/${SYNC_CLIENT_ID}`, { token: helpdeskToken, headers: { 'confirm-default-client': SYNC_CLIENT_ID } });
      for (const response of [post, patch, del]) {
        expect(response.status).toBe(403);
        expect(response.headers.get('www-authenticate')).toMatch(/insufficient_scope/);
        expect(await response.json()).toMatchObject({ status: 403, requiredScope: 'clients:write' });
      }
      expect(await server.clients.count()).toBe(before);
      expect(await getClient(SYNC_CLIENT_ID)).toEqual(target);
    });
  });
});

describe('a client created through the API', () => {
  it('returns its secret once, and the secret works at the token endpoint at once', async () => {
    const { client, clientSecret } = await createClient({ name: 'Token Test', scopes: ['clients:read'] });
    expect(clientSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(client.clientId).toMatch(/^tsc_/);
    expect(client.secrets).toEqual([{ id: expect.stringMatching(/^sec_/), hint: clientSecret.slice(-4), createdAt: expect.any(String), expiresAt: null, lastUsedAt: null, status: 'active', retiresAt: null }]);

    const token = await accessToken(server, client.clientId, clientSecret, 'clients:read');
    const me = await api(server, 'GET', '/me', { token });
    expect(await me.json()).toMatchObject({ subject: client.clientId, scopes: ['clients:read'] });
  });

  it('refuses a wrong secret with 401 invalid_client', async () => {
    const { client, clientSecret } = await createClient({ name: 'Wrong Secret Test' });
    const wrong = await clientCredentialsToken(server, client.clientId, `${clientSecret.slice(0, -1)}x`, 'clients:read');
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ error: 'invalid_client' });
  });

  it('never stores the secret: the SQLite file and its WAL do not contain it; no response returns it again', async () => {
    const { client, clientSecret } = await createClient({ name: 'Stored Secret Test' });
    await accessToken(server, client.clientId, clientSecret, 'clients:read');

    const files = (await fs.readdir(server.dataDir)).filter((name) => name.startsWith(DATABASE_FILE));
    expect(files).toContain(DATABASE_FILE);
    for (const file of files) {
      const bytes = await fs.readFile(path.join(server.dataDir, file));
      expect(bytes.includes(Buffer.from(clientSecret)), `${file} contains the secret`).toBe(false);
    }

    const responses = await Promise.all([
      api(server, 'GET', `/clients/${client.clientId}`, { token: adminToken }),
      api(server, 'GET', '/clients?limit=500', { token: adminToken }),
      api(server, 'GET', `/clients?q=${encodeURIComponent('Stored Secret')}`, { token: adminToken }),
      api(server, 'PATCH', `/clients/${client.clientId}`, { token: adminToken, body: { description: 'changed' }, headers: { 'if-match': '"1"' } }),
    ]);
    for (const response of responses) {
      expect(response.ok).toBe(true);
      expect(await response.text()).not.toContain(clientSecret);
    }
  });

  it('stops getting tokens when disabled, and its earlier access tokens stop working; enabling brings it back', async () => {
    const { client, clientSecret } = await createClient({ name: 'Disable Test' });
    const token = await accessToken(server, client.clientId, clientSecret, 'clients:read');

    const disable = await api(server, 'PATCH', `/clients/${client.clientId}`, { token: adminToken, body: { status: 'disabled' }, headers: { 'if-match': '"1"' } });
    expect(disable.status).toBe(200);
    expect(((await disable.json()) as Client).status).toBe('disabled');

    const refused = await clientCredentialsToken(server, client.clientId, clientSecret, 'clients:read');
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ error: 'invalid_client' });
    expect((await api(server, 'GET', '/me', { token })).status).toBe(401);

    const enable = await api(server, 'PATCH', `/clients/${client.clientId}`, { token: adminToken, body: { status: 'active' }, headers: { 'if-match': '"2"' } });
    expect(enable.status).toBe(200);
    expect((await clientCredentialsToken(server, client.clientId, clientSecret, 'clients:read')).status).toBe(200);
  });

  it('stops getting tokens when deleted (204, then 404)', async () => {
    const { client, clientSecret } = await createClient({ name: 'Delete Test' });
    const token = await accessToken(server, client.clientId, clientSecret, 'clients:read');
    const before = await server.clients.count();

    const del = await api(server, 'DELETE', `/clients/${client.clientId}`, { token: adminToken });
    expect(del.status).toBe(204);
    expect(await server.clients.count()).toBe(before - 1);
    expect((await api(server, 'GET', `/clients/${client.clientId}`, { token: adminToken })).status).toBe(404);

    const refused = await clientCredentialsToken(server, client.clientId, clientSecret, 'clients:read');
    expect(refused.status).toBe(401);
    expect((await api(server, 'GET', '/me', { token })).status).toBe(401);
  });

  it('applies a scope change at the token endpoint at once', async () => {
    const { client, clientSecret } = await createClient({ name: 'Scope Change Test', scopes: ['clients:read'] });
    expect((await clientCredentialsToken(server, client.clientId, clientSecret, 'directory:read')).status).toBe(400);
    const patch = await api(server, 'PATCH', `/clients/${client.clientId}`, { token: adminToken, body: { scopes: ['directory:read'] }, headers: { 'if-match': '"1"' } });
    expect(patch.status).toBe(200);
    const response = await clientCredentialsToken(server, client.clientId, clientSecret, 'directory:read');
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ scope: 'directory:read' });
  });

  it('creates a Sync Connector with its preset, whatever else is asked', async () => {
    const response = await api(server, 'POST', '/clients', { token: adminToken, body: { kind: 'sync_connector', name: 'LDAP Sync', description: 'Head office' } });
    expect(response.status).toBe(201);
    expect(response.headers.get('location')).toMatch(/^\/api\/v1\/clients\/tsc_/);
    const { client, clientSecret } = (await response.json()) as { client: Client; clientSecret: string };
    expect(client).toMatchObject({ kind: 'sync_connector', grantTypes: ['client_credentials'], scopes: ['directory:read', 'directory:write'], redirectUris: [] });
    const token = await clientCredentialsToken(server, client.clientId, clientSecret, 'directory:read directory:write');
    expect(token.status).toBe(200);
  });

  it('writes an audit record for every change, naming who did it and what changed, never the secret', async () => {
    const { client, clientSecret } = await createClient({ name: 'Audit Test' });
    await api(server, 'PATCH', `/clients/${client.clientId}`, { token: adminToken, body: { name: 'Audit Test 2' }, headers: { 'if-match': '"1"' } });
    await api(server, 'DELETE', `/clients/${client.clientId}`, { token: adminToken });
    const audit = await server.clients.auditLog({ clientId: client.clientId });
    expect(audit.map((entry) => entry.action)).toEqual(['client.delete', 'client.update', 'client.create']);
    expect(audit.every((entry) => entry.actor === `client:${ADMIN_CLIENT_ID}`)).toBe(true);
    expect(audit[1]!.changes).toEqual({ name: { from: 'Audit Test', to: 'Audit Test 2' } });
    expect(JSON.stringify(audit)).not.toContain(clientSecret);
  });
});

describe('versions (ETag / If-Match)', () => {
  it('requires If-Match on PATCH (428)', async () => {
    const { client } = await createClient({ name: 'No If-Match' });
    const response = await api(server, 'PATCH', `/clients/${client.clientId}`, { token: adminToken, body: { name: 'Changed' } });
    expect(response.status).toBe(428);
    expect(await response.json()).toMatchObject({ status: 428, detail: expect.stringContaining('If-Match') });
    expect((await getClient(client.clientId)).name).toBe('No If-Match');
  });

  it('two PATCHes from the same version: the first wins, the second gets 412 and the first change stays', async () => {
    const { client } = await createClient({ name: 'Race' });
    const etag = `"${client.version}"`;
    const first = await api(server, 'PATCH', `/clients/${client.clientId}`, { token: adminToken, body: { name: 'First' }, headers: { 'if-match': etag } });
    expect(first.status).toBe(200);
    expect(first.headers.get('etag')).toBe('"2"');
    const second = await api(server, 'PATCH', `/clients/${client.clientId}`, { token: adminToken, body: { name: 'Second' }, headers: { 'if-match': etag } });
    expect(second.status).toBe(412);
    expect(await second.json()).toMatchObject({ status: 412, currentVersion: 2 });
    const stored = await getClient(client.clientId);
    expect(stored).toMatchObject({ name: 'First', version: 2 });
  });

  it('refuses a DELETE with a stale If-Match (412) and keeps the client', async () => {
    const { client } = await createClient({ name: 'Stale Delete' });
    await api(server, 'PATCH', `/clients/${client.clientId}`, { token: adminToken, body: { name: 'Stale Delete 2' }, headers: { 'if-match': '"1"' } });
    const del = await api(server, 'DELETE', `/clients/${client.clientId}`, { token: adminToken, headers: { 'if-match': '"1"' } });
    expect(del.status).toBe(412);
    expect((await getClient(client.clientId)).name).toBe('Stale Delete 2');
  });
});

describe('default clients are protected', () => {
  it('PATCH and DELETE without Confirm-Default-Client get 409 and change nothing', async () => {
    const before = await getClient(DESKTOP_AGENT_CLIENT_ID);
    const patch = await api(server, 'PATCH', `/clients/${DESKTOP_AGENT_CLIENT_ID}`, { token: adminToken, body: { name: 'Renamed' }, headers: { 'if-match': `"${before.version}"` } });
    expect(patch.status).toBe(409);
    const problem = (await patch.json()) as { type: string; detail: string };
    expect(problem.type).toBe('urn:thetasecure:problem:default-client-confirmation-required');
    expect(problem.detail).toContain(`Confirm-Default-Client: ${DESKTOP_AGENT_CLIENT_ID}`);

    const wrongConfirm = await api(server, 'DELETE', `/clients/${DESKTOP_AGENT_CLIENT_ID}`, { token: adminToken, headers: { 'confirm-default-client': MOBILE_APP_CLIENT_ID } });
    expect(wrongConfirm.status).toBe(409);
    expect(await getClient(DESKTOP_AGENT_CLIENT_ID)).toEqual(before);
  });

  it('with the confirm header a default client can be changed (keeping its grandfathered settings) and deleted', async () => {
    const before = await getClient(MOBILE_APP_CLIENT_ID);
    const patch = await api(server, 'PATCH', `/clients/${MOBILE_APP_CLIENT_ID}`, {
      token: adminToken,
      body: { description: 'Changed on purpose' },
      headers: { 'if-match': `"${before.version}"`, 'confirm-default-client': MOBILE_APP_CLIENT_ID },
    });
    expect(patch.status).toBe(200);
    expect(await patch.json()).toMatchObject({ description: 'Changed on purpose', grantTypes: ['authorization_code', 'refresh_token'], responseTypes: ['code'] });

    const del = await api(server, 'DELETE', `/clients/${MOBILE_APP_CLIENT_ID}`, { token: adminToken, headers: { 'confirm-default-client': MOBILE_APP_CLIENT_ID } });
    expect(del.status).toBe(204);
    expect((await api(server, 'GET', `/clients/${MOBILE_APP_CLIENT_ID}`, { token: adminToken })).status).toBe(404);
  });
});

describe('request format', () => {
  it('answers 415 for a body that is not JSON, and 400 naming "body" for broken JSON', async () => {
    const form = await api(server, 'POST', '/clients', { token: adminToken, body: 'name=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(form.status).toBe(415);
    const broken = await api(server, 'POST', '/clients', { token: adminToken, body: '{"name": ' });
    expect(broken.status).toBe(400);
    expect(await broken.json()).toMatchObject({ errors: [{ field: 'body', message: expect.any(String) }] });
  });

  it('answers 405 with Allow for an unsupported method and 404 for an unknown API path', async () => {
    const put = await api(server, 'PUT', '/clients', { token: adminToken, body: {} });
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('GET, POST');
    expect((await api(server, 'GET', '/nothing-here', { token: adminToken })).status).toBe(404);
  });

  it('serves /healthz without authentication', async () => {
    const response = await fetch(`${server.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', database: 'sqlite' });
  });
});
