// Export and import over real HTTP, from one real server into a fresh one: the document holds
// no secret or hash, a dry run plans and writes nothing, an apply writes everything in one go or
// nothing, created confidential clients get new secrets that work at the token endpoint.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '../../shared/client.ts';
import type { ExportDocument, ImportResult } from '../../shared/client-transfer.ts';
import { ADMIN_CLIENT_ID, SYNC_CLIENT_ID } from '../provisioning.ts';
import { TEST_CREDENTIALS, accessToken, api, clientCredentialsToken, startTestServer } from '../testing/test-server.ts';
import type { TestServer } from '../testing/test-server.ts';

let source: TestServer;
let target: TestServer;
let sourceToken: string;
let targetToken: string;

beforeAll(async () => {
  [source, target] = await Promise.all([startTestServer(), startTestServer()]);
  sourceToken = await accessToken(source, ADMIN_CLIENT_ID, TEST_CREDENTIALS.adminClientSecret);
  targetToken = await accessToken(target, ADMIN_CLIENT_ID, TEST_CREDENTIALS.adminClientSecret);
});

afterAll(async () => {
  await Promise.all([source?.stop(), target?.stop()]);
});

async function create(body: Record<string, unknown>): Promise<{ client: Client; clientSecret?: string }> {
  const response = await api(source, 'POST', '/clients', { token: sourceToken, body });
  expect(response.status).toBe(201);
  return (await response.json()) as { client: Client; clientSecret?: string };
}

async function importInto(server: TestServer, token: string, document: unknown, dryRun: boolean): Promise<Response> {
  return api(server, 'POST', `/clients/import?dryRun=${dryRun}`, { token, body: document });
}

describe('export and import', () => {
  let exported: ExportDocument;
  let secrets: string[];

  it('exports the named clients as a versioned document without secrets or hashes', async () => {
    const made = [
      await create({ name: 'Export Billing', grantTypes: ['client_credentials'], scopes: ['directory:read'], labels: ['team:billing'] }),
      await create({ name: 'Export Web', description: 'web app', grantTypes: ['authorization_code'], redirectUris: ['https://web.example.com/cb'], scopes: ['openid', 'profile'], tokenEndpointAuthMethod: 'none' }),
      await create({ kind: 'sync_connector', name: 'Export Sync', labels: ['env:prod'] }),
    ];
    secrets = made.flatMap((m) => (m.clientSecret ? [m.clientSecret] : []));
    const ids = made.map((m) => m.client.clientId);
    const response = await api(source, 'GET', `/clients/export?clientIds=${ids.join(',')}`, { token: sourceToken });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="thetasecure-clients-\d{4}-\d\d-\d\d\.json"$/);
    const text = await response.text();
    for (const secret of secrets) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/"(hash|secrets|secret|clientSecret)"/);
    exported = JSON.parse(text) as ExportDocument;
    expect(exported).toMatchObject({ format: 'thetasecure-clients', version: 1, exportedAt: expect.any(String) });
    expect(exported.clients.map((c) => c.name)).toEqual(['Export Billing', 'Export Web', 'Export Sync']);
    expect(exported.clients[0]).toMatchObject({ labels: ['team:billing'], grantTypes: ['client_credentials'] });

    const missing = await api(source, 'GET', `/clients/export?clientIds=${ids[0]},tsc_gone`, { token: sourceToken });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ errors: [{ field: 'clientIds[1]' }] });
  });

  it('a dry run into a fresh server plans three creates and writes nothing', async () => {
    const before = await target.clients.count();
    const response = await importInto(target, targetToken, exported, true);
    expect(response.status).toBe(200);
    const plan = (await response.json()) as ImportResult;
    expect(plan).toMatchObject({ dryRun: true, applied: false, summary: { create: 3, update: 0, unchanged: 0, conflict: 0, invalid: 0 } });
    expect(plan.secrets).toBeUndefined();
    expect(await target.clients.count()).toBe(before);
  });

  it('applying reproduces the clients on the fresh server, with new secrets that work', async () => {
    const response = await importInto(target, targetToken, exported, false);
    expect(response.status).toBe(200);
    const result = (await response.json()) as ImportResult;
    expect(result).toMatchObject({ applied: true, summary: { create: 3 } });
    // Billing and the Sync Connector are confidential: new secrets, not the source's.
    expect(result.secrets!.map((s) => s.name).sort()).toEqual(['Export Billing', 'Export Sync']);
    for (const secret of result.secrets!) expect(secrets).not.toContain(secret.clientSecret);
    for (const entry of exported.clients) {
      const copy = (await target.clients.get(entry.clientId))!;
      expect({ ...copy, secrets: undefined }).toMatchObject({ ...entry });
    }
    const billing = result.secrets!.find((s) => s.name === 'Export Billing')!;
    const token = await clientCredentialsToken(target, billing.clientId, billing.clientSecret, 'directory:read');
    expect(token.status).toBe(200);
    const audit = await target.clients.auditLog({ clientId: billing.clientId });
    expect(audit).toMatchObject([{ action: 'client.create', actor: `client:${ADMIN_CLIENT_ID}` }]);

    const again = (await (await importInto(target, targetToken, exported, true)).json()) as ImportResult;
    expect(again.summary).toMatchObject({ unchanged: 3, create: 0 });
  });

  it('plans updates, a conflict for a changed default client, and writes nothing when any entry is refused', async () => {
    const sync = (await target.clients.get(SYNC_CLIENT_ID))!;
    const changed: ExportDocument = {
      ...exported,
      clients: [
        { ...exported.clients[0]!, description: 'now described', labels: ['team:billing', 'env:prod'] },
        { ...exported.clients[1]!, clientId: 'tsc_brand_new_web_client' },
        { ...exported.clients[2]!, kind: 'custom' },
        { ...sync, name: 'Renamed by import', jwksUri: null, jwks: null },
      ].map((c) => {
        const { secrets: _s, lastUsedAt: _l, createdAt: _c, updatedAt: _u, version: _v, changeSeq: _q, ...rest } = c as typeof c & Partial<Client>;
        return rest as ExportDocument['clients'][number];
      }),
    };
    const plan = (await (await importInto(target, targetToken, changed, true)).json()) as ImportResult;
    expect(plan.items.map((item) => item.outcome)).toEqual(['update', 'create', 'conflict', 'conflict']);
    expect(plan.items[0]!.fields!.sort()).toEqual(['description', 'labels']);
    expect(plan.items[3]!.reason).toMatch(/default client/);
    const before = (await target.clients.get(exported.clients[0]!.clientId))!;
    const refused = await importInto(target, targetToken, changed, false);
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual(['clients[2]', 'clients[3]']);
    expect((await target.clients.get(exported.clients[0]!.clientId))!.version).toBe(before.version);
    expect(await target.clients.get('tsc_brand_new_web_client')).toBeNull();
  });

  it('a dry run reports an invalid entry with its field and writes nothing', async () => {
    const before = await target.clients.count();
    const bad = {
      format: 'thetasecure-clients',
      version: 1,
      clients: [
        { ...exported.clients[1]!, clientId: 'tsc_invalid_one', redirectUris: ['http://evil.example.com/cb'] },
        { ...exported.clients[0]!, clientId: 'tsc_invalid_two', scopes: ['no-such-scope'], colour: 'red' },
        'not an object',
      ],
    };
    const plan = (await (await importInto(target, targetToken, bad, true)).json()) as ImportResult;
    expect(plan.summary.invalid).toBe(3);
    expect(plan.items[0]!.errors).toEqual([{ field: 'clients[0].redirectUris[0]', message: expect.any(String) }]);
    expect(plan.items[1]!.errors!.map((e) => e.field)).toEqual(['clients[1].colour']);
    expect(plan.items[2]!.errors).toEqual([{ field: 'clients[2]', message: 'Each client must be an object.' }]);
    expect(await target.clients.count()).toBe(before);

    const notAnExport = await importInto(target, targetToken, { format: 'something-else', version: 2, clients: [] }, true);
    expect(notAnExport.status).toBe(400);
    expect(((await notAnExport.json()) as { errors: { field: string }[] }).errors.map((e) => e.field).sort()).toEqual(['format', 'version']);
  });
});
