// Listing clients (GET /api/v1/clients) on PostgreSQL: the same answers as the SQLite list
// (client-list.ts) — sort orders with client_id as tie-break, keyset cursor, filters, "contains"
// search. The whole list walks one btree per sort key, its total from the trigger-kept
// client_counts; a search or a filter is answered by this process's search index
// (search-index.ts), kept level with the database, and only its page is read from clients.
import { CLIENT_SORT_KEYS } from '../../shared/client.ts';
import type { ClientPage, ClientSortKey, ListClientsQuery } from '../../shared/client.ts';
import { grantMask } from '../client-rows.ts';
import type { ClientRow } from '../client-rows.ts';
import { InvalidCursorError } from '../client-store.ts';
import type { Client } from '../../shared/client.ts';
import { asciiLower } from '../search/client-search-index.ts';
import type { PgDatabase } from './database.ts';
import type { PgSearchIndex } from './search-index.ts';

const DEFAULT_LIMIT = 50;


interface SortColumn {
  /** On clients (alias c), as its sort index has it. */
  column: string;
  read: (row: ClientRow) => string;
  param: (value: string) => string;
}

const SORT_COLUMN: Record<ClientSortKey, SortColumn> = {
  name: { column: 'lower(c.name)', read: (row) => row.name, param: asciiLower },
  clientId: { column: 'c.client_id', read: (row) => row.client_id, param: (value) => value },
  status: { column: 'c.status', read: (row) => row.status, param: (value) => value },
  kind: { column: 'c.kind', read: (row) => row.kind, param: (value) => value },
  createdAt: { column: 'c.created_at', read: (row) => row.created_at, param: (value) => value },
  updatedAt: { column: 'c.updated_at', read: (row) => row.updated_at, param: (value) => value },
};

function encodeCursor(sort: string, value: string, clientId: string): string {
  return Buffer.from(JSON.stringify([sort, value, clientId]), 'utf8').toString('base64url');
}

function decodeCursor(text: string, sort: string): { value: string; clientId: string } {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.length === 3 && parsed.every((part) => typeof part === 'string') && parsed[0] === sort) {
      return { value: parsed[1] as string, clientId: parsed[2] as string };
    }
  } catch {
    // any malformed cursor is the same error to the caller
  }
  throw new InvalidCursorError();
}

/** One statement's text and its numbered parameters. */
class Statement {
  readonly values: unknown[] = [];
  /** Adds a parameter; returns its placeholder. */
  p = (value: unknown): string => {
    this.values.push(value);
    return `$${this.values.length}`;
  };
}

export async function listClients(
  db: PgDatabase,
  searchIndex: PgSearchIndex,
  query: ListClientsQuery,
  secretsColumn: string,
  toClients: (rows: ClientRow[]) => Client[],
): Promise<ClientPage> {
  const text = query.sort ?? 'name';
  const descending = text.startsWith('-');
  const key = (descending ? text.slice(1) : text) as ClientSortKey;
  if (!CLIENT_SORT_KEYS.includes(key)) throw new Error(`Unknown sort key ${text}`);
  const limit = query.limit ?? DEFAULT_LIMIT;
  const sort = SORT_COLUMN[key];
  const cursor = query.cursor ? decodeCursor(query.cursor, text) : null;
  const q = query.q ?? '';

  let total: number;
  let rows: ClientRow[];
  let hasMore: boolean;
  if (q !== '' || query.status || query.kind || query.grantType) {
    // A search or a filter: from this process's search index, brought level with the database
    // first (search-index.ts); only the page's rows are read from clients. (In SQL a filter that
    // few clients pass walked the whole sort index: a grant type none had, 160–220 ms.)
    const index = await searchIndex.current();
    const found = index.find({
      q: asciiLower(q),
      status: query.status,
      kind: query.kind,
      grantMask: query.grantType ? grantMask([query.grantType]) : undefined,
      key,
      descending,
      after: cursor ? { value: sort.param(cursor.value), clientId: cursor.clientId } : null,
      limit,
    });
    total = found.total;
    hasMore = found.hasMore;
    if (found.clientIds.length === 0) {
      rows = [];
    } else {
      const read = await db.query<ClientRow>(`SELECT c.*, ${secretsColumn} FROM clients c WHERE c.client_id = ANY ($1::text[])`, [found.clientIds]);
      const byId = new Map(read.rows.map((row) => [row.client_id, row]));
      // A client deleted since the index answered is left out, not answered as a hole.
      rows = found.clientIds.map((clientId) => byId.get(clientId)).filter((row) => row !== undefined);
    }
  } else {
    // Every client: the page walks the sort key's btree from the cursor (a row-value comparison),
    // the total is the trigger-kept count; two statements on two pooled connections at once.
    const page = new Statement();
    const after = descending ? '<' : '>';
    const from = !cursor
      ? ''
      : key === 'clientId'
        ? `WHERE c.client_id ${after} ${page.p(cursor.clientId)}`
        : `WHERE (${sort.column}, c.client_id) ${after} (${page.p(sort.param(cursor.value))}, ${page.p(cursor.clientId)})`;
    const direction = descending ? 'DESC' : 'ASC';
    const orderBy = key === 'clientId' ? `c.client_id ${direction}` : `${sort.column} ${direction}, c.client_id ${direction}`;
    const [counts, paged] = await Promise.all([
      db.query<{ n: number }>("SELECT coalesce((SELECT n FROM client_counts WHERE filter = 'all'), 0)::bigint AS n"),
      db.query<ClientRow>(`SELECT c.*, ${secretsColumn} FROM clients c ${from} ORDER BY ${orderBy} LIMIT ${page.p(limit + 1)}`, page.values),
    ]);
    total = counts.rows[0]!.n;
    rows = paged.rows;
    hasMore = rows.length > limit;
  }

  const pageRows = rows.slice(0, limit);
  const last = pageRows[pageRows.length - 1];
  const nextCursor = hasMore && last ? encodeCursor(text, sort.read(last), last.client_id) : null;
  return { items: toClients(pageRows), nextCursor, total };
}
