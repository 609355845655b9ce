// This process's search index (search/client-search-index.ts), kept level with the database.
// Filled from the narrow client_search table in one snapshot with the change feed's number, then
// moved forward by the feed: the clients changed after its number and the tombstones of those
// deleted, in one snapshot again. Before every search it reads the feed's number (one row, as the
// token endpoint's cache does with auth_seq) and catches up first if the database is ahead, so a
// search answers what a SQL statement would have at that moment, whichever process made the
// change. A change notice (LISTEN) catches up in the background, so a search rarely waits for it.
import { ClientSearchIndex } from '../search/client-search-index.ts';
import type { SearchEntry } from '../search/client-search-index.ts';
import type { PgDatabase } from './database.ts';

interface SearchRow {
  client_id: string;
  name_key: string;
  status: string;
  kind: string;
  created_at: string;
  updated_at: string;
  grant_mask: number;
}

/** One snapshot's worth: every client, or the changes after the index's number. */
type Read = { seq: number; all: SearchRow[] } | { seq: number; changed: (SearchRow & { change_seq: number })[]; deleted: { client_id: string; change_seq: number }[] };

const SEARCH_COLUMNS = 'x.client_id, x.name_key, x.status, x.kind, x.created_at, x.updated_at, x.grant_mask';

function toEntry(row: SearchRow): SearchEntry {
  return {
    clientId: row.client_id,
    nameKey: row.name_key,
    status: row.status,
    kind: row.kind,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    grantMask: row.grant_mask,
  };
}

export class PgSearchIndex {
  readonly #db: PgDatabase;
  #index: ClientSearchIndex | null = null;
  /** The change feed number the index reflects. */
  #seq = 0;
  /** The refresh (fill or catch-up) under way: one at a time. */
  #refreshing: Promise<void> | null = null;

  constructor(db: PgDatabase) {
    this.#db = db;
  }

  /** The index as of the database now (filled on first use). */
  async current(): Promise<ClientSearchIndex> {
    const { last_seq: target } = (await this.#db.query<{ last_seq: number }>('SELECT last_seq FROM change_feed WHERE id = 1')).rows[0]!;
    while (this.#index === null || this.#seq < target) await this.#refresh();
    return this.#index;
  }

  /**
   * Change `seq` was committed somewhere: catch up now rather than at the next search. A write of
   * this process is announced twice (at its commit, then by its own NOTIFY): the second finds the
   * index there already and reads nothing.
   */
  nudge(seq: number): void {
    if (this.#index === null || seq <= this.#seq) return;
    this.#refresh().catch(() => {
      // the next search reads the feed's number and tries again
    });
  }

  /** Fills the index ahead of the first search (errors wait for that search). */
  warm(): void {
    this.#refresh().catch(() => {});
  }

  #refresh(): Promise<void> {
    this.#refreshing ??= this.#load().finally(() => {
      this.#refreshing = null;
    });
    return this.#refreshing;
  }

  async #load(): Promise<void> {
    // Read in one snapshot; the index is built or moved on after it, not while it stays open.
    const since = this.#seq;
    const read = await this.#db.transaction(async (tx): Promise<Read | null> => {
      await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const state = (await tx.query<{ last_seq: number; purged_through: number }>('SELECT last_seq, purged_through FROM change_feed WHERE id = 1')).rows[0]!;
      // Tombstones older than the purge horizon are gone: an index that far behind starts again.
      if (this.#index === null || (since > 0 && since < state.purged_through)) {
        return { seq: state.last_seq, all: (await tx.query<SearchRow>(`SELECT ${SEARCH_COLUMNS} FROM client_search x`)).rows };
      }
      if (state.last_seq <= since) return null;
      // (One connection runs them one after the other, in the same snapshot.)
      const [changed, deleted] = await Promise.all([
        tx.query<SearchRow & { change_seq: number }>(`SELECT c.change_seq, ${SEARCH_COLUMNS} FROM clients c JOIN client_search x ON x.seq = c.seq WHERE c.change_seq > $1`, [since]),
        tx.query<{ client_id: string; change_seq: number }>('SELECT client_id, change_seq FROM client_tombstones WHERE change_seq > $1', [since]),
      ]);
      return { seq: state.last_seq, changed: changed.rows, deleted: deleted.rows };
    });
    if (read === null) return;
    if ('all' in read) {
      const fresh = new ClientSearchIndex();
      for (const row of read.all) fresh.put(toEntry(row));
      fresh.prepare();
      this.#index = fresh;
    } else {
      const index = this.#index!;
      // In feed order: a client deleted and created again ends up present.
      const steps = [...read.changed.map((row) => ({ seq: row.change_seq, put: row })), ...read.deleted.map((row) => ({ seq: row.change_seq, remove: row.client_id }))];
      steps.sort((a, b) => a.seq - b.seq);
      for (const step of steps) {
        if ('put' in step) index.put(toEntry(step.put));
        else index.remove(step.remove);
      }
      index.prepare();
    }
    this.#seq = read.seq;
  }
}
