// The change feed on PostgreSQL: the numbers, tombstones and pages of GET /api/v1/clients/changes
// with the same answers as the SQLite feed (change-feed.ts).
//
// Why the counter is one row and not a bare SEQUENCE: nextval() is not transactional, so a
// rolled-back write would leave a hole, and two transactions can commit in the opposite order of
// their numbers — a reader could then move past number 11 while 10 is still uncommitted and
// never see it. Every write transaction of the store first locks the change_feed row
// (`lockForWrite`), so writes to clients are serialized across all processes (as on SQLite) and
// numbers are handed out in commit order, gap-free; the row also holds the purge horizon.
import type pg from 'pg';
import type { ClientChanges } from '../../shared/client.ts';
import type { Client } from '../../shared/client.ts';
import { CLIENT_COLUMNS } from '../client-rows.ts';
import type { ClientRow } from '../client-rows.ts';
import { ChangesUnavailableError } from '../client-store.ts';
import type { PgDatabase } from './database.ts';

type FeedRow = Omit<ClientRow, 'seq' | 'grant_mask'>;

export async function lockForWrite(tx: pg.ClientBase): Promise<void> {
  await tx.query('SELECT last_seq FROM change_feed WHERE id = 1 FOR UPDATE');
}

/** The next `count` numbers inside a write transaction (after lockForWrite); returns the first. */
export async function takeNumbers(tx: pg.ClientBase, count = 1): Promise<number> {
  const { rows } = await tx.query<{ last_seq: number }>('UPDATE change_feed SET last_seq = last_seq + $1 WHERE id = 1 RETURNING last_seq', [count]);
  return rows[0]!.last_seq - count + 1;
}

export async function lastSeq(db: PgDatabase): Promise<number> {
  return (await db.query<{ last_seq: number }>('SELECT last_seq FROM change_feed WHERE id = 1')).rows[0]!.last_seq;
}

export async function changesPage(
  db: PgDatabase,
  since: number,
  limit: number,
  retentionMs: number,
  secretsColumn: string,
  toClients: (rows: FeedRow[]) => Client[],
): Promise<ClientChanges> {
  return db.transaction(async (tx) => {
    // One snapshot for the page, its total and lastSeq.
    await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const state = (await tx.query<{ last_seq: number; purged_through: number }>('SELECT last_seq, purged_through FROM change_feed WHERE id = 1')).rows[0]!;
    if (since > state.last_seq) {
      throw new ChangesUnavailableError(
        'unknown',
        `since=${since} is ahead of this server's change feed (it is at ${state.last_seq}), so it was not issued by this server's data; start again with since=0.`,
      );
    }
    if (since > 0 && since < state.purged_through) {
      throw new ChangesUnavailableError(
        'expired',
        `Changes after ${since} are no longer complete: deletions are kept for ${Math.round(retentionMs / 86_400_000)} days and older ones were removed. Start again with since=0 (a full snapshot).`,
      );
    }
    const rows = (await tx.query<FeedRow>(`SELECT ${CLIENT_COLUMNS.split(', ').map((column) => `c.${column}`).join(', ')}, ${secretsColumn} FROM clients c WHERE change_seq > $1 ORDER BY change_seq LIMIT $2`, [since, limit + 1])).rows;
    const tombstones = (await tx.query<{ client_id: string; change_seq: number }>('SELECT client_id, change_seq FROM client_tombstones WHERE change_seq > $1 ORDER BY change_seq LIMIT $2', [since, limit + 1])).rows;
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
    const items = toClients(taken);
    const total = (await tx.query<{ n: number }>("SELECT coalesce((SELECT n FROM client_counts WHERE filter = 'all'), 0)::bigint AS n")).rows[0]!.n;
    return { items, deleted, nextSince: hasMore ? lastTaken : state.last_seq, hasMore, total, lastSeq: state.last_seq };
  });
}

/** Removes tombstones older than the retention time and raises the horizon; returns how many. */
export async function purgeExpiredTombstones(db: PgDatabase, cutoff: string): Promise<number> {
  return db.transaction(async (tx) => {
    await lockForWrite(tx);
    const { rows } = await tx.query<{ newest: number | null; n: number }>('WITH gone AS (DELETE FROM client_tombstones WHERE deleted_at < $1 RETURNING change_seq) SELECT max(change_seq) AS newest, count(*)::bigint AS n FROM gone', [cutoff]);
    const { newest, n } = rows[0]!;
    if (newest !== null) await tx.query('UPDATE change_feed SET purged_through = greatest(purged_through, $1) WHERE id = 1', [newest]);
    return n;
  });
}
