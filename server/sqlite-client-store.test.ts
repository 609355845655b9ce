// The SQLite client store's list queries on a real database file: every sort order pages through
// all matching clients exactly once, search and filters find what a user expects, and the total
// is the size of the filtered set.
import fs from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client, ClientSettings, ListClientsQuery } from '../shared/client.ts';
import { InvalidCursorError } from './client-store.ts';
import { openDatabase } from './database.ts';
import type { Db } from './database.ts';
import { prepareNewClient } from './new-client.ts';
import { SqliteClientStore } from './sqlite-client-store.ts';
import { makeDataDir } from './testing/test-server.ts';

let dataDir: string;
let db: Db;
let store: SqliteClientStore;
const COUNT = 7_000;
const words = ['Billing', 'Service', 'Sync', 'Portal', 'Mobile', 'Gateway', 'Reporting', 'Analytics'];

function settings(index: number): ClientSettings {
  const authCode = index % 50 === 0; // 140 clients: a selective grant type filter
  return {
    name: `${words[index % words.length]} ${words[(index * 3) % words.length]} ${index}${index % 7 === 0 ? ' ÄÖ' : ''}`,
    description: '',
    kind: index % 10 === 0 ? 'sync_connector' : 'custom',
    status: index % 4 === 0 ? 'disabled' : 'active',
    grantTypes: authCode ? ['authorization_code'] : ['client_credentials'],
    responseTypes: ['token'],
    redirectUris: authCode ? ['https://app.example.com/cb'] : [],
    scopes: ['directory:read'],
    requireConsent: false,
    tokenEndpointAuthMethod: 'client_secret_basic',
  };
}

let all: { clientId: string; settings: ClientSettings; createdAt: string }[];

beforeAll(async () => {
  dataDir = await makeDataDir();
  db = openDatabase(dataDir);
  store = new SqliteClientStore(db);
  const base = Date.parse('2026-01-01T00:00:00.000Z');
  const records = Array.from({ length: COUNT }, (_, index) => prepareNewClient(settings(index), { now: new Date(base + (index % 1000) * 60_000) }).record);
  await store.insertMany(records, 'system:test');
  all = records.map((record) => ({ clientId: record.clientId, settings: record.settings, createdAt: record.createdAt! }));
});

afterAll(async () => {
  db?.close();
  await fs.rm(dataDir, { recursive: true, force: true });
});

async function pageThrough(query: ListClientsQuery): Promise<{ items: Client[]; totals: number[] }> {
  const items: Client[] = [];
  const totals: number[] = [];
  let cursor: string | undefined;
  for (let guard = 0; guard < 1000; guard += 1) {
    const page = await store.list({ ...query, cursor });
    items.push(...page.items);
    totals.push(page.total);
    if (!page.nextCursor) return { items, totals };
    cursor = page.nextCursor;
  }
  throw new Error('too many pages');
}

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const nocase = (value: string) => value.replace(/[A-Z]/g, (ch) => ch.toLowerCase());

describe('SqliteClientStore.list', () => {
  it('pages through every client exactly once, in name order (case-insensitive, then client id)', async () => {
    const { items, totals } = await pageThrough({ limit: 500 });
    expect(items).toHaveLength(COUNT);
    expect(new Set(items.map((client) => client.clientId)).size).toBe(COUNT);
    expect(totals.every((total) => total === COUNT)).toBe(true);
    const expected = [...all].sort((a, b) => compareText(nocase(a.settings.name), nocase(b.settings.name)) || compareText(a.clientId, b.clientId));
    expect(items.map((client) => client.clientId)).toEqual(expected.map((client) => client.clientId));
  });

  it.each(['-createdAt', 'createdAt', '-name', 'clientId', '-clientId', 'status', 'kind', '-updatedAt'])('sort %s: ordered, each client once', async (sort) => {
    const { items } = await pageThrough({ sort, limit: 500, kind: 'sync_connector' });
    expect(items).toHaveLength(COUNT / 10);
    expect(new Set(items.map((client) => client.clientId)).size).toBe(items.length);
    const key = sort.replace(/^-/, '') as keyof Client;
    const sign = sort.startsWith('-') ? -1 : 1;
    for (let i = 1; i < items.length; i += 1) {
      const [a, b] = [items[i - 1]!, items[i]!];
      const primary = key === 'name' ? compareText(nocase(a.name), nocase(b.name)) : compareText(String(a[key]), String(b[key]));
      const order = primary || compareText(a.clientId, b.clientId);
      expect(order * sign, `${sort} at ${i}`).toBeLessThan(0);
    }
  });

  it('q finds a case-insensitive substring of the name (trigram index), with the right total', async () => {
    const { items, totals } = await pageThrough({ q: 'TAL SERV', limit: 100 });
    const expected = all.filter((client) => client.settings.name.toLowerCase().includes('tal serv'));
    expect(expected.length).toBeGreaterThan(100);
    expect(items.map((client) => client.clientId).sort()).toEqual(expected.map((client) => client.clientId).sort());
    expect(totals[0]).toBe(expected.length);
  });

  it('q finds a substring of the client id', async () => {
    const target = all[1234]!.clientId;
    const page = await store.list({ q: target.slice(6, 16).toUpperCase() });
    expect(page.items.map((client) => client.clientId)).toContain(target);
  });

  it('q shorter than three characters still searches, and % or _ are literal', async () => {
    const page = await store.list({ q: '99', limit: 500 });
    const expected = all.filter((client) => client.settings.name.includes('99') || client.clientId.includes('99'));
    expect(page.total).toBe(expected.length);
    expect((await store.list({ q: '%' })).total).toBe(all.filter((client) => client.clientId.includes('%')).length);
    expect((await store.list({ q: 'nothing-matches-this' })).total).toBe(0);
  });

  it('filters by grant type (rare and common), status and kind, alone and combined, with matching totals', async () => {
    const cases: [ListClientsQuery, (client: (typeof all)[number]) => boolean][] = [
      [{ grantType: 'authorization_code' }, (c) => c.settings.grantTypes.includes('authorization_code')],
      [{ grantType: 'client_credentials' }, (c) => c.settings.grantTypes.includes('client_credentials')],
      [{ status: 'disabled' }, (c) => c.settings.status === 'disabled'],
      [{ kind: 'sync_connector', status: 'active' }, (c) => c.settings.kind === 'sync_connector' && c.settings.status === 'active'],
      [{ grantType: 'authorization_code', status: 'active', q: 'Billing' }, (c) => c.settings.grantTypes.includes('authorization_code') && c.settings.status === 'active' && c.settings.name.includes('Billing')],
      [{ grantType: 'refresh_token' }, () => false],
    ];
    for (const [query, predicate] of cases) {
      const expected = all.filter(predicate).map((client) => client.clientId).sort();
      const { items, totals } = await pageThrough({ ...query, limit: 500 });
      expect(items.map((client) => client.clientId).sort(), JSON.stringify(query)).toEqual(expected);
      expect(totals[0], JSON.stringify(query)).toBe(expected.length);
    }
  });

  it('refuses a cursor made for another sort order, or a forged one', async () => {
    const page = await store.list({ sort: 'name', limit: 10 });
    await expect(store.list({ sort: '-createdAt', cursor: page.nextCursor! })).rejects.toBeInstanceOf(InvalidCursorError);
    await expect(store.list({ cursor: 'eyJ4Ijoi' })).rejects.toBeInstanceOf(InvalidCursorError);
  });

  it('keeps the per-filter totals in step with updates and deletes', async () => {
    const target = all[1]!;
    const before = (await store.list({ grantType: 'authorization_code' })).total;
    const current = (await store.get(target.clientId))!;
    const result = await store.update(
      target.clientId,
      current.version,
      { ...target.settings, grantTypes: ['authorization_code', 'client_credentials'], redirectUris: ['https://x.example.com/cb'] },
      'system:test',
    );
    expect(result.ok).toBe(true);
    expect((await store.list({ grantType: 'authorization_code' })).total).toBe(before + 1);
    expect((await store.list({ grantType: 'authorization_code', q: target.clientId })).items.map((client) => client.clientId)).toEqual([target.clientId]);

    const kind = target.settings.kind;
    const kindTotal = (await store.list({ kind })).total;
    const deleted = await store.delete(target.clientId, null, 'system:test');
    expect(deleted.ok).toBe(true);
    expect((await store.list({ grantType: 'authorization_code' })).total).toBe(before);
    expect((await store.list({ kind })).total).toBe(kindTotal - 1);
    all = all.filter((client) => client.clientId !== target.clientId);
  });
});

describe('SqliteClientStore.getWithSecretHashes (what the token endpoint reads)', () => {
  it('sees its own changes at once, and another connection\'s within a second (injected clock)', async () => {
    let now = Date.parse('2026-06-01T00:00:00.000Z');
    const tokenSide = new SqliteClientStore(db, { now: () => new Date(now) });
    const target = prepareNewClient(settings(1)).record;
    await tokenSide.create(target, 'system:test');
    const before = (await tokenSide.getWithSecretHashes(target.clientId))!;
    expect(before.secretHashes).toHaveLength(1);

    const disabled = await tokenSide.update(target.clientId, null, { ...before.client, status: 'disabled' }, 'system:test');
    expect(disabled.ok).toBe(true);
    expect((await tokenSide.getWithSecretHashes(target.clientId))!.client.status).toBe('disabled');

    // Another process: a second connection to the same file.
    const otherDb = openDatabase(dataDir);
    try {
      const other = new SqliteClientStore(otherDb);
      await other.update(target.clientId, null, { ...before.client, status: 'active' }, 'system:other');
      now += 1_000;
      expect((await tokenSide.getWithSecretHashes(target.clientId))!.client.status).toBe('active');
      await other.delete(target.clientId, null, 'system:other');
      now += 1_000;
      expect(await tokenSide.getWithSecretHashes(target.clientId)).toBeNull();
    } finally {
      otherDb.close();
    }
  });
});

