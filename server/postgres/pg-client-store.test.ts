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

describeClientStoreContract('PgClientStore', {
  async open(options) {
    return openStore(await cluster.createDatabase(), options);
  },
});

describe('PgClientStore: migrations', () => {
  it('clients written before the narrow search table (migration 3) are searchable after it, and sorted by name', async () => {
    const url = await cluster.createDatabase();
    const db = new PgDatabase(url);
    try {
      const client = await db.pool.connect();
      try {
        expect(await migrate(client, { through: 2 })).toEqual(['1 initial schema', '2 labels and history filters']);
        const old = new PgClientStore(db);
        await old.insertMany(Array.from({ length: 40 }, (_, index) => prepareNewClient(contractSettings(index)).record), 'system:test');
        expect(await migrate(client)).toEqual(['3 narrow search table']);
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
    const url = await cluster.createDatabase();
    const events = new ChangeEvents();
    const one = await openStore(url, { changeEvents: events });
    const two = await openStore(url);
    try {
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
    } finally {
      await one.close();
      await two.close();
    }
  });

  it('concurrent writers through two pools get distinct numbers in commit order, so a feed reader never skips one', async () => {
    const url = await cluster.createDatabase();
    const one = await openStore(url);
    const two = await openStore(url);
    try {
      const records = Array.from({ length: 60 }, (_, index) => prepareNewClient(contractSettings(index * 2 + 1)).record);
      const created = await Promise.all(records.map((record, index) => (index % 2 ? one : two).store.create(record, 'system:test')));
      const numbers = created.map((client) => client.changeSeq).sort((a, b) => a - b);
      expect(numbers).toEqual(Array.from({ length: 60 }, (_, index) => index + 1));
      const feed = await one.store.changes({ since: 0, limit: 100 });
      expect(feed.items).toHaveLength(60);
      expect(feed.lastSeq).toBe(60);
    } finally {
      await one.close();
      await two.close();
    }
  });
});
