// Listing clients (GET /api/v1/clients) on PostgreSQL: the same answers as the SQLite list
// (client-list.ts) — sort orders with client_id as tie-break, keyset cursor, filters, "contains"
// search — over PostgreSQL's tools: one btree per sort key (row-value comparison for the
// cursor walks it), a pg_trgm GIN index on the narrow client_search table for the search (see
// migration 3), and the trigger-kept client_counts for the total of an unfiltered or one-filter
// list. A search is counted and sorted on the narrow table, and only its page is read from
// clients.
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

interface SortColumn {
  /** On clients (alias c), as its sort index has it. */
  column: string;
  /** The same on client_search (alias x). */
  narrow: string;
  read: (row: ClientRow) => string;
  param: (value: string) => string;
}

const SORT_COLUMN: Record<ClientSortKey, SortColumn> = {
  name: { column: 'lower(c.name)', narrow: 'x.name_key', read: (row) => row.name, param: asciiLower },
  clientId: { column: 'c.client_id', narrow: 'x.client_id', read: (row) => row.client_id, param: (value) => value },
  status: { column: 'c.status', narrow: 'x.status', read: (row) => row.status, param: (value) => value },
  kind: { column: 'c.kind', narrow: 'x.kind', read: (row) => row.kind, param: (value) => value },
  createdAt: { column: 'c.created_at', narrow: 'x.created_at', read: (row) => row.created_at, param: (value) => value },
  updatedAt: { column: 'c.updated_at', narrow: 'x.updated_at', read: (row) => row.updated_at, param: (value) => value },
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

/** A LIKE pattern for "contains `lowered`", its wildcards escaped. */
function likeContains(lowered: string): string {
  return `%${lowered.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
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

export async function listClients(db: PgDatabase, query: ListClientsQuery, secretsColumn: string, toClients: (rows: ClientRow[]) => Client[]): Promise<ClientPage> {
  const text = query.sort ?? 'name';
  const descending = text.startsWith('-');
  const key = (descending ? text.slice(1) : text) as ClientSortKey;
  if (!CLIENT_SORT_KEYS.includes(key)) throw new Error(`Unknown sort key ${text}`);
  const limit = query.limit ?? DEFAULT_LIMIT;
  const sort = SORT_COLUMN[key];
  const cursor = query.cursor ? decodeCursor(query.cursor, text) : null;
  const q = query.q ?? '';

  // The same conditions on either table (`on` is its alias); the search term is client_search's.
  const sortColumn = (on: 'c' | 'x') => (on === 'c' ? sort.column : sort.narrow);
  const conditions = (statement: Statement, on: 'c' | 'x', withCursor: boolean): string[] => {
    const { p } = statement;
    const list: string[] = [];
    if (query.status) list.push(`${on}.status = ${p(query.status)}`);
    if (query.kind) list.push(`${on}.kind = ${p(query.kind)}`);
    if (query.grantType) list.push(`(${on}.grant_mask & ${p(grantMask([query.grantType]))}) <> 0`);
    if (withCursor && cursor) {
      const after = descending ? '<' : '>';
      if (key === 'clientId') list.push(`${on}.client_id ${after} ${p(cursor.clientId)}`);
      else list.push(`(${sortColumn(on)}, ${on}.client_id) ${after} (${p(sort.param(cursor.value))}, ${p(cursor.clientId)})`);
    }
    return list;
  };
  const where = (list: string[]) => (list.length ? `WHERE ${list.join(' AND ')}` : '');
  const direction = descending ? 'DESC' : 'ASC';
  const orderBy = (on: 'c' | 'x') => (key === 'clientId' ? `${on}.client_id ${direction}` : `${sortColumn(on)} ${direction}, ${on}.client_id ${direction}`);

  let total: number;
  let rows: ClientRow[];
  let hasMore: boolean;
  if (q.length > 0) {
    // Counted and paged on client_search at once, on two pooled connections: both are one
    // trigram bitmap scan of the narrow rows (the page a top-N sort of the matches), then the
    // page's wide rows are read by seq. Not a walk of a sort index of clients with the search
    // as a filter: matches cluster in name order (every "Enc…" name sits together), so a walk
    // read 25,000 rows before the first match of "enc" (100 ms at 100,000 clients). Not one
    // statement either: a count(*) OVER () beside the top-N sort materialises every match
    // (29 ms against 19 for "ter", 13,600 matches).
    //
    // The trigram index's column (`grams`, see migration 3), then the exact test; a term of only
    // a-z and 1-9 is in `grams` exactly where it is in `text` (only '0' stands for two things
    // there, the newline between name and id among them), so it skips the second test. Shorter
    // than a trigram the index cannot help, and the table is scanned with the exact test alone.
    const lowered = asciiLower(q);
    const like = likeContains(lowered);
    const grams = q.length >= 3 ? `%${lowered.replace(/[^a-z0-9]/g, '0')}%` : null;
    const exactInGrams = grams !== null && /^[a-z1-9]+$/.test(lowered);
    const matching = (statement: Statement, withCursor: boolean) => [
      ...(grams === null ? [] : [`x.grams LIKE ${statement.p(grams)}`]),
      ...(exactInGrams ? [] : [`x.text LIKE ${statement.p(like)}`]),
      ...conditions(statement, 'x', withCursor),
    ];
    const count = new Statement();
    const page = new Statement();
    const [counted, paged] = await Promise.all([
      db.query<{ n: number }>(`SELECT count(*)::bigint AS n FROM client_search x ${where(matching(count, false))}`, count.values),
      db.query<{ seq: number }>(`SELECT x.seq FROM client_search x ${where(matching(page, true))} ORDER BY ${orderBy('x')} LIMIT ${page.p(limit + 1)}`, page.values),
    ]);
    total = counted.rows[0]!.n;
    const seqs = paged.rows.map((row) => row.seq);
    hasMore = seqs.length > limit;
    if (seqs.length === 0) {
      rows = [];
    } else {
      const found = await db.query<ClientRow & { seq: number }>(`SELECT c.*, ${secretsColumn} FROM clients c WHERE c.seq = ANY ($1::bigint[])`, [seqs]);
      const bySeq = new Map(found.rows.map((row) => [row.seq, row]));
      // A client deleted between the two statements is left out, not answered as a hole.
      rows = seqs.map((seq) => bySeq.get(seq)).filter((row) => row !== undefined);
    }
  } else {
    const count = new Statement();
    const filters = conditions(count, 'c', false);
    const counted =
      filters.length <= 1 ? (filters.length === 0 ? 'all' : query.status ? `status:${query.status}` : query.kind ? `kind:${query.kind}` : `grant:${GRANT_TYPES.indexOf(query.grantType!)}`) : null;
    const totalQuery =
      counted !== null
        ? db.query<{ n: number }>('SELECT coalesce((SELECT n FROM client_counts WHERE filter = $1), 0)::bigint AS n', [counted])
        : db.query<{ n: number }>(`SELECT count(*) AS n FROM clients c ${where(filters)}`, count.values);
    const page = new Statement();
    const pageQuery = db.query<ClientRow>(`SELECT c.*, ${secretsColumn} FROM clients c ${where(conditions(page, 'c', true))} ORDER BY ${orderBy('c')} LIMIT ${page.p(limit + 1)}`, page.values);
    // Two statements on two pooled connections at once: the total and the page.
    const [counts, paged] = await Promise.all([totalQuery, pageQuery]);
    total = counts.rows[0]!.n;
    rows = paged.rows;
    hasMore = rows.length > limit;
  }

  const pageRows = rows.slice(0, limit);
  const last = pageRows[pageRows.length - 1];
  const nextCursor = hasMore && last ? encodeCursor(text, sort.read(last), last.client_id) : null;
  return { items: toClients(pageRows), nextCursor, total };
}
