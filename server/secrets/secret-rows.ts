// The SQL of the secret lifecycle on the SQLite store (tables in database.ts, migration 5): the
// rows a rotation or retirement adds, stops and drops, and the write-behind of last use. The
// store runs these inside its own write transactions (sqlite-client-store.ts), so every change
// here shares the transaction, the version bump and the change number of the client's write.
import type Database from 'better-sqlite3';
import type { LastUse, SecretPlan } from '../client-store.ts';
import type { Db } from '../database.ts';
import { LAST_USED_PUBLISH_MS } from './last-used-policy.ts';

export class SecretRows {
  readonly #statements: {
    insert: Database.Statement;
    retire: Database.Statement;
    drop: Database.Statement;
    clientUsed: Database.Statement;
    secretUsed: Database.Statement;
    publishedAt: Database.Statement<[string], { last_used_published_at: string | null }>;
    publish: Database.Statement;
  };

  constructor(db: Db) {
    this.#statements = {
      insert: db.prepare('INSERT INTO client_secrets (id, client_id, hash, hint, created_at, expires_at, retires_at, last_used_at) VALUES (?, ?, ?, ?, ?, ?, NULL, NULL)'),
      // An earlier retirement already set stays: a second rotation never extends an overlap.
      retire: db.prepare('UPDATE client_secrets SET retires_at = CASE WHEN retires_at IS NULL OR retires_at > @at THEN @at ELSE retires_at END WHERE id = @id AND client_id = @clientId'),
      drop: db.prepare('DELETE FROM client_secrets WHERE id = ? AND client_id = ?'),
      // Times only move forward, whatever order the batches arrive in.
      clientUsed: db.prepare('UPDATE clients SET last_used_at = @at WHERE client_id = @clientId AND (last_used_at IS NULL OR last_used_at < @at)'),
      secretUsed: db.prepare('UPDATE client_secrets SET last_used_at = @at WHERE id = @secretId AND client_id = @clientId AND (last_used_at IS NULL OR last_used_at < @at)'),
      publishedAt: db.prepare('SELECT last_used_published_at FROM clients WHERE client_id = ?'),
      publish: db.prepare('UPDATE clients SET change_seq = @changeSeq, last_used_published_at = @at WHERE client_id = @clientId'),
    };
  }

  apply(clientId: string, plan: SecretPlan): void {
    for (const id of plan.drop) this.#statements.drop.run(id, clientId);
    for (const { id, at } of plan.retire) this.#statements.retire.run({ id, at, clientId });
    if (plan.add) {
      const { id, hash, hint, createdAt, expiresAt } = plan.add;
      this.#statements.insert.run(id, clientId, hash, hint, createdAt, expiresAt);
    }
  }

  /**
   * Writes a batch of last uses. A client takes a new change number (so copies following the
   * feed see its lastUsedAt) only on its first use and when its last use has moved on by
   * LAST_USED_PUBLISH_MS since the feed last carried it: a client used every minute costs the
   * feed one entry an hour. `take(n)` hands out n consecutive numbers and returns the first.
   */
  recordLastUse(uses: readonly LastUse[], take: (count: number) => number): void {
    const toPublish: LastUse[] = [];
    for (const use of uses) {
      const changed = this.#statements.clientUsed.run({ at: use.at, clientId: use.clientId }).changes > 0;
      if (use.secretId !== null) this.#statements.secretUsed.run({ at: use.at, secretId: use.secretId, clientId: use.clientId });
      if (!changed) continue;
      const published = this.#statements.publishedAt.get(use.clientId)?.last_used_published_at ?? null;
      if (published === null || Date.parse(use.at) - Date.parse(published) >= LAST_USED_PUBLISH_MS) toPublish.push(use);
    }
    if (toPublish.length === 0) return;
    const first = take(toPublish.length);
    toPublish.forEach((use, index) => this.#statements.publish.run({ changeSeq: first + index, at: use.at, clientId: use.clientId }));
  }
}
