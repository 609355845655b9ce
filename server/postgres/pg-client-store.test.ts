// The PostgreSQL client store against a real PostgreSQL (a throwaway cluster this file starts):
// the same ClientStore contract as SQLite, and what several processes on one database need —
// a change committed through one store is seen by another's token-endpoint lookup at once
// (LISTEN/NOTIFY), and the change numbers of concurrent writers follow commit order.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChangeEvents } from '../change-events.ts';
import { prepareNewClient } from '../new-client.ts';
import { contractSettings, describeClientStoreContract } from '../testing/client-store-contract.ts';
import type { ContractStoreOptions } from '../testing/client-store-contract.ts';
import { startPostgresCluster } from '../testing/postgres-cluster.ts';
import type { PostgresCluster } from '../testing/postgres-cluster.ts';
import { PgClientStore } from './client-store.ts';
import { PgDatabase } from './database.ts';
import { migrate } from './migrations.ts';
import { ChangeListener } from './notifications.ts';

let cluster: PostgresCluster;

beforeAll(async () => {
  cluster = await startPostgresCluster();
}, 120_000);

afterAll(async () => {
  await cluster?.destroy();
});

async function openStore(url: string, options: ContractStoreOptions & { changeEvents?: ChangeEvents } = {}) {
  const db = new PgDatabase(url);
  const client = await db.pool.connect();
  try {
    await migrate(client);
  } finally {
    client.release();
  }
  const store = new PgClientStore(db, options);
  const listener = new ChangeListener(db, {
    notice: (notice) => store.noticeReceived(notice),
    listening: (up) => store.setListening(up),
    resync: () => {},
  });
  await listener.start();
  return {
    db,
    store,
    async close() {
      await listener.close();
      await db.close();
    },
  };
}

type OpenedStore = Awaited<ReturnType<typeof openStore>>;

/** Two stores on one fresh database, as two server processes hold it; both closed after `work`. */
async function withTwoStores(work: (one: OpenedStore, two: OpenedStore) => Promise<void>, oneOptions: Parameters<typeof openStore>[1] = {}): Promise<void> {
  const url = await cluster.createDatabase();
  const one = await openStore(url, oneOptions);
  const two = await openStore(url);
  try {
    await work(one, two);
  } finally {
    await one.close();
    await two.close();
  }
}

describeClientStoreContract('PgClientStore', {
  async open(options) {
    return openStore(await cluster.createDatabase(), options);
  },
});

describe('PgClientStore: migrations', () => {
  it('clients written before the search table (migrations 3 and 4) are searchable after it, and sorted by name', async () => {
    const url = await cluster.createDatabase();
    const db = new PgDatabase(url);
    try {
      const client = await db.pool.connect();
      try {
        expect(await migrate(client, { through: 2 })).toEqual(['1 initial schema', '2 labels and history filters']);
        const old = new PgClientStore(db);
        await old.insertMany(Array.from({ length: 40 }, (_, index) => prepareNewClient(contractSettings(index)).record), 'system:test');
        expect(await migrate(client)).toEqual(['3 narrow search table', '4 search index in each process']);
      } finally {
        client.release();
      }
      const store = new PgClientStore(db);
      const all = (await store.list({ limit: 100 })).items;
      const target = all[17]!;
      const found = await store.list({ q: target.clientId.slice(5, 12).toLowerCase() });
      expect(found.items.map((c) => c.clientId)).toContain(target.clientId);
      const word = target.name.split(' ')[0]!.toUpperCase();
      const byName = await store.list({ q: word, limit: 100 });
      expect(byName.total).toBe(all.filter((c) => c.name.toUpperCase().includes(word)).length);
      expect(byName.items.map((c) => c.clientId)).toEqual(all.filter((c) => c.name.toUpperCase().includes(word)).map((c) => c.clientId));
    } finally {
      await db.close();
    }
  });
});

describe('PgClientStore: two processes on one database', () => {
  it('a client disabled through one is refused by the other\'s cached lookup at once, and its events stream hears of it', async () => {
    const events = new ChangeEvents();
    await withTwoStores(async (one, two) => {
      const record = prepareNewClient(contractSettings(1)).record;
      await two.store.create(record, 'system:test');
      // Process one looks it up (and caches it) ...
      expect((await one.store.getWithSecretHashes(record.clientId))!.client.status).toBe('active');
      expect((await one.store.getWithSecretHashes(record.clientId))!.client.status).toBe('active');
      const heard: number[] = [];
      events.subscribe((seq) => heard.push(seq));
      // ... process two disables it.
      const result = await two.store.update(record.clientId, null, { ...record.settings, status: 'disabled' }, 'system:test');
      expect(result.ok).toBe(true);
      const deadline = Date.now() + 2_000;
      let status = (await one.store.getWithSecretHashes(record.clientId))!.client.status;
      while (status !== 'disabled' && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 5));
        status = (await one.store.getWithSecretHashes(record.clientId))!.client.status;
      }
      expect(status).toBe('disabled');
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(heard.at(-1)).toBe(result.ok ? result.client.changeSeq : -1);
    }, { changeEvents: events });
  });

  it('a search through one sees a create, a rename and a delete made through the other at once, totals included', async () => {
    await withTwoStores(async (one, two) => {
      const records = Array.from({ length: 30 }, (_, index) => prepareNewClient(contractSettings(index)).record);
      await one.store.insertMany(records, 'system:test');
      const search = (q: string) => one.store.list({ q, limit: 100 });
      // One's index is filled here, then two writes; no waiting between the write and the search.
      expect((await search('zebra')).total).toBe(0);
      const zebra = prepareNewClient({ ...contractSettings(90), name: 'Zebra Reports' }).record;
      await two.store.create(zebra, 'system:test');
      expect((await search('zebra')).items.map((c) => c.clientId)).toEqual([zebra.clientId]);
      const renamed = records[4]!;
      const before = await search('Zebra');
      const result = await two.store.update(renamed.clientId, null, { ...renamed.settings, name: 'Zebra Billing' }, 'system:test');
      expect(result.ok).toBe(true);
      const after = await search('zebra');
      expect(after.total).toBe(before.total + 1);
      expect(after.items.map((c) => c.name)).toEqual(['Zebra Billing', 'Zebra Reports']);
      expect((await two.store.delete(zebra.clientId, null, 'system:test')).ok).toBe(true);
      expect((await search('zebra')).items.map((c) => c.name)).toEqual(['Zebra Billing']);
    });
  });

  it('an index left behind the tombstone purge starts again, so a client deleted meanwhile is not counted', async () => {
    const url = await cluster.createDatabase();
    // One without a LISTEN connection: no notice moves its index on between its searches.
    const two = await openStore(url);
    const db = new PgDatabase(url);
    try {
      const one = new PgClientStore(db);
      const yearOn = new PgClientStore(db, { tombstones: { now: () => new Date(Date.now() + 400 * 86_400_000) } });
      const records = Array.from({ length: 12 }, (_, index) => prepareNewClient({ ...contractSettings(index), name: `Purge Test ${index}` }).record);
      await two.store.insertMany(records, 'system:test');
      expect((await one.list({ q: 'purge test' })).total).toBe(12);
      // Two deletes a client and, "a year on", purges its tombstone: the feed after one's number is incomplete.
      expect((await two.store.delete(records[3]!.clientId, null, 'system:test')).ok).toBe(true);
      expect((await two.store.update(records[5]!.clientId, null, { ...records[5]!.settings, name: 'Renamed' }, 'system:test')).ok).toBe(true);
      expect(await yearOn.purgeExpiredTombstones()).toBe(1);
      const found = await one.list({ q: 'purge test', limit: 100 });
      expect(found.total).toBe(10);
      expect(found.items.map((c) => c.name)).toEqual(records.map((r) => r.settings.name).filter((name) => name !== 'Purge Test 3' && name !== 'Purge Test 5').sort());
    } finally {
      await db.close();
      await two.close();
    }
  });

  it('concurrent writers through two pools get distinct numbers in commit order, so a feed reader never skips one', async () => {
    await withTwoStores(async (one, two) => {
      const records = Array.from({ length: 60 }, (_, index) => prepareNewClient(contractSettings(index * 2 + 1)).record);
      const created = await Promise.all(records.map((record, index) => (index % 2 ? one : two).store.create(record, 'system:test')));
      const numbers = created.map((client) => client.changeSeq).sort((a, b) => a - b);
      expect(numbers).toEqual(Array.from({ length: 60 }, (_, index) => index + 1));
      const feed = await one.store.changes({ since: 0, limit: 100 });
      expect(feed.items).toHaveLength(60);
      expect(feed.lastSeq).toBe(60);
    });
  });
});
