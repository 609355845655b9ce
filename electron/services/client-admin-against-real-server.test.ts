// clients:history, clients:batch, clients:export and clients:import through the desktop core
// against the real reference server (HTTP on 127.0.0.1, real SQLite, the real keychain under
// dbus-run-session). The one stand-in: the system browser (a scripted login over HTTP).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareNewClient } from '../../server/new-client.ts';
import { SYNC_CLIENT_ID } from '../../server/provisioning.ts';
import { clientCredentialsToken, startTestServer, TEST_CREDENTIALS } from '../../server/testing/test-server.ts';
import type { TestServer } from '../../server/testing/test-server.ts';
import type { Client } from '../../shared/client.ts';
import { startSignedInTestApp, valueOf } from './testing/app-harness.ts';
import type { SignedInTestApp, TestApp } from './testing/app-harness.ts';

const ADMIN = { username: 'admin', password: TEST_CREDENTIALS.adminPassword };

let server: TestServer;
let app: SignedInTestApp;
let t: TestApp;
let seeded: Client[];

beforeAll(async () => {
  server = await startTestServer({ quiet: true });
  seeded = [];
  app = await startSignedInTestApp({
    server,
    prefix: 'client-admin',
    credentials: ADMIN,
    subjects: ['admin'],
    seed: async () => {
      for (const name of ['Bulk one', 'Bulk two', 'Bulk three']) {
        const prepared = prepareNewClient({ name, description: '', kind: 'custom', status: 'active', grantTypes: ['client_credentials'], responseTypes: ['token'], redirectUris: [], scopes: ['directory:read'], requireConsent: false, tokenEndpointAuthMethod: 'client_secret_basic' });
        seeded.push(await server.clients.create(prepared.record, 'user:helpdesk'));
      }
    },
  });
  t = app.t;
});

afterAll(async () => {
  await app?.close();
  await server?.stop();
});

describe('issue 11 through the desktop core (real server)', () => {
  it('clients:history names who created the client', async () => {
    const page = valueOf(await t.call('clients:history', { clientId: seeded[0]!.clientId }));
    expect(page.items[0]).toMatchObject({ action: 'client.create', actor: { type: 'user', id: 'helpdesk', name: 'Helpdesk' } });
  });

  it('clients:batch disables clients, leaves the default one out, and the replica has the change at once', async () => {
    const result = valueOf(await t.call('clients:batch', { action: 'disable', clientIds: [...seeded.map((c) => c.clientId), SYNC_CLIENT_ID] }));
    expect(result).toMatchObject({ succeeded: 3, failed: 1 });
    const snapshot = valueOf(await t.snapshot());
    for (const client of seeded) expect(snapshot.items.find((c) => c.clientId === client.clientId)!.status).toBe('disabled');
    expect(snapshot.items.find((c) => c.clientId === SYNC_CLIENT_ID)!.status).toBe('active');
  });

  it('clients:export hands the document to a host without a save dialog; clients:import plans, then applies with secrets behind handles', async () => {
    const exported = valueOf(await t.call('clients:export', { clientIds: seeded.map((c) => c.clientId) }));
    expect(exported).toMatchObject({ count: 3, saved: 'download', fileName: expect.stringMatching(/^thetasecure-clients-.*\.json$/) });
    const document = JSON.parse(exported.text!) as { clients: { clientId: string; name: string }[] };
    // Into a "fresh" place: the same server with new ids stands in for another server here (and
    // active again: the batch above disabled the originals, and a disabled client gets no token).
    document.clients = document.clients.map((c, i) => ({ ...c, clientId: `tsc_imported_${i}`, name: `${c.name} copy`, status: 'active' }));
    const text = JSON.stringify(document);
    const plan = valueOf(await t.call('clients:import', { text, dryRun: true }));
    expect(plan).toMatchObject({ dryRun: true, applied: false, summary: { create: 3 }, secrets: [] });
    expect(await server.clients.get('tsc_imported_0')).toBeNull();
    const applied = valueOf(await t.call('clients:import', { text, dryRun: false }));
    expect(applied.applied).toBe(true);
    expect(applied.secrets).toHaveLength(3);
    expect(JSON.stringify(applied)).not.toMatch(/"clientSecret"/);
    const revealed = valueOf(await t.call('secret:reveal', { handle: applied.secrets[0]!.secret.handle }));
    const token = await clientCredentialsToken(server, applied.secrets[0]!.clientId, revealed.secret, 'directory:read');
    expect(token.status).toBe(200);
    const snapshot = valueOf(await t.snapshot());
    expect(snapshot.items.map((c) => c.clientId)).toContain('tsc_imported_2');

    const notJson = await t.call('clients:import', { text: 'not json', dryRun: true });
    expect(notJson).toMatchObject({ ok: false, error: { code: 'validation', fields: [{ field: 'file' }] } });
  });
});
