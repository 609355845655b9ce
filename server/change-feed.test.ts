// GET /api/v1/clients/changes over real HTTP against a real SQLite file: what a replica that
// follows the feed sees. Every change comes in changeSeq order and exactly once, deletions come
// as ids, paging with nextSince never skips a change (also ones made between pages), the query
// is checked like every other, and a since older than the tombstones kept answers 410.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYNC_CONNECTOR_PRESET } from '../shared/catalogs.ts';
import type { Client, ClientChanges, ClientSettings } from '../shared/client.ts';
import { prepareNewClient, storedSecret } from './new-client.ts';
import { ADMIN_CLIENT_ID } from './provisioning.ts';
import { discoverAdminConsole, signInWithPkce, startLoopbackListener } from './testing/sign-in.ts';
import { TEST_CREDENTIALS, accessToken, api, startTestServer } from './testing/test-server.ts';
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

async function changes(query: string, token = adminToken, target: TestServer = server): Promise<ClientChanges> {
  const response = await api(target, 'GET', `/clients/changes${query}`, { token });
  expect(response.status, await response.clone().text()).toBe(200);
  expect(response.headers.get('cache-control')).toBe('no-store');
  return (await response.json()) as ClientChanges;
}

async function create(name: string, target: TestServer = server, token = adminToken): Promise<Client> {
  const response = await api(target, 'POST', '/clients', { token, body: { name, grantTypes: ['client_credentials'], scopes: ['directory:read'] } });
  expect(response.status).toBe(201);
  return ((await response.json()) as { client: Client }).client;
}

async function rename(client: Client, name: string): Promise<Client> {
  const response = await api(server, 'PATCH', `/clients/${client.clientId}`, { token: adminToken, body: { name }, headers: { 'if-match': `"${client.version}"` } });
  expect(response.status).toBe(200);
  return (await response.json()) as Client;
}

async function remove(clientId: string, target: TestServer = server, token = adminToken): Promise<void> {
  expect((await api(target, 'DELETE', `/clients/${clientId}`, { token })).status).toBe(204);
}

const syncSettings = (name: string): ClientSettings => ({
  ...SYNC_CONNECTOR_PRESET,
  name,
  description: '',
  status: 'active',
  grantTypes: [...SYNC_CONNECTOR_PRESET.grantTypes],
  responseTypes: [...SYNC_CONNECTOR_PRESET.responseTypes],
  redirectUris: [],
  scopes: [...SYNC_CONNECTOR_PRESET.scopes],
});

describe('the change feed', () => {
  it('since=0 is the whole list: every client once, in changeSeq order, with total and lastSeq', async () => {
    const page = await changes('?since=0&limit=5000');
    const list = (await (await api(server, 'GET', '/clients?limit=500', { token: adminToken })).json()) as { items: Client[]; total: number };
    expect(page.hasMore).toBe(false);
    expect(page.items.map((client) => client.clientId).sort()).toEqual(list.items.map((client) => client.clientId).sort());
    expect(page.total).toBe(list.total);
    const seqs = page.items.map((client) => client.changeSeq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(page.lastSeq).toBe(Math.max(...seqs));
    expect(page.nextSince).toBe(page.lastSeq);
    // The list carries the same numbers.
    for (const item of list.items) expect(item.changeSeq).toBe(page.items.find((client) => client.clientId === item.clientId)!.changeSeq);
  });

  it('numbers creates, updates, secret replacements and deletes in commit order; a delete leaves its id', async () => {
    const start = (await changes('?since=0&limit=1')).lastSeq;
    const a = await create('Feed A');
    const b = await create('Feed B');
    const c = await create('Feed C');
    expect([a.changeSeq, b.changeSeq, c.changeSeq]).toEqual([start + 1, start + 2, start + 3]);
    const renamed = await rename(a, 'Feed A renamed');
    expect(renamed.changeSeq).toBe(start + 4);
    // No endpoint replaces a secret (README: rotate by re-creating); provisioning does, through the store.
    const replaced = await server.clients.replaceSecret(b.clientId, storedSecret('a-new-secret-for-the-feed-test-0123456789', new Date().toISOString()), 'system:test');
    expect(replaced.ok && replaced.client.changeSeq).toBe(start + 5);
    await remove(c.clientId);

    const page = await changes(`?since=${start}`);
    expect(page.items.map((client) => [client.clientId, client.changeSeq])).toEqual([
      [a.clientId, start + 4],
      [b.clientId, start + 5],
    ]);
    expect(page.items[0]).toMatchObject({ name: 'Feed A renamed', version: 2 });
    expect(page.items[1]!.secrets).toEqual([{ id: expect.stringMatching(/^sec_/), hint: '6789', createdAt: expect.any(String), expiresAt: null, lastUsedAt: null, status: 'active', retiresAt: null }]);
    expect(page.deleted).toEqual([c.clientId]);
    expect(page).toMatchObject({ hasMore: false, nextSince: start + 6, lastSeq: start + 6 });
    // What GET /clients/:id answers is what the feed answered.
    expect(await (await api(server, 'GET', `/clients/${a.clientId}`, { token: adminToken })).json()).toEqual(page.items[0]);

    // One entry a page: the delete comes after the two updates, each page resumes after the last.
    const pages: ClientChanges[] = [];
    for (let since = start; pages.length < 10; ) {
      const next = await changes(`?since=${since}&limit=1`);
      pages.push(next);
      since = next.nextSince;
      if (!next.hasMore) break;
    }
    expect(pages.map((p) => [p.items.map((client) => client.clientId), p.deleted, p.nextSince, p.hasMore])).toEqual([
      [[a.clientId], [], start + 4, true],
      [[b.clientId], [], start + 5, true],
      [[], [c.clientId], start + 6, false],
    ]);

    // Nothing after the newest number: an empty page that stays where it is.
    expect(await changes(`?since=${start + 6}`)).toMatchObject({ items: [], deleted: [], nextSince: start + 6, hasMore: false, lastSeq: start + 6 });
  });

  it('an update that changes nothing takes no number', async () => {
    const client = await create('Feed Unchanged');
    const response = await api(server, 'PATCH', `/clients/${client.clientId}`, { token: adminToken, body: { name: 'Feed Unchanged' }, headers: { 'if-match': `"${client.version}"` } });
    expect(((await response.json()) as Client).changeSeq).toBe(client.changeSeq);
    expect((await changes(`?since=${client.changeSeq}`)).items).toEqual([]);
  });

  it('an id created again after its delete is a client again, not a deletion', async () => {
    const before = (await changes('?since=0&limit=1')).lastSeq;
    const record = prepareNewClient(syncSettings('Feed Recreated'), { clientId: 'tsc_feed_recreated' }).record;
    await server.clients.create(record, 'system:test');
    await remove(record.clientId);
    expect((await changes(`?since=${before}`)).deleted).toEqual([record.clientId]);
    const again = await server.clients.create(prepareNewClient(syncSettings('Feed Recreated again'), { clientId: record.clientId }).record, 'system:test');
    const page = await changes(`?since=${before}`);
    expect(page.deleted).toEqual([]);
    expect(page.items.map((client) => [client.clientId, client.changeSeq])).toEqual([[record.clientId, again.changeSeq]]);
    expect(again.changeSeq).toBe(before + 3);
  });

  it('a write that fails takes no number: the next change follows the last committed one', async () => {
    const before = (await changes('?since=0&limit=1')).lastSeq;
    const duplicate = prepareNewClient(syncSettings('Feed Duplicate'), { clientId: ADMIN_CLIENT_ID }).record;
    await expect(server.clients.create(duplicate, 'system:test')).rejects.toThrow(/UNIQUE/);
    expect((await changes('?since=0&limit=1')).lastSeq).toBe(before);
    expect((await create('Feed After Failure')).changeSeq).toBe(before + 1);
  });

  it('an import numbers each client on its own, in order', async () => {
    const before = (await changes('?since=0&limit=1')).lastSeq;
    const records = Array.from({ length: 25 }, (_, index) => prepareNewClient(syncSettings(`Feed Import ${index}`)).record);
    await server.clients.insertMany(records, 'system:test');
    const page = await changes(`?since=${before}`);
    expect(page.items.map((client) => client.clientId)).toEqual(records.map((record) => record.clientId));
    expect(page.items.map((client) => client.changeSeq)).toEqual(records.map((_, index) => before + 1 + index));
  });

  it('following nextSince page by page sees every change exactly once, also changes made between pages', async () => {
    const records = Array.from({ length: 1_200 }, (_, index) => prepareNewClient(syncSettings(`Paging ${String(index).padStart(4, '0')}`)).record);
    await server.clients.insertMany(records, 'system:test');

    const replica = new Map<string, Client>();
    const seen = new Set<string>();
    let since = 0;
    let pages = 0;
    const changedMeanwhile: string[] = [];
    for (;;) {
      const page = await changes(`?since=${since}&limit=300`);
      pages += 1;
      for (const client of page.items) {
        const key = `${client.clientId}@${client.changeSeq}`;
        expect(seen.has(key), `${key} came twice`).toBe(false);
        seen.add(key);
        expect(client.changeSeq).toBeGreaterThan(since);
        replica.set(client.clientId, client);
      }
      for (const clientId of page.deleted) replica.delete(clientId);
      expect(page.nextSince).toBeGreaterThan(since);
      since = page.nextSince;
      if (!page.hasMore) break;
      if (pages === 2) {
        // Between pages: change a client already seen and one not seen yet, delete one of each, add one.
        const seenOne = replica.get(records[10]!.clientId)!;
        const unseen = (await api(server, 'GET', `/clients/${records[1_100]!.clientId}`, { token: adminToken }).then((r) => r.json())) as Client;
        await rename(seenOne, 'Paging changed (seen)');
        await rename(unseen, 'Paging changed (unseen)');
        await remove(records[20]!.clientId);
        await remove(records[1_150]!.clientId);
        changedMeanwhile.push((await create('Paging created meanwhile')).clientId);
      }
    }
    expect(pages).toBeGreaterThan(4);

    // The replica is now the server's list.
    const truth = await changes('?since=0&limit=5000');
    expect(truth.hasMore).toBe(false);
    expect(replica.size).toBe(truth.total);
    expect(new Map(truth.items.map((client) => [client.clientId, client]))).toEqual(replica);
    expect(replica.get(records[10]!.clientId)!.name).toBe('Paging changed (seen)');
    expect(replica.get(records[1_100]!.clientId)!.name).toBe('Paging changed (unseen)');
    expect(replica.has(records[20]!.clientId)).toBe(false);
    expect(replica.has(records[1_150]!.clientId)).toBe(false);
    expect(replica.has(changedMeanwhile[0]!)).toBe(true);
    expect(since).toBe(truth.lastSeq);
  });

  it('defaults to 1000 entries a page (clients and deletions together) and allows up to 5000', async () => {
    const page = await changes('');
    expect(page.items.length + page.deleted.length).toBe(1_000);
    expect(page.hasMore).toBe(true);
    const big = await changes('?limit=5000');
    expect(big.hasMore).toBe(false);
    expect(big.items.length).toBe(big.total);
  });

  it('answers 400 naming the field for a bad since or limit, and for an unknown parameter', async () => {
    const cases: [string, string][] = [
      ['?limit=0', 'limit'],
      ['?limit=5001', 'limit'],
      ['?limit=ten', 'limit'],
      ['?limit=1.5', 'limit'],
      ['?since=-1', 'since'],
      ['?since=abc', 'since'],
      ['?since=2.5', 'since'],
      ['?since=99999999999999999999', 'since'],
      ['?after=3', 'after'],
    ];
    for (const [query, field] of cases) {
      const response = await api(server, 'GET', `/clients/changes${query}`, { token: adminToken });
      expect(response.status, query).toBe(400);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      const problem = (await response.json()) as { type: string; errors: { field: string }[] };
      expect(problem.type).toBe('urn:thetasecure:problem:validation');
      expect(problem.errors.map((error) => error.field), query).toContain(field);
    }
  });

  it('answers 410 for a since beyond anything this server numbered (a replica of other data)', async () => {
    const { lastSeq } = await changes('?since=0&limit=1');
    const response = await api(server, 'GET', `/clients/changes?since=${lastSeq + 1000}`, { token: adminToken });
    expect(response.status).toBe(410);
    expect(await response.json()).toMatchObject({ status: 410, type: 'urn:thetasecure:problem:changes-expired', detail: expect.stringContaining('since=0') });
  });

  it('is not taken for a client id, and answers GET only', async () => {
    const patch = await api(server, 'PATCH', '/clients/changes', { token: adminToken, body: {}, headers: { 'if-match': '"1"' } });
    expect(patch.status).toBe(405);
    expect(patch.headers.get('allow')).toBe('GET');
  });
});

describe('who may read the change feed', () => {
  it('a helpdesk user (read-only role) may, like an admin', async () => {
    const listener = await startLoopbackListener();
    try {
      const config = await discoverAdminConsole(server.issuer);
      for (const [username, password] of [
        ['helpdesk', TEST_CREDENTIALS.helpdeskPassword],
        ['admin', TEST_CREDENTIALS.adminPassword],
      ] as const) {
        const { tokens } = await signInWithPkce(config, listener, { username, password });
        const page = await changes('?limit=10', tokens.access_token);
        expect(page.items.length + page.deleted.length, username).toBe(10);
      }
    } finally {
      await listener.close();
    }
  });

  it('no token: 401 as a problem document', async () => {
    const response = await api(server, 'GET', '/clients/changes');
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await response.json()).toMatchObject({ status: 401, type: 'urn:thetasecure:problem:unauthorized' });
  });
});

describe('tombstone retention', () => {
  const DAY = 24 * 60 * 60 * 1000;
  let clock = Date.parse('2026-06-01T00:00:00.000Z');
  let retained: TestServer;
  let token: string;

  beforeAll(async () => {
    retained = await startTestServer({ tombstones: { now: () => new Date(clock) }, sweepIntervalMs: 50 });
    token = await accessToken(retained, ADMIN_CLIENT_ID, TEST_CREDENTIALS.adminClientSecret);
  });
  afterAll(async () => {
    await retained?.stop();
  });

  it('keeps deletions 30 days; then a since from before the purged ones answers 410, and since=0 starts again', async () => {
    const gone = await create('Retention Gone', retained, token);
    const before = gone.changeSeq - 1;
    await remove(gone.clientId, retained, token);
    const kept = await create('Retention Kept', retained, token);

    clock += 29 * DAY;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await changes(`?since=${before}`, token, retained)).deleted).toEqual([gone.clientId]);

    clock += 2 * DAY;
    let response: Response;
    const deadline = Date.now() + 5_000;
    do {
      await new Promise((resolve) => setTimeout(resolve, 50));
      response = await api(retained, 'GET', `/clients/changes?since=${before}`, { token });
    } while (response.status === 200 && Date.now() < deadline);
    expect(response.status).toBe(410);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await response.json()).toMatchObject({
      status: 410,
      type: 'urn:thetasecure:problem:changes-expired',
      since: before,
      detail: expect.stringContaining('since=0'),
    });

    // A caller that had seen the delete is still complete; so is a new snapshot.
    const after = await changes(`?since=${gone.changeSeq + 1}`, token, retained);
    expect(after.deleted).toEqual([]);
    expect(after.items.map((client) => client.clientId)).toEqual([kept.clientId]);
    const snapshot = await changes('?since=0', token, retained);
    expect(snapshot.items.map((client) => client.clientId)).toContain(kept.clientId);
    expect(snapshot.items.map((client) => client.clientId)).not.toContain(gone.clientId);
  });
});
