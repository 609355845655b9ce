// The SQLite client store on a real database file: the ClientStore contract every back end
// passes (testing/client-store-contract.ts), and what only SQLite does — another connection to
// the same file (another process) is noticed through data_version within a second.
import fs from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { openDatabase } from './database.ts';
import { prepareNewClient } from './new-client.ts';
import { SqliteClientStore } from './sqlite-client-store.ts';
import { contractSettings, describeClientStoreContract } from './testing/client-store-contract.ts';
import { makeDataDir } from './testing/test-server.ts';

describeClientStoreContract('SqliteClientStore', {
  async open(options) {
    const dataDir = await makeDataDir();
    const db = openDatabase(dataDir);
    return {
      store: new SqliteClientStore(db, options),
      async close() {
        db.close();
        await fs.rm(dataDir, { recursive: true, force: true });
      },
    };
  },
});

describe('SqliteClientStore.getWithSecretHashes (what the token endpoint reads)', () => {
  it('sees another connection\'s changes within a second (injected clock)', async () => {
    const dataDir = await makeDataDir();
    const db = openDatabase(dataDir);
    const otherDb = openDatabase(dataDir);
    try {
      let now = Date.parse('2026-06-01T00:00:00.000Z');
      const tokenSide = new SqliteClientStore(db, { now: () => new Date(now) });
      const target = prepareNewClient(contractSettings(1)).record;
      await tokenSide.create(target, 'system:test');
      const before = (await tokenSide.getWithSecretHashes(target.clientId))!;
      expect(before.secretHashes).toHaveLength(1);
      // Another process: a second connection to the same file.
      const other = new SqliteClientStore(otherDb);
      await other.update(target.clientId, null, { ...before.client, status: 'disabled' }, 'system:other');
      now += 1_000;
      expect((await tokenSide.getWithSecretHashes(target.clientId))!.client.status).toBe('disabled');
      await other.delete(target.clientId, null, 'system:other');
      now += 1_000;
      expect(await tokenSide.getWithSecretHashes(target.clientId)).toBeNull();
    } finally {
      otherDb.close();
      db.close();
      await fs.rm(dataDir, { recursive: true, force: true });
    }
  });
});
