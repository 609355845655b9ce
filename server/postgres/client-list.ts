// Listing clients (GET /api/v1/clients) on PostgreSQL: the same answers as the SQLite list
// (client-list.ts) — sort orders with client_id as tie-break, keyset cursor, filters, "contains"
// search — over PostgreSQL's tools: one btree per sort key (row-value comparison for the
// cursor walks it), pg_trgm GIN indexes for the search, and the trigger-kept client_counts for
// the total of an unfiltered or one-filter list.
import { GRANT_TYPES } from '../../shared/catalogs.ts';
import { CLIENT_SORT_KEYS } from '../../shared/client.ts';
import type { ClientPage, ClientSortKey, ListClientsQuery } from '../../shared/client.ts';
import { grantMask } from '../client-rows.ts';
import type { ClientRow } from '../client-rows.ts';
import { InvalidCursorError } from '../client-store.ts';
import type { Client } from '../../shared/client.ts';
import type { PgDatabase } from './database.ts';

const DEFAULT_LIMIT = 50;

/** ASCII-only lower case: what SQLite's NOCASE and lower() in the C collation do. */
const asciiLower = (text: string) => text.replace(/[A-Z]/g, (ch) => ch.toLowerCase());

const SORT_COLUMN: Record<ClientSortKey, { column: string; read: (row: ClientRow) => string; param: (value: string) => string }> = {
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

function likeContains(q: string): string {
  return `%${asciiLower(q).replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

export async function listClients(db: PgDatabase, query: ListClientsQuery, secretsColumn: string, toClients: (rows: ClientRow[]) => Client[]): Promise<ClientPage> {
  const text = query.sort ?? 'name';
  const descending = text.startsWith('-');
  const key = (descending ? text.slice(1) : text) as ClientSortKey;
  if (!CLIENT_SORT_KEYS.includes(key)) throw new Error(`Unknown sort key ${text}`);
  const limit = query.limit ?? DEFAULT_LIMIT;

  const params: unknown[] = [];
  const p = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const filters: string[] = [];
  if (query.status) filters.push(`c.status = ${p(query.status)}`);
  if (query.kind) filters.push(`c.kind = ${p(query.kind)}`);
  if (query.grantType) filters.push(`(c.grant_mask & ${p(grantMask([query.grantType]))}) <> 0`);
  const q = query.q ?? '';
  if (q.length > 0) {
    const like = p(likeContains(q));
    filters.push(`(lower(c.name) LIKE ${like} OR lower(c.client_id) LIKE ${like})`);
  }
  const where = (conditions: string[]) => (conditions.length ? `WHERE ${conditions.join(' AND ')}` : '');

  const counted = q.length === 0 && filters.length <= 1
    ? filters.length === 0 ? 'all' : query.status ? `status:${query.status}` : query.kind ? `kind:${query.kind}` : `grant:${GRANT_TYPES.indexOf(query.grantType!)}`
    : null;
  const filterParams = [...params];
  const totalQuery = counted !== null
    ? db.query<{ n: number }>('SELECT coalesce((SELECT n FROM client_counts WHERE filter = $1), 0)::bigint AS n', [counted])
    : db.query<{ n: number }>(`SELECT count(*) AS n FROM clients c ${where(filters)}`, filterParams);

  const { column, read, param } = SORT_COLUMN[key];
  const direction = descending ? 'DESC' : 'ASC';
  const after = descending ? '<' : '>';
  const pageFilters = [...filters];
  if (query.cursor) {
    const cursor = decodeCursor(query.cursor, text);
    if (key === 'clientId') pageFilters.push(`c.client_id ${after} ${p(cursor.clientId)}`);
    else pageFilters.push(`(${column}, c.client_id) ${after} (${p(param(cursor.value))}, ${p(cursor.clientId)})`);
  }
  const orderBy = key === 'clientId' ? `c.client_id ${direction}` : `${column} ${direction}, c.client_id ${direction}`;
  const rowsQuery = db.query<ClientRow>(`SELECT c.*, ${secretsColumn} FROM clients c ${where(pageFilters)} ORDER BY ${orderBy} LIMIT ${p(limit + 1)}`, params);
  // Two statements on two pooled connections at once: the total and the page.
  const [total, { rows }] = await Promise.all([totalQuery.then((result) => result.rows[0]!.n), rowsQuery]);

  const hasMore = rows.length > limit;
  const pageRows = hasMore ? rows.slice(0, limit) : rows;
  const last = pageRows[pageRows.length - 1];
  const nextCursor = hasMore && last ? encodeCursor(text, read(last), last.client_id) : null;
  return { items: toClients(pageRows), nextCursor, total };
}
