// The secret lifecycle over real HTTP against a real SQLite file (issue 10): rotation with an
// overlap window at the real token endpoint, retirement, the limit of 3, expiry, the default-client
// confirmation, THETASECURE_SECRET_MAX_DAYS and the roles. Time is the server's injected clock:
// the test moves it, and the token endpoint decides by it at each request.
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client, RotateSecretResponse, SecretMeta } from '../../shared/client.ts';
import { DATABASE_FILE, openDatabase } from '../database.ts';
import { ADMIN_CLIENT_ID, SYNC_CLIENT_ID } from '../provisioning.ts';
import { discoverAdminConsole, signInWithPkce, startLoopbackListener } from '../testing/sign-in.ts';
import { TEST_CREDENTIALS, accessToken, api, clientCredentialsToken, makeDataDir, startTestServer } from '../testing/test-server.ts';
import { hashClientSecret } from './secret-values.ts';
import type { TestServer } from '../testing/test-server.ts';

const HOUR = 3_600_000;
let clock = Date.now();
let server: TestServer;
let adminToken: string;

beforeAll(async () => {
  server = await startTestServer({ now: () => new Date(clock) });
  adminToken = await accessToken(server, ADMIN_CLIENT_ID, TEST_CREDENTIALS.adminClientSecret);
});
afterAll(async () => {
  await server?.stop();
});

async function createClient(name: string): Promise<{ client: Client; clientSecret: string }> {
  const response = await api(server, 'POST', '/clients', { token: adminToken, body: { name, grantTypes: ['client_credentials'], scopes: ['directory:read'] } });
  expect(response.status).toBe(201);
  return (await response.json()) as { client: Client; clientSecret: string };
}

async function rotate(clientId: string, body: unknown = {}, headers: Record<string, string> = {}): Promise<RotateSecretResponse> {
  // A second later than what came before: secrets are listed oldest first.
  clock += 1_000;
  const response = await api(server, 'POST', `/clients/${clientId}/secrets`, { token: adminToken, body, headers });
  expect(response.status, JSON.stringify(await response.clone().json())).toBe(201);
  return (await response.json()) as RotateSecretResponse;
}

async function secretsOf(clientId: string, token = adminToken): Promise<SecretMeta[]> {
  const response = await api(server, 'GET', `/clients/${clientId}/secrets`, { token });
  expect(response.status).toBe(200);
  return ((await response.json()) as { items: SecretMeta[] }).items;
}

async function tokenStatus(clientId: string, secret: string): Promise<number> {
  return (await clientCredentialsToken(server, clientId, secret, 'directory:read')).status;
}

async function problem(response: Response, status: number): Promise<Record<string, unknown>> {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toContain('application/problem+json');
  return (await response.json()) as Record<string, unknown>;
}

describe('rotating a secret with an overlap window', () => {
  it('old and new secret both get tokens during the window; the old one stops when it ends', async () => {
    const { client, clientSecret: oldSecret } = await createClient('Rotating Service');
    const before = await server.clients.lastChangeSeq();
    const rotated = await rotate(client.clientId, { retireOthersAfterHours: 24 });
    expect(rotated.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(rotated).toMatchObject({ hint: rotated.secret.slice(-4), createdAt: new Date(clock).toISOString(), expiresAt: null });
    // One change, in the feed, with an audit record naming the secrets by id and hint only.
    expect(await server.clients.lastChangeSeq()).toBe(before + 1);
    const [audit] = await server.clients.auditLog({ clientId: client.clientId, limit: 1 });
    expect(audit).toMatchObject({ action: 'client.secret.create', actor: `client:${ADMIN_CLIENT_ID}` });
    expect(JSON.stringify(audit)).not.toContain(rotated.secret);

    expect(await tokenStatus(client.clientId, oldSecret)).toBe(200);
    expect(await tokenStatus(client.clientId, rotated.secret)).toBe(200);
    const during = await secretsOf(client.clientId);
    expect(during.map((s) => [s.hint, s.status, s.retiresAt])).toEqual([
      [oldSecret.slice(-4), 'active', new Date(clock + 24 * HOUR).toISOString()],
      [rotated.hint, 'active', null],
    ]);

    clock += 24 * HOUR - 1_000;
    expect(await tokenStatus(client.clientId, oldSecret)).toBe(200);
    clock += 1_000;
    expect(await tokenStatus(client.clientId, oldSecret)).toBe(401);
    expect(await tokenStatus(client.clientId, rotated.secret)).toBe(200);
    expect((await secretsOf(client.clientId)).map((s) => s.status)).toEqual(['retired', 'active']);
    // The secret was shown once: no later answer, no database file, no log line holds it.
    const again = await api(server, 'GET', `/clients/${client.clientId}`, { token: adminToken });
    expect(await again.text()).not.toContain(rotated.secret);
    expect(await (await api(server, 'GET', `/clients/${client.clientId}/secrets`, { token: adminToken })).text()).not.toContain(rotated.secret);
    for (const file of (await fs.readdir(server.dataDir)).filter((name) => name.startsWith(DATABASE_FILE))) {
      expect((await fs.readFile(path.join(server.dataDir, file))).includes(Buffer.from(rotated.secret)), file).toBe(false);
    }
    expect(JSON.stringify(server.logs)).not.toContain(rotated.secret);
  });

  it('without retireOthersAfterHours the other secrets stay; 0 stops them at once', async () => {
    const { client, clientSecret: first } = await createClient('Additive Service');
    const second = await rotate(client.clientId);
    expect(await tokenStatus(client.clientId, first)).toBe(200);
    const third = await rotate(client.clientId, { retireOthersAfterHours: 0 });
    expect(await tokenStatus(client.clientId, first)).toBe(401);
    expect(await tokenStatus(client.clientId, second.secret)).toBe(401);
    expect(await tokenStatus(client.clientId, third.secret)).toBe(200);
  });
});

describe('retiring a secret', () => {
  it('DELETE retires it at once (204, new version); the last working secret cannot be retired (409)', async () => {
    const { client, clientSecret: first } = await createClient('Retiring Service');
    const second = await rotate(client.clientId);
    const [firstMeta] = await secretsOf(client.clientId);
    const version = (await (await api(server, 'GET', `/clients/${client.clientId}`, { token: adminToken })).json() as Client).version;

    const retired = await api(server, 'DELETE', `/clients/${client.clientId}/secrets/${firstMeta!.id}`, { token: adminToken, headers: { 'if-match': `"${version}"` } });
    expect(retired.status).toBe(204);
    expect(retired.headers.get('etag')).toBe(`"${version + 1}"`);
    expect(await tokenStatus(client.clientId, first)).toBe(401);
    expect(await tokenStatus(client.clientId, second.secret)).toBe(200);
    expect((await secretsOf(client.clientId)).map((s) => [s.status, s.retiresAt])).toEqual([['retired', new Date(clock).toISOString()], ['active', null]]);

    // Again: nothing to do, nothing written.
    const seq = await server.clients.lastChangeSeq();
    expect((await api(server, 'DELETE', `/clients/${client.clientId}/secrets/${firstMeta!.id}`, { token: adminToken })).status).toBe(204);
    expect(await server.clients.lastChangeSeq()).toBe(seq);

    const last = await problem(await api(server, 'DELETE', `/clients/${client.clientId}/secrets/${second.id}`, { token: adminToken }), 409);
    expect(last).toMatchObject({ type: 'urn:thetasecure:problem:last-active-secret', secretId: second.id });
    expect(await tokenStatus(client.clientId, second.secret)).toBe(200);
    expect(await server.clients.lastChangeSeq()).toBe(seq);

    await problem(await api(server, 'DELETE', `/clients/${client.clientId}/secrets/sec_nope`, { token: adminToken }), 404);
    await problem(await api(server, 'DELETE', `/clients/${client.clientId}/secrets/${second.id}`, { token: adminToken, headers: { 'if-match': '"1"' } }), 412);
  });

  it('a secret that is set to retire at the end of an overlap does not count as the one that keeps working', async () => {
    const { client } = await createClient('Overlap Guard');
    const fresh = await rotate(client.clientId, { retireOthersAfterHours: 2 });
    await problem(await api(server, 'DELETE', `/clients/${client.clientId}/secrets/${fresh.id}`, { token: adminToken }), 409);
  });
});

describe('at most 3 secrets', () => {
  it('a 4th is refused while all 3 work (409 naming the limit); with one retired, the oldest retired one makes room', async () => {
    const { client } = await createClient('Limited Service');
    await rotate(client.clientId);
    const third = await rotate(client.clientId);
    const refused = await problem(await api(server, 'POST', `/clients/${client.clientId}/secrets`, { token: adminToken, body: {} }), 409);
    expect(refused).toMatchObject({ type: 'urn:thetasecure:problem:secret-limit', limit: 3 });
    expect(await secretsOf(client.clientId)).toHaveLength(3);

    const [oldest] = await secretsOf(client.clientId);
    expect((await api(server, 'DELETE', `/clients/${client.clientId}/secrets/${oldest!.id}`, { token: adminToken })).status).toBe(204);
    const fourth = await rotate(client.clientId);
    const after = await secretsOf(client.clientId);
    expect(after.map((s) => s.id)).not.toContain(oldest!.id);
    expect(after.map((s) => s.id)).toEqual(expect.arrayContaining([third.id, fourth.id]));
    expect(after).toHaveLength(3);
    const [audit] = await server.clients.auditLog({ clientId: client.clientId, limit: 1 });
    expect(audit!.changes).toMatchObject({ dropped: [{ id: oldest!.id, hint: oldest!.hint }] });
  });
});

describe('expiry', () => {
  it('a secret with expiresInDays works until then and is refused from that moment, shown as expired', async () => {
    const { client } = await createClient('Expiring Service');
    const expiring = await rotate(client.clientId, { expiresInDays: 1 });
    expect(expiring.expiresAt).toBe(new Date(clock + 24 * HOUR).toISOString());
    clock += 24 * HOUR - 1_000;
    expect(await tokenStatus(client.clientId, expiring.secret)).toBe(200);
    clock += 1_000;
    expect(await tokenStatus(client.clientId, expiring.secret)).toBe(401);
    expect((await secretsOf(client.clientId)).find((s) => s.id === expiring.id)?.status).toBe('expired');
  });

  it('refuses bad rotation input naming the field, and writes nothing', async () => {
    const { client } = await createClient('Validated Service');
    const seq = await server.clients.lastChangeSeq();
    for (const [body, field] of [
      [{ expiresInDays: 0 }, 'expiresInDays'],
      [{ expiresInDays: 731 }, 'expiresInDays'],
      [{ expiresInDays: 1.5 }, 'expiresInDays'],
      [{ expiresInDays: '30' }, 'expiresInDays'],
      [{ retireOthersAfterHours: 721 }, 'retireOthersAfterHours'],
      [{ retireOthersAfterHours: -1 }, 'retireOthersAfterHours'],
      [{ secret: 'mine' }, 'secret'],
      [[], 'body'],
    ] as const) {
      const body400 = await problem(await api(server, 'POST', `/clients/${client.clientId}/secrets`, { token: adminToken, body }), 400);
      expect((body400.errors as { field: string }[]).map((e) => e.field), JSON.stringify(body)).toEqual([field]);
    }
    expect(await server.clients.lastChangeSeq()).toBe(seq);
    expect(await secretsOf(client.clientId)).toHaveLength(1);
  });
});

describe('default clients', () => {
  it('rotating or retiring a default client\'s secret needs Confirm-Default-Client', async () => {
    const refused = await problem(await api(server, 'POST', `/clients/${SYNC_CLIENT_ID}/secrets`, { token: adminToken, body: {} }), 409);
    expect(refused).toMatchObject({ type: 'urn:thetasecure:problem:default-client-confirmation-required', clientId: SYNC_CLIENT_ID });
    const confirm = { 'confirm-default-client': SYNC_CLIENT_ID };
    const rotated = await rotate(SYNC_CLIENT_ID, { retireOthersAfterHours: 1 }, confirm);
    expect(await tokenStatus(SYNC_CLIENT_ID, TEST_CREDENTIALS.syncClientSecret)).toBe(200);
    expect(await tokenStatus(SYNC_CLIENT_ID, rotated.secret)).toBe(200);
    const [old] = await secretsOf(SYNC_CLIENT_ID);
    await problem(await api(server, 'DELETE', `/clients/${SYNC_CLIENT_ID}/secrets/${old!.id}`, { token: adminToken }), 409);
    expect((await api(server, 'DELETE', `/clients/${SYNC_CLIENT_ID}/secrets/${old!.id}`, { token: adminToken, headers: confirm })).status).toBe(204);
    expect(await tokenStatus(SYNC_CLIENT_ID, TEST_CREDENTIALS.syncClientSecret)).toBe(401);
  });

  it('a public default client has no secrets to rotate (409)', async () => {
    const refused = await problem(await api(server, 'POST', '/clients/thetasecure-mobile-app/secrets', { token: adminToken, body: {}, headers: { 'confirm-default-client': 'thetasecure-mobile-app' } }), 409);
    expect(refused).toMatchObject({ type: 'urn:thetasecure:problem:client-has-no-secrets' });
  });
});

describe('roles', () => {
  it('helpdesk reads the secrets metadata but cannot rotate or retire, and never sees a secret', async () => {
    const listener = await startLoopbackListener();
    try {
      const config = await discoverAdminConsole(server.issuer);
      const { tokens } = await signInWithPkce(config, listener, { username: 'helpdesk', password: TEST_CREDENTIALS.helpdeskPassword }, 'openid profile clients:read');
      const helpdesk = tokens.access_token;
      const { client } = await createClient('Helpdesk Visible');
      const items = await secretsOf(client.clientId, helpdesk);
      expect(items).toHaveLength(1);
      expect(Object.keys(items[0]!).sort()).toEqual(['createdAt', 'expiresAt', 'hint', 'id', 'lastUsedAt', 'retiresAt', 'status']);
      await problem(await api(server, 'POST', `/clients/${client.clientId}/secrets`, { token: helpdesk, body: {} }), 403);
      await problem(await api(server, 'DELETE', `/clients/${client.clientId}/secrets/${items[0]!.id}`, { token: helpdesk }), 403);
      expect(await secretsOf(client.clientId)).toHaveLength(1);
    } finally {
      await listener.close();
    }
  });

  it('no token: 401; an unknown client: 404; other methods: 405', async () => {
    await problem(await api(server, 'GET', `/clients/${ADMIN_CLIENT_ID}/secrets`), 401);
    await problem(await api(server, 'GET', '/clients/tsc_nope/secrets', { token: adminToken }), 404);
    const put = await problem(await api(server, 'PUT', `/clients/${ADMIN_CLIENT_ID}/secrets`, { token: adminToken, body: {} }), 405);
    expect(put.detail).toContain('GET, POST');
  });
});

describe('THETASECURE_SECRET_MAX_DAYS', () => {
  it('caps expiresInDays, refuses a secret without expiry, and gives a new client\'s first secret the longest expiry allowed', async () => {
    const capped = await startTestServer({ now: () => new Date(clock), secretMaxDays: 90 });
    try {
      const token = await accessToken(capped, ADMIN_CLIENT_ID, TEST_CREDENTIALS.adminClientSecret);
      const created = await api(capped, 'POST', '/clients', { token, body: { name: 'Capped', grantTypes: ['client_credentials'], scopes: ['directory:read'] } });
      const { client } = (await created.json()) as { client: Client };
      expect(client.secrets[0]!.expiresAt).toBe(new Date(clock + 90 * 24 * HOUR).toISOString());
      const missing = await problem(await api(capped, 'POST', `/clients/${client.clientId}/secrets`, { token, body: {} }), 400);
      expect(missing.errors).toEqual([{ field: 'expiresInDays', message: expect.stringContaining('1 to 90') }]);
      const tooLong = await problem(await api(capped, 'POST', `/clients/${client.clientId}/secrets`, { token, body: { expiresInDays: 91 } }), 400);
      expect(tooLong.errors).toEqual([{ field: 'expiresInDays', message: expect.stringContaining('at most 90') }]);
      const ok = await api(capped, 'POST', `/clients/${client.clientId}/secrets`, { token, body: { expiresInDays: 90 } });
      expect(ok.status).toBe(201);
    } finally {
      await capped.stop();
    }
  });
});

describe('an older data folder (schema 4)', () => {
  it('is upgraded: its clients and secrets read back with the new fields empty, and the secret still works', async () => {
    const dataDir = await makeDataDir();
    const old = openDatabase(dataDir, { schemaVersion: 4 });
    const secret = 'older-secret-0123456789-0123456789-0123456789';
    old.prepare(`INSERT INTO clients (client_id, name, description, kind, status, grant_types, grant_mask, response_types, redirect_uris, scopes,
      require_consent, token_endpoint_auth_method, created_at, updated_at, version, change_seq)
      VALUES ('tsc_older', 'Older', '', 'custom', 'active', '["client_credentials"]', 2, '["token"]', '[]', '["directory:read"]', 0, 'client_secret_basic', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', 1, 100)`).run();
    old.prepare("INSERT INTO client_secrets (id, client_id, hash, hint, created_at, expires_at) VALUES ('sec_older', 'tsc_older', ?, ?, '2026-01-01T00:00:00.000Z', NULL)").run(hashClientSecret(secret), secret.slice(-4));
    old.prepare('UPDATE change_feed SET last_seq = 100').run();
    old.close();
    const upgraded = await startTestServer({ dataDir });
    try {
      const token = await accessToken(upgraded, ADMIN_CLIENT_ID, TEST_CREDENTIALS.adminClientSecret);
      const client = (await (await api(upgraded, 'GET', '/clients/tsc_older', { token })).json()) as Client;
      expect(client).toMatchObject({ jwksUri: null, jwks: null, lastUsedAt: null, secrets: [{ id: 'sec_older', status: 'active', retiresAt: null, lastUsedAt: null }] });
      expect((await clientCredentialsToken(upgraded, 'tsc_older', secret, 'directory:read')).status).toBe(200);
    } finally {
      await upgraded.stop();
    }
  });
});
