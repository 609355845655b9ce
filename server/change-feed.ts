// The change feed of the SQLite store (tables in database.ts, migration 3): the server-wide
// counter that every client write takes its number from, the tombstones deletes leave, and the
// page "everything after since" that GET /api/v1/clients/changes answers.
//
// A page is two index ranges (clients by change_seq, tombstones by change_seq) merged in number
// order, read in one read transaction so that a page, its total and lastSeq are one moment of
// the store; the secrets of the page's clients come from one query over a covering index, not
// one query per row.
import type Database from 'better-sqlite3';
import type { Client, ClientChanges, SecretMeta } from '../shared/client.ts';
import { CLIENT_COLUMNS, SECRET_META_COLUMNS, toClient, toSecretMeta } from './client-rows.ts';
import type { ClientRow } from './client-rows.ts';
import { ChangesUnavailableError } from './client-store.ts';
import type { Db } from './database.ts';

/** Tombstones are kept at least this long (issue 8: "at least 30 days"). */
export const TOMBSTONE_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;

export interface ChangeFeedOptions {
  /** The clock tombstones are dated and purged by. Default: the system clock. */
  now?: () => Date;
  /** How long a tombstone is kept. Default TOMBSTONE_RETENTION_MS. */
  retentionMs?: number;
}

type FeedRow = Omit<ClientRow, 'seq' | 'grant_mask'>;
/** SECRET_META_COLUMNS: id, client_id, hint, created_at, expires_at, retires_at, last_used_at */
type SecretTuple = [string, string, string, string, string | null, string | null, string | null];

interface FeedState {
  last_seq: number;
  purged_through: number;
}

export class ChangeFeed {
  readonly #db: Db;
  readonly #now: () => Date;
  readonly #retentionMs: number;
  /** The highest number taken by the write transaction now running (0: none). */
  #takenInTransaction = 0;
  readonly #statements: {
    take: Database.Statement<[number], number>;
    state: Database.Statement<[], FeedState>;
    lastSeq: Database.Statement<[], number>;
    forgetTombstone: Database.Statement<[string]>;
    recordTombstone: Database.Statement<[string, number, string]>;
    clientsAfter: Database.Statement<[number, number], FeedRow>;
    tombstonesAfter: Database.Statement<[number, number], { client_id: string; change_seq: number }>;
    secretsOf: Database.Statement<[string], SecretTuple>;
    countClients: Database.Statement<[], number>;
    newestExpired: Database.Statement<[string], number | null>;
    deleteExpired: Database.Statement<[string]>;
    raiseHorizon: Database.Statement<[number]>;
  };

  constructor(db: Db, options: ChangeFeedOptions = {}) {
    this.#db = db;
    this.#now = options.now ?? (() => new Date());
    this.#retentionMs = options.retentionMs ?? TOMBSTONE_RETENTION_MS;
    this.#statements = {
      take: db.prepare('UPDATE change_feed SET last_seq = last_seq + ? WHERE id = 1 RETURNING last_seq').pluck() as Database.Statement<[number], number>,
      state: db.prepare('SELECT last_seq, purged_through FROM change_feed WHERE id = 1'),
      lastSeq: db.prepare('SELECT last_seq FROM change_feed WHERE id = 1').pluck() as Database.Statement<[], number>,
      forgetTombstone: db.prepare('DELETE FROM client_tombstones WHERE client_id = ?'),
      recordTombstone: db.prepare(`INSERT INTO client_tombstones (client_id, change_seq, deleted_at) VALUES (?, ?, ?)
        ON CONFLICT (client_id) DO UPDATE SET change_seq = excluded.change_seq, deleted_at = excluded.deleted_at`),
      clientsAfter: db.prepare(`SELECT ${CLIENT_COLUMNS} FROM clients WHERE change_seq > ? ORDER BY change_seq LIMIT ?`),
      tombstonesAfter: db.prepare('SELECT client_id, change_seq FROM client_tombstones WHERE change_seq > ? ORDER BY change_seq LIMIT ?'),
      // The page's client ids as one JSON array parameter: one statement whatever the page size.
      // Rows as arrays: for 5,000 clients that is measurably cheaper than objects.
      secretsOf: db
        .prepare(`SELECT ${SECRET_META_COLUMNS} FROM client_secrets INDEXED BY client_secrets_by_client WHERE client_id IN (SELECT value FROM json_each(?))`)
        .raw() as Database.Statement<[string], SecretTuple>,
      countClients: db.prepare('SELECT count(*) FROM clients').pluck() as Database.Statement<[], number>,
      newestExpired: db.prepare('SELECT max(change_seq) FROM client_tombstones WHERE deleted_at < ?').pluck() as Database.Statement<[string], number | null>,
      deleteExpired: db.prepare('DELETE FROM client_tombstones WHERE deleted_at < ?'),
      raiseHorizon: db.prepare('UPDATE change_feed SET purged_through = max(purged_through, ?) WHERE id = 1'),
    };
  }

  /**
   * Takes the next `count` numbers (the first is returned). Only inside a write transaction:
   * a rolled-back write gives its numbers back with the rest of the transaction.
   */
  take(count = 1): number {
    const last = this.#statements.take.get(count)!;
    this.#takenInTransaction = last;
    return last - count + 1;
  }

  /** After a commit: the newest number that transaction took, or 0; resets for the next one. */
  committed(): number {
    const seq = this.#takenInTransaction;
    this.#takenInTransaction = 0;
    return seq;
  }

  /** After a rollback: the numbers taken were given back. */
  rolledBack(): void {
    this.#takenInTransaction = 0;
  }

  /** A client created with this id is no longer deleted. */
  forgetTombstone(clientId: string): void {
    this.#statements.forgetTombstone.run(clientId);
  }

  recordDelete(clientId: string, seq: number): void {
    this.#statements.recordTombstone.run(clientId, seq, this.#now().toISOString());
  }

  lastSeq(): number {
    return this.#statements.lastSeq.get()!;
  }

  /** Up to `limit` changes after `since`, oldest first; throws ChangesUnavailableError. */
  page(since: number, limit: number): ClientChanges {
    return this.#db.transaction((): ClientChanges => {
      const state = this.#statements.state.get()!;
      if (since > state.last_seq) {
        throw new ChangesUnavailableError(
          'unknown',
          `since=${since} is ahead of this server's change feed (it is at ${state.last_seq}), so it was not issued by this server's data; start again with since=0.`,
        );
      }
      if (since > 0 && since < state.purged_through) {
        throw new ChangesUnavailableError(
          'expired',
          `Changes after ${since} are no longer complete: deletions are kept for ${Math.round(this.#retentionMs / 86_400_000)} days and older ones were removed. Start again with since=0 (a full snapshot).`,
        );
      }
      // limit + 1 of each: what is left over after the merge says whether there is more.
      const rows = this.#statements.clientsAfter.all(since, limit + 1);
      const tombstones = this.#statements.tombstonesAfter.all(since, limit + 1);
      const taken: FeedRow[] = [];
      const deleted: string[] = [];
      let lastTaken = since;
      let r = 0;
      let t = 0;
      while (taken.length + deleted.length < limit && (r < rows.length || t < tombstones.length)) {
        const row = rows[r];
        const tombstone = tombstones[t];
        if (row && (!tombstone || row.change_seq < tombstone.change_seq)) {
          taken.push(row);
          lastTaken = row.change_seq;
          r += 1;
        } else {
          deleted.push(tombstone!.client_id);
          lastTaken = tombstone!.change_seq;
          t += 1;
        }
      }
      const hasMore = r < rows.length || t < tombstones.length;
      const items = this.#withSecrets(taken);
      // With nothing left, the caller has seen every change up to last_seq: the numbers between
      // the last entry and last_seq belong to rows that changed again (and are in this page) or
      // to tombstones purged below the horizon. With more left, it must resume right after the
      // last entry it got, or it would skip the rest.
      const nextSince = hasMore ? lastTaken : state.last_seq;
      return { items, deleted, nextSince, hasMore, total: this.#statements.countClients.get()!, lastSeq: state.last_seq };
    })();
  }

  #withSecrets(rows: FeedRow[]): Client[] {
    if (rows.length === 0) return [];
    const byClient = new Map<string, SecretMeta[]>();
    const now = this.#now().toISOString();
    for (const [id, clientId, hint, created_at, expires_at, retires_at, last_used_at] of this.#statements.secretsOf.all(JSON.stringify(rows.map((row) => row.client_id)))) {
      let list = byClient.get(clientId);
      if (!list) byClient.set(clientId, (list = []));
      list.push(toSecretMeta({ id, hint, created_at, expires_at, retires_at, last_used_at }, now));
    }
    // The order every other answer has (created_at, id); almost every client has one secret.
    for (const list of byClient.values()) if (list.length > 1) list.sort((a, b) => (a.createdAt === b.createdAt ? (a.id < b.id ? -1 : 1) : a.createdAt < b.createdAt ? -1 : 1));
    return rows.map((row) => toClient(row, byClient.get(row.client_id) ?? []));
  }

  /**
   * Removes the tombstones older than the retention time and raises the horizon to the newest
   * number removed: a `since` below it may have missed one of those deletes. Returns how many.
   */
  purgeExpired(): number {
    const cutoff = new Date(this.#now().getTime() - this.#retentionMs).toISOString();
    return this.#db.transaction((): number => {
      const newest = this.#statements.newestExpired.get(cutoff);
      if (newest === null || newest === undefined) return 0;
      const { changes } = this.#statements.deleteExpired.run(cutoff);
      this.#statements.raiseHorizon.run(newest);
      return changes;
    })();
  }
}
