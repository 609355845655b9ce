// The desktop core end to end against the real reference server over HTTP on 127.0.0.1, a real
// SQLite file, the real keychain (gnome-keyring under dbus-run-session) and real conf files.
// The one stand-in: the system browser. The sign-in opener drives the server's real login page
// over HTTP instead (completeLoginOverHttp), which is why each describe says so.
//   dbus-run-session -- sh -c 'printf %s pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null; npx vitest run electron/services/app-against-real-server.test.ts'
import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../../server/app.ts';
import type { RunningServer } from '../../server/app.ts';
import { prepareNewClient } from '../../server/new-client.ts';
import { TEST_CREDENTIALS } from '../../server/testing/test-server.ts';
import type { Client } from '../../shared/client.ts';
import { KEYCHAIN_SERVICE, createKeytarKeychain, probeKeychain } from './keychain.ts';
import { lastSessionAccount, refreshTokenAccount } from './session.ts';
import { createTestApp, valueOf } from './testing/app-harness.ts';
import type { TestApp } from './testing/app-harness.ts';
import { forgetKeychainEntries } from './testing/keychain-cleanup.ts';
import { makeTempDir } from './testing/temp-dir.ts';
import { REPLICA_FOLDER, replicaId, replicaKeyAccount } from './sync/replica.ts';

const keychain = createKeytarKeychain();
const keychainStatus = await probeKeychain(keychain);
const noKeychain = !keychainStatus.available;
const noKeychainReason = `no Secret Service answers (${keychainStatus.reason ?? ''}); run inside dbus-run-session with gnome-keyring to test remembered sessions`;
if (noKeychain) console.warn(`[skip] app-against-real-server.test.ts, remembered-session tests: ${noKeychainReason}`);

const ADMIN = { username: 'admin', password: TEST_CREDENTIALS.adminPassword };
const HELPDESK = { username: 'helpdesk', password: TEST_CREDENTIALS.helpdeskPassword };
const SEEDED = 1_200;
// Short probe backoff so "the server is back" is noticed within a test's patience.
// Feed pages of 500, so the snapshot of 1,205 clients takes three.
const tuning = { backoff: { initialMs: 100, maxMs: 400 }, apiTimeoutMs: 5_000, sync: { pageLimit: 500, streamBackoff: { initialMs: 100, maxMs: 400 } } };
const replicaFile = (subject: string) => path.join(appDir.dir, REPLICA_FOLDER, `${replicaId({ issuer, subject })}.sqlite`);

let serverDir: Awaited<ReturnType<typeof makeTempDir>>;
let appDir: Awaited<ReturnType<typeof makeTempDir>>;
let server: RunningServer | null = null;
let port = 0;
let issuer = '';

async function startOnSamePort(): Promise<RunningServer> {
  // Last use only at stop (not by the 10-second timer): the sign-in's first use is a change in the
  // feed, and these steps count the changes they make themselves.
  server = await startServer({ port, dataDir: serverDir.dir, ...TEST_CREDENTIALS, quiet: true, lastUsedFlushMs: 24 * 3_600_000 });
  port = server.port;
  issuer = server.issuer;
  return server;
}

async function stopServer(): Promise<void> {
  await server?.close();
  server = null;
}

async function tokenEndpointRefresh(refreshToken: string): Promise<{ status: number; error?: string }> {
  const response = await fetch(`${issuer}/token`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: 'thetasecure-admin-console' }),
  });
  const body = (await response.json()) as { error?: string };
  return { status: response.status, ...(body.error ? { error: body.error } : {}) };
}

/** A token of ts_admin_client: "another admin" using the API directly. */
async function adminApiToken(): Promise<string> {
  const response = await fetch(`${issuer}/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`ts_admin_client:${TEST_CREDENTIALS.adminClientSecret}`).toString('base64')}` },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'clients:read clients:write' }),
  });
  return ((await response.json()) as { access_token: string }).access_token;
}

beforeAll(async () => {
  serverDir = await makeTempDir('real-server');
  appDir = await makeTempDir('app-data');
  await startOnSamePort();
  // The keyring outlives test runs: nothing remembered from an earlier run on this port counts.
  if (!noKeychain) await forgetKeychainEntries(keychain, issuer, ['admin', 'helpdesk']);
  // More clients than one feed page holds (limit 500 here), so the snapshot must follow nextSince.
  const seeded = Array.from({ length: SEEDED }, (_, i) =>
    prepareNewClient({ name: `Seeded Service ${String(i).padStart(4, '0')}`, description: '', kind: 'custom', status: 'active', grantTypes: ['client_credentials'], responseTypes: ['token'], redirectUris: [], scopes: ['directory:read'], requireConsent: false, tokenEndpointAuthMethod: 'client_secret_basic' }).record,
  );
  await server!.clients.insertMany(seeded, 'system:test-seed');
});

afterAll(async () => {
  await stopServer();
  if (!noKeychain) await forgetKeychainEntries(keychain, issuer, ['admin', 'helpdesk']);
  await serverDir.remove();
  await appDir.remove();
});

describe('desktop core against the real server (browser replaced by a scripted HTTP login through the real login page)', () => {
  let t: TestApp;
  let firstSyncedAt = '';
  let created: Client;
  let createdSecret = '';
  const secretsSeen: string[] = [];

  it('starts signed out and online, then signs in as admin through the login page with PKCE', async () => {
    t = createTestApp({ dataDir: appDir.dir, issuer, credentials: ADMIN, tuning });
    await t.app.start();
    expect(valueOf(await t.call('session:get', {}))).toMatchObject({ status: 'signed-out', issuer, user: null, keychainAvailable: !noKeychain });
    expect(valueOf(await t.call('connectivity:get', {})).online).toBe(true);

    const eventsBefore = t.events.length;
    const session = valueOf(await t.call('session:sign-in', {}));
    expect(session).toMatchObject({ status: 'signed-in', issuer, user: { subject: 'admin', name: 'Administrator', roles: ['admin'] }, canWrite: true, remembered: !noKeychain });
    const statuses = t.events.slice(eventsBefore).filter((e) => e.event === 'session:changed').map((e) => (e.payload as { status: string }).status);
    expect(statuses).toEqual(['signing-in', 'signed-in']);

    // What the browser was sent to: PKCE S256, state, nonce, a loopback redirect.
    const authorization = new URL(t.opened[0]!);
    expect(authorization.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorization.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(authorization.searchParams.get('state')).toBeTruthy();
    expect(authorization.searchParams.get('nonce')).toBeTruthy();
    expect(authorization.searchParams.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    expect(authorization.searchParams.get('client_id')).toBe('thetasecure-admin-console');

    if (!noKeychain) {
      const refreshToken = await keychain.getPassword(KEYCHAIN_SERVICE, refreshTokenAccount(issuer, 'admin'));
      expect(refreshToken).toBeTruthy();
      secretsSeen.push(refreshToken!);
    }
  });

  it('takes a snapshot of every client through the change feed (pages of 500), then follows the event stream, keeping the encrypted replica', async () => {
    const live = await t.syncState((state) => state.phase === 'live' && state.syncedAt !== null);
    const snapshot = valueOf(await t.snapshot());
    expect(snapshot.complete).toBe(true);
    expect(snapshot.items).toHaveLength(SEEDED + 5);
    expect(new Set(snapshot.items.map((c) => c.clientId)).size).toBe(SEEDED + 5);
    expect(snapshot.items.map((c) => c.clientId)).toEqual(expect.arrayContaining(['ts_admin_client', 'ts_sync_client', 'thetasecure-mobile-app', 'thetasecure-desktop-agent', 'thetasecure-admin-console']));
    expect(Date.parse(live.syncedAt ?? '')).toBeGreaterThan(Date.now() - 60_000);
    expect(live.persisted).toBe(!noKeychain);
    expect(live.seq).toBe(Math.max(...snapshot.items.map((c) => c.changeSeq)));
    // The progress the window shows while it runs: "Syncing N of M".
    const progress = t.events.filter((e) => e.event === 'sync:changed').map((e) => e.payload as { phase: string; received: number; expected: number | null });
    expect(progress.filter((p) => p.phase === 'snapshot' && p.received > 0).map((p) => [p.received, p.expected])).toEqual([
      [500, SEEDED + 5],
      [1000, SEEDED + 5],
      [SEEDED + 5, SEEDED + 5],
    ]);
    firstSyncedAt = live.syncedAt!;
    const files: string[] = await readdir(path.join(appDir.dir, REPLICA_FOLDER)).catch(() => []);
    expect(files.includes(path.basename(replicaFile('admin')))).toBe(!noKeychain);
  });

  it('a change made by someone else through the API reaches the replica by the event stream, as one event with only that client', async () => {
    const token = await adminApiToken();
    const changed = t.waitFor('clients:changed', (p) => p.origin === 'remote');
    const response = await fetch(`${issuer}/api/v1/clients`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'sync_connector', name: 'Made Elsewhere' }),
    });
    expect(response.status).toBe(201);
    const event = await changed;
    expect(event.upserts.map((c) => c.name)).toEqual(['Made Elsewhere']);
    expect(event.deleted).toEqual([]);
    const snapshot = valueOf(await t.snapshot());
    expect(snapshot.rev).toBeGreaterThanOrEqual(event.rev);
    expect(snapshot.items.filter((c) => c.name === 'Made Elsewhere')).toHaveLength(1);
  });

  it('creates a custom client, applied to the replica from the answer at once; the secret stays behind a one-time handle until revealed', async () => {
    const changed = t.waitFor('clients:changed', (p) => p.origin === 'local');
    const result = valueOf(await t.call('clients:create', { kind: 'custom', name: 'Billing Service', grantTypes: ['client_credentials'], scopes: ['directory:read'] }));
    // Emitted before the create answered: the window has the new row as soon as it has the answer.
    expect(t.events.some((e) => e.event === 'clients:changed' && (e.payload as { origin: string; upserts: Client[] }).upserts.some((c) => c.clientId === result.client.clientId))).toBe(true);
    expect((await changed).upserts).toEqual([result.client]);
    created = result.client;
    expect(created).toMatchObject({ name: 'Billing Service', kind: 'custom', version: 1 });
    expect(result.secret?.handle).toBeTruthy();
    expect(result.secret?.hint).toBe(created.secrets[0]?.hint);
    expect(JSON.stringify(result)).not.toMatch(/"secret":"[^"]{20,}/);

    createdSecret = valueOf(await t.call('secret:reveal', { handle: result.secret!.handle })).secret;
    secretsSeen.push(createdSecret);
    expect(createdSecret.endsWith(created.secrets[0]!.hint.replace('…', ''))).toBe(true);
    // The secret works at the token endpoint: it is the real one.
    const token = await fetch(`${issuer}/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${created.clientId}:${createdSecret}`).toString('base64')}` },
      body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'directory:read' }),
    });
    expect(token.status).toBe(200);

    valueOf(await t.call('secret:discard', { handle: result.secret!.handle }));
    expect(await t.call('secret:reveal', { handle: result.secret!.handle })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('bad input is refused with the field named and nothing is created', async () => {
    const before = valueOf(await t.snapshot()).items.length;
    const refused = await t.call('clients:create', { kind: 'custom', name: 'Bad Scopes', grantTypes: ['client_credentials'], scopes: ['no-such-scope'] });
    expect(refused).toMatchObject({ ok: false, error: { code: 'validation', fields: [{ field: 'scopes[0]' }] } });
    const malformed = await t.callRaw('clients:create', { kind: 'custom', name: '', grantTypes: ['client_credentials'], scopes: ['directory:read'] });
    expect(malformed).toMatchObject({ ok: false, error: { code: 'validation', fields: [{ field: 'name' }] } });
    expect(valueOf(await t.snapshot()).items.length).toBe(before);
  });

  it('updates with the current version; a stale version is a conflict and changes nothing', async () => {
    const updated = valueOf(await t.call('clients:update', { clientId: created.clientId, version: 1, changes: { name: 'Billing Service (EU)' } })).client;
    expect(updated).toMatchObject({ name: 'Billing Service (EU)', version: 2 });
    const stale = await t.call('clients:update', { clientId: created.clientId, version: 1, changes: { name: 'Overwritten' } });
    expect(stale).toMatchObject({ ok: false, error: { code: 'conflict' } });
    if (!stale.ok) expect(stale.error.message).toMatch(/changed this client/);
    const now = valueOf(await t.call('clients:get', { clientId: created.clientId }));
    expect(now).toMatchObject({ source: 'live', client: { name: 'Billing Service (EU)', version: 2 } });
  });

  it('a default client is changed or deleted only with explicit confirmation', async () => {
    const current = valueOf(await t.call('clients:get', { clientId: 'ts_sync_client' })).client;
    const unconfirmed = await t.call('clients:update', { clientId: 'ts_sync_client', version: current.version, changes: { description: 'Directory sync' } });
    expect(unconfirmed).toMatchObject({ ok: false, error: { code: 'confirmation_required' } });
    const confirmed = valueOf(await t.call('clients:update', { clientId: 'ts_sync_client', version: current.version, changes: { description: 'Directory sync' }, confirmDefaultClient: true }));
    expect(confirmed.client).toMatchObject({ description: 'Directory sync', version: current.version + 1 });

    expect(await t.call('clients:delete', { clientId: 'ts_sync_client' })).toMatchObject({ ok: false, error: { code: 'confirmation_required' } });
    expect(await t.call('clients:delete', { clientId: 'ts_sync_client', confirmClientId: 'ts_sync' })).toMatchObject({ ok: false, error: { code: 'validation', fields: [{ field: 'confirmClientId' }] } });
    expect(valueOf(await t.call('clients:get', { clientId: 'ts_sync_client' })).client.clientId).toBe('ts_sync_client');
  });

  it('deletes a client: gone from the replica at once', async () => {
    const changed = t.waitFor('clients:changed', (p) => p.deleted.includes(created.clientId));
    expect(valueOf(await t.call('clients:delete', { clientId: created.clientId }))).toEqual({ clientId: created.clientId });
    expect((await changed).origin).toBe('local');
    expect(await t.call('clients:get', { clientId: created.clientId })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const snapshot = valueOf(await t.snapshot());
    expect(snapshot.items.some((c) => c.clientId === created.clientId)).toBe(false);
    // The feed brings our own changes back; the replica is in step again, with nothing re-applied.
    const eventsBefore = t.events.length;
    firstSyncedAt = (await t.syncState((s) => s.phase === 'live' && s.seq >= created.changeSeq + 3 && Date.parse(s.syncedAt ?? '') > Date.parse(firstSyncedAt))).syncedAt!;
    expect(t.events.slice(eventsBefore).filter((e) => e.event === 'clients:changed')).toEqual([]);
  });

  it('server killed: the replica with the time it was last in step; refresh and every write fail with offline', async () => {
    const wentOffline = t.waitFor('connectivity:changed', (p) => !p.online);
    await stopServer();
    await wentOffline;
    const offline = await t.syncState((s) => s.phase === 'offline');
    expect(offline.syncedAt).toBe(firstSyncedAt);
    const snapshot = valueOf(await t.snapshot());
    expect(snapshot.items).toHaveLength(SEEDED + 6);
    expect(valueOf(await t.call('connectivity:get', {})).online).toBe(false);
    expect(valueOf(await t.call('clients:get', { clientId: 'ts_admin_client' })).source).toBe('cache');
    expect(await t.call('clients:refresh', {})).toMatchObject({ ok: false, error: { code: 'offline', message: expect.stringContaining('cannot be refreshed now') } });

    expect(await t.call('clients:create', { kind: 'sync_connector', name: 'Offline Connector' })).toMatchObject({ ok: false, error: { code: 'offline' } });
    expect(await t.call('clients:update', { clientId: 'ts_admin_client', version: 1, changes: { name: 'x' }, confirmDefaultClient: true })).toMatchObject({ ok: false, error: { code: 'offline' } });
    expect(await t.call('clients:delete', { clientId: 'tsc_whatever' })).toMatchObject({ ok: false, error: { code: 'offline' } });
  });

  it('server back on the same port and data, with a change made while the app was away: online again, caught up, live', async () => {
    await startOnSamePort();
    const madeMeanwhile = (await server!.clients.create(prepareNewClient({ name: 'Made While Away', description: '', kind: 'sync_connector', status: 'active', grantTypes: ['client_credentials'], responseTypes: ['token'], redirectUris: [], scopes: ['directory:read'], requireConsent: false, tokenEndpointAuthMethod: 'client_secret_basic' }).record, 'system:test')).clientId;
    const online = t.waitFor('connectivity:changed', (p) => p.online);
    const caughtUp = t.waitFor('clients:changed', (p) => p.upserts.some((c) => c.clientId === madeMeanwhile));
    await online;
    expect((await caughtUp).origin).toBe('remote');
    const live = await t.syncState((s) => s.phase === 'live' && Date.parse(s.syncedAt ?? '') > Date.parse(firstSyncedAt));
    expect(live.syncedAt).not.toBeNull();
    expect(valueOf(await t.call('clients:refresh', {}))).toMatchObject({ phase: 'live' });
    expect(valueOf(await t.call('clients:create', { kind: 'sync_connector', name: 'Back Online Connector' })).client.kind).toBe('sync_connector');
  });

  it('sign-out revokes the refresh token at the server and deletes it from the keychain', async (ctx) => {
    ctx.skip(noKeychain, noKeychainReason);
    const refreshToken = (await keychain.getPassword(KEYCHAIN_SERVICE, refreshTokenAccount(issuer, 'admin')))!;
    secretsSeen.push(refreshToken);
    const session = valueOf(await t.call('session:sign-out', {}));
    expect(session).toMatchObject({ status: 'signed-out', user: null, remembered: false });
    expect(await keychain.getPassword(KEYCHAIN_SERVICE, refreshTokenAccount(issuer, 'admin'))).toBeNull();
    expect(await keychain.getPassword(KEYCHAIN_SERVICE, lastSessionAccount(issuer))).toBeNull();
    expect(await tokenEndpointRefresh(refreshToken)).toEqual({ status: 400, error: 'invalid_grant' });
    expect(await t.call('clients:snapshot', {})).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    expect(t.events.at(-1)?.event === 'sync:changed' || t.events.some((e) => e.event === 'clients:reset')).toBe(true);
  });

  it('helpdesk signs in read-only: canWrite false, and writes are forbidden', async () => {
    if (valueOf(await t.call('session:get', {})).status !== 'signed-out') await t.call('session:sign-out', {});
    t.loginAs(HELPDESK);
    const session = valueOf(await t.call('session:sign-in', {}));
    expect(session).toMatchObject({ status: 'signed-in', user: { subject: 'helpdesk', roles: ['helpdesk'] }, canWrite: false });
    await t.syncState((s) => s.phase === 'live' && s.syncedAt !== null);
    const list = valueOf(await t.snapshot());
    expect(list.items.length).toBeGreaterThan(SEEDED);
    const forbidden = await t.call('clients:create', { kind: 'sync_connector', name: 'Helpdesk Tries' });
    expect(forbidden).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const target = list.items.find((c) => c.kind === 'custom')!;
    expect(await t.call('clients:update', { clientId: target.clientId, version: target.version, changes: { name: 'nope' } })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await t.call('clients:delete', { clientId: target.clientId })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it("helpdesk's next start with the server down: that user's replica at once, read-only; caught up when the server returns", async (ctx) => {
    ctx.skip(noKeychain, noKeychainReason);
    const lastLive = valueOf(await t.snapshot());
    await t.app.dispose();
    await stopServer();

    const next = createTestApp({ dataDir: appDir.dir, issuer, tuning });
    await next.app.start();
    const session = valueOf(await next.call('session:get', {}));
    expect(session).toMatchObject({ status: 'signed-in', user: { subject: 'helpdesk', name: 'Helpdesk' }, canWrite: false, remembered: true });
    expect(valueOf(await next.call('connectivity:get', {})).online).toBe(false);
    const cached = valueOf(await next.snapshot());
    expect(cached).toMatchObject({ complete: true, sync: { phase: 'offline', syncedAt: lastLive.sync.syncedAt, persisted: true } });
    expect(cached.items.map((c) => c.clientId).sort()).toEqual(lastLive.items.map((c) => c.clientId).sort());
    expect(cached.items).toEqual(expect.arrayContaining(lastLive.items));
    expect(await next.call('clients:create', { kind: 'sync_connector', name: 'Offline' })).toMatchObject({ ok: false, error: { code: 'offline' } });
    expect(next.opened).toEqual([]);

    const resumed = next.waitFor('session:changed', (p) => p.status === 'signed-in');
    await startOnSamePort();
    await resumed;
    const live = await next.syncState((s) => s.phase === 'live' && Date.parse(s.syncedAt ?? '') > Date.parse(lastLive.sync.syncedAt ?? ''));
    expect(live.seq).toBeGreaterThanOrEqual(lastLive.sync.seq);
    expect(next.opened).toEqual([]);

    // "Remove offline data" on sign-out deletes the encrypted replica and its key; the admin's stays.
    valueOf(await next.call('session:sign-out', { removeOfflineData: true }));
    expect(await keychain.getPassword(KEYCHAIN_SERVICE, replicaKeyAccount(replicaId({ issuer, subject: 'helpdesk' })))).toBeNull();
    const files = await readdir(path.join(appDir.dir, REPLICA_FOLDER));
    expect(files.filter((f) => f.endsWith('.sqlite'))).toEqual([path.basename(replicaFile('admin'))]);
    await next.app.dispose();
    t = next;
  });

  it('no password, token or secret appears in any log line or file the app wrote', async () => {
    const words = [ADMIN.password, HELPDESK.password, ...secretsSeen].filter(Boolean);
    expect(words.length).toBeGreaterThanOrEqual(2);
    const logText = JSON.stringify(t.logs);
    const files = (await readdir(appDir.dir, { recursive: true })).map((f) => path.join(appDir.dir, f));
    const fileText = (await Promise.all(files.map(async (f) => ((await stat(f)).isFile() ? readFile(f, 'latin1') : '')))).join('\n');
    for (const word of words) {
      expect(logText).not.toContain(word);
      expect(fileText).not.toContain(word);
    }
    expect(logText).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\./); // no JWT
    expect(logText).not.toMatch(/[?&]code=/);
    // The replica is encrypted: no client name on disk.
    expect(fileText).not.toContain('Seeded Service');
    expect(fileText).not.toContain('Made Elsewhere');
  });
});
