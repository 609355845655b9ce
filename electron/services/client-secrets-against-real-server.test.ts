// secrets:rotate and secrets:retire through the desktop core against the real reference server
// (HTTP on 127.0.0.1, a real SQLite file, the real keychain under dbus-run-session). The one
// stand-in: the system browser; the sign-in opener drives the real login page over HTTP.
//   dbus-run-session -- sh -c 'printf %s pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null; npx vitest run electron/services/client-secrets-against-real-server.test.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareNewClient } from '../../server/new-client.ts';
import { clientCredentialsToken, startTestServer, TEST_CREDENTIALS } from '../../server/testing/test-server.ts';
import type { TestServer } from '../../server/testing/test-server.ts';
import type { Client } from '../../shared/client.ts';
import type { ClientsChanged } from '../../shared/contract.ts';
import { startSignedInTestApp, valueOf } from './testing/app-harness.ts';
import type { SignedInTestApp, TestApp } from './testing/app-harness.ts';

const ADMIN = { username: 'admin', password: TEST_CREDENTIALS.adminPassword };
const HELPDESK = { username: 'helpdesk', password: TEST_CREDENTIALS.helpdeskPassword };
const OLD_SECRET = `old-secret-${'x'.repeat(32)}-9f3k`;

let server: TestServer;
let app: SignedInTestApp;
let t: TestApp;
let seeded: Client;

async function tokenStatus(clientId: string, secret: string): Promise<number> {
  const response = await clientCredentialsToken(server, clientId, secret, 'directory:read');
  await response.arrayBuffer();
  return response.status;
}

beforeAll(async () => {
  server = await startTestServer({ quiet: true });
  app = await startSignedInTestApp({
    server,
    prefix: 'client-secrets',
    credentials: ADMIN,
    subjects: ['admin', 'helpdesk'],
    seed: async () => {
      const prepared = prepareNewClient(
        { name: 'Billing export', description: '', kind: 'custom', status: 'active', grantTypes: ['client_credentials'], responseTypes: ['token'], redirectUris: [], scopes: ['directory:read'], requireConsent: false, tokenEndpointAuthMethod: 'client_secret_basic' },
        { secret: OLD_SECRET },
      );
      seeded = await server.clients.create(prepared.record, 'user:someone-else');
    },
  });
  t = app.t;
});

afterAll(async () => {
  await app?.close();
  await server?.stop();
});

describe('rotating and retiring secrets through the desktop core (real server; browser replaced by a scripted HTTP login)', () => {
  let newSecret = '';
  let oldSecretId = '';

  it('rotates with an overlap: the new secret stays in the host behind a handle, the replica has the new list at once, and both secrets work', async () => {
    const logsBefore = t.logs.length;
    const eventsBefore = t.events.length;
    const rotated = valueOf(await t.call('secrets:rotate', { clientId: seeded.clientId, expiresInDays: 30, retireOthersAfterHours: 24 }));
    expect(rotated.secret.handle).toMatch(/^sh_/);
    expect(rotated.expiresAt).not.toBeNull();
    expect(Date.parse(rotated.expiresAt!) - Date.now()).toBeGreaterThan(29 * 86_400_000);
    expect(rotated.client?.secrets).toHaveLength(2);
    oldSecretId = rotated.client!.secrets.find((s) => s.id !== rotated.secretId)!.id;
    expect(rotated.client!.secrets.find((s) => s.id === oldSecretId)?.retiresAt).not.toBeNull();

    // In the replica before the call returned: the window sees the two secrets now. Usually as a
    // local change from the answer; on a busy machine the events stream can bring the same version
    // first, and the answer then changes nothing (the replica keeps the newer row), so either counts.
    const changes = t.events.slice(eventsBefore).filter((e) => e.event === 'clients:changed').map((e) => e.payload as ClientsChanged);
    const latest = changes.flatMap((change) => change.upserts).filter((c) => c.clientId === seeded.clientId).at(-1);
    expect(latest?.secrets.map((s) => s.id).sort()).toEqual([oldSecretId, rotated.secretId].sort());
    const snapshot = valueOf(await t.snapshot());
    expect(snapshot.items.find((c) => c.clientId === seeded.clientId)?.secrets).toHaveLength(2);

    newSecret = valueOf(await t.call('secret:reveal', { handle: rotated.secret.handle })).secret;
    expect(rotated.secret.hint.replace(/^…/, '')).toBe(newSecret.slice(-4));
    expect(await tokenStatus(seeded.clientId, newSecret)).toBe(200);
    expect(await tokenStatus(seeded.clientId, OLD_SECRET)).toBe(200);

    // The secret is in no event and no log line.
    expect(JSON.stringify(t.events.slice(eventsBefore))).not.toContain(newSecret);
    expect(JSON.stringify(t.logs.slice(logsBefore))).not.toContain(newSecret);
    valueOf(await t.call('secret:discard', { handle: rotated.secret.handle }));
    expect((await t.call('secret:reveal', { handle: rotated.secret.handle })).ok).toBe(false);
  });

  it('refuses bad input naming the field, and changes nothing', async () => {
    const before = (await server.clients.get(seeded.clientId))!;
    const bad = await t.callRaw('secrets:rotate', { clientId: seeded.clientId, expiresInDays: 0, retireOthersAfterHours: 721 });
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.error.code).toBe('validation');
    expect(bad.error.fields?.map((f) => f.field).sort()).toEqual(['expiresInDays', 'retireOthersAfterHours']);
    expect((await server.clients.get(seeded.clientId))!.version).toBe(before.version);
  });

  it('retires the old secret: refused at the token endpoint at once; the last working one cannot be retired (conflict, with the reason)', async () => {
    const retired = valueOf(await t.call('secrets:retire', { clientId: seeded.clientId, secretId: oldSecretId }));
    expect(retired.client?.secrets.find((s) => s.id === oldSecretId)?.status).toBe('retired');
    expect(await tokenStatus(seeded.clientId, OLD_SECRET)).toBe(401);
    expect(await tokenStatus(seeded.clientId, newSecret)).toBe(200);

    const newId = retired.client!.secrets.find((s) => s.status === 'active')!.id;
    const last = await t.call('secrets:retire', { clientId: seeded.clientId, secretId: newId });
    expect(last.ok).toBe(false);
    if (last.ok) return;
    expect(last.error.code).toBe('conflict');
    expect(last.error.message.length).toBeGreaterThan(10);
    expect(await tokenStatus(seeded.clientId, newSecret)).toBe(200);
  });

  it("a default client's secret changes only with its client ID typed to confirm", async () => {
    const unconfirmed = await t.call('secrets:rotate', { clientId: 'ts_sync_client', retireOthersAfterHours: 1 });
    expect(unconfirmed.ok ? 'ok' : unconfirmed.error.code).toBe('confirmation_required');
    const mistyped = await t.call('secrets:rotate', { clientId: 'ts_sync_client', retireOthersAfterHours: 1, confirmClientId: 'ts_sync' });
    expect(mistyped.ok ? 'ok' : mistyped.error.fields?.[0]?.field).toBe('confirmClientId');
    expect((await server.clients.get('ts_sync_client'))!.secrets).toHaveLength(1);

    const confirmed = valueOf(await t.call('secrets:rotate', { clientId: 'ts_sync_client', retireOthersAfterHours: 1, confirmClientId: 'ts_sync_client' }));
    expect(confirmed.client?.secrets).toHaveLength(2);
    // The configured secret keeps working through the hour of overlap.
    expect(await tokenStatus('ts_sync_client', TEST_CREDENTIALS.syncClientSecret)).toBe(200);
    valueOf(await t.call('secret:discard', { handle: confirmed.secret.handle }));
  });

  it('helpdesk cannot rotate or retire (forbidden by the server)', async () => {
    valueOf(await t.call('session:sign-out', { removeOfflineData: true }));
    t.loginAs(HELPDESK);
    valueOf(await t.call('session:sign-in', { forceLogin: true }));
    const rotate = await t.call('secrets:rotate', { clientId: seeded.clientId });
    expect(rotate.ok ? 'ok' : rotate.error.code).toBe('forbidden');
    const retire = await t.call('secrets:retire', { clientId: seeded.clientId, secretId: oldSecretId });
    expect(retire.ok ? 'ok' : retire.error.code).toBe('forbidden');
  });
});
