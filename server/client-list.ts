// Listing clients at 100,000 (GET /api/v1/clients) on the embedded SQLite store:
// - each sort key has an index that ends in client_id (keyset pagination: the cursor is the last
//   row's sort value and id) and carries the filter columns (grant types as bits, status, kind),
//   so a filtered page is found by walking one index and reading only the rows it returns;
// - "contains" search (q) uses a trigram full-text index; a search that matches few clients
//   drives the query (its matches are sorted), one that matches many is tested while walking;
// - the total is counted over the smallest thing that answers it (a per-filter counter kept by
//   triggers, the search matches, a covering index, or SQLite's table count).
import type Database from 'better-sqlite3';
import { GRANT_TYPES } from '../shared/catalogs.ts';
import { CLIENT_SORT_KEYS } from '../shared/client.ts';
import type { Client, ClientPage, ClientSortKey, ListClientsQuery } from '../shared/client.ts';
import { grantMask } from './client-rows.ts';
import type { ClientRow } from './client-rows.ts';
import { InvalidCursorError } from './client-store.ts';
import type { Db } from './database.ts';

const DEFAULT_LIMIT = 50;
/**
 * A search with at most this many matches finds its rows through the full-text index and sorts
 * them; one with more walks the sort index (a page then fills after about limit × clients /
 * matches steps, while sorting 30,000 rows would cost ~40 ms).
 */
const SELECTIVE_SEARCH = 2_000;
/** The index each sort key walks (database.ts). */
const SORT_INDEX: Record<ClientSortKey, string> = {
  name: 'clients_by_name',
  clientId: 'clients_by_client_id',
  status: 'clients_by_status',
  kind: 'clients_by_kind',
  createdAt: 'clients_by_created',
  updatedAt: 'clients_by_updated',
};
/** The trigram index answers substrings of at least this many characters. */
const TRIGRAM = 3;
const SEARCH_MATCHES = 'SELECT rowid FROM clients_search WHERE clients_search MATCH ?';

const SORT_COLUMN: Record<ClientSortKey, { column: string; read: (row: ClientRow) => string }> = {
  name: { column: 'c.name COLLATE NOCASE', read: (row) => row.name },
  clientId: { column: 'c.client_id', read: (row) => row.client_id },
  status: { column: 'c.status', read: (row) => row.status },
  kind: { column: 'c.kind', read: (row) => row.kind },
  createdAt: { column: 'c.created_at', read: (row) => row.created_at },
  updatedAt: { column: 'c.updated_at', read: (row) => row.updated_at },
};

interface Cursor {
  sort: string;
  value: string;
  clientId: string;
}

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.sort, cursor.value, cursor.clientId]), 'utf8').toString('base64url');
}

function decodeCursor(text: string, sort: string): Cursor {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.length === 3 && parsed.every((part) => typeof part === 'string') && parsed[0] === sort) {
      return { sort: parsed[0] as string, value: parsed[1] as string, clientId: parsed[2] as string };
    }
  } catch {
    // fall through: any malformed cursor is the same error to the caller
  }
  throw new InvalidCursorError();
}

function parseSort(sort: string | undefined): { key: ClientSortKey; descending: boolean; text: string } {
  const text = sort ?? 'name';
  const descending = text.startsWith('-');
  const key = (descending ? text.slice(1) : text) as ClientSortKey;
  if (!CLIENT_SORT_KEYS.includes(key)) throw new Error(`Unknown sort key ${text}`);
  return { key, descending, text };
}

/** An FTS5 phrase: the trigram tokenizer turns it into "contains this substring", case-insensitively. */
function ftsPhrase(q: string): string {
  return `"${q.replaceAll('"', '""')}"`;
}

function likeContains(q: string): string {
  return `%${q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

export class ClientList {
  readonly #db: Db;
  /** List queries vary with the filters; each distinct SQL text is compiled once. */
  readonly #statements = new Map<string, Database.Statement>();
  readonly #countOf: Database.Statement;
  readonly #countAll: Database.Statement<[], { n: number }>;

  constructor(db: Db) {
    this.#db = db;
    this.#countOf = db.prepare('SELECT n FROM client_counts WHERE filter = ?').pluck();
    this.#countAll = db.prepare('SELECT count(*) AS n FROM clients');
  }

  /** A compiled statement for `sql`, cached (the store's page queries use it too). */
  prepare(sql: string): Database.Statement {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.#db.prepare(sql);
      if (this.#statements.size > 500) this.#statements.clear();
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  /** One page; `withSecrets` turns the page's rows into resources. */
  page(query: ListClientsQuery, withSecrets: (rows: ClientRow[]) => Client[]): ClientPage {
    const sort = parseSort(query.sort);
    const limit = query.limit ?? DEFAULT_LIMIT;

    // Filters every sort index can check without reading rows.
    const filters: string[] = [];
    const params: unknown[] = [];
    if (query.status) {
      filters.push('c.status = ?');
      params.push(query.status);
    }
    if (query.kind) {
      filters.push('c.kind = ?');
      params.push(query.kind);
    }
    if (query.grantType) {
      filters.push('(c.grant_mask & ?) != 0');
      params.push(grantMask([query.grantType]));
    }
    const q = query.q ?? '';
    const search = [...q].length >= TRIGRAM ? ftsPhrase(q) : null;
    if (q.length > 0 && !search) {
      filters.push("(c.name LIKE ? ESCAPE '\\' OR c.client_id LIKE ? ESCAPE '\\')");
      params.push(likeContains(q), likeContains(q));
    }
    const and = (conditions: string[]) => (conditions.length ? `WHERE ${conditions.join(' AND ')}` : '');
    // Drives from the search matches: SQLite joins in the order written after CROSS JOIN.
    const fromMatches = `(${SEARCH_MATCHES.replace('rowid', 'rowid AS seq')}) m CROSS JOIN clients c ON c.seq = m.seq`;

    const singleFilter = q.length === 0 && filters.length === 1 ? (query.status ? `status:${query.status}` : query.kind ? `kind:${query.kind}` : `grant:${GRANT_TYPES.indexOf(query.grantType!)}`) : null;
    let total: number;
    if (singleFilter !== null) {
      total = (this.#countOf.get(singleFilter) as number | undefined) ?? 0;
    } else if (search !== null && filters.length === 0) {
      total = (this.prepare('SELECT count(*) AS n FROM clients_search WHERE clients_search MATCH ?').get(search) as { n: number }).n;
    } else if (search !== null) {
      total = (this.prepare(`SELECT count(*) AS n FROM ${fromMatches} ${and(filters)}`).get(search, ...params) as { n: number }).n;
    } else if (filters.length === 0) {
      total = this.#countAll.get()!.n;
    } else {
      total = (this.prepare(`SELECT count(*) AS n FROM clients c ${and(filters)}`).get(...params) as { n: number }).n;
    }

    const { column, read } = SORT_COLUMN[sort.key];
    const direction = sort.descending ? 'DESC' : 'ASC';
    const after = sort.descending ? '<' : '>';
    const pageFilters = [...filters];
    const pageParams = [...params];
    if (query.cursor) {
      const cursor = decodeCursor(query.cursor, sort.text);
      if (sort.key === 'clientId') {
        pageFilters.push(`c.client_id ${after} ?`);
        pageParams.push(cursor.clientId);
      } else {
        // (value, client_id) after (cursor.value, cursor.clientId), written so the index range is used.
        pageFilters.push(`${column} ${after}= ? AND (${column} ${after} ? OR c.client_id ${after} ?)`);
        pageParams.push(cursor.value, cursor.value, cursor.clientId);
      }
    }
    const orderBy = sort.key === 'clientId' ? `c.client_id ${direction}` : `${column} ${direction}, c.client_id ${direction}`;
    let rows: ClientRow[];
    if (total === 0) {
      rows = [];
    } else if (search !== null && total <= SELECTIVE_SEARCH) {
      rows = this.prepare(`SELECT c.* FROM ${fromMatches} ${and(pageFilters)} ORDER BY ${orderBy} LIMIT ?`).all(search, ...pageParams, limit + 1) as ClientRow[];
    } else {
      if (search !== null) {
        pageFilters.unshift(`c.seq IN (${SEARCH_MATCHES})`);
        pageParams.unshift(search);
      }
      rows = this.prepare(`SELECT c.* FROM clients c INDEXED BY ${SORT_INDEX[sort.key]} ${and(pageFilters)} ORDER BY ${orderBy} LIMIT ?`).all(
        ...pageParams,
        limit + 1,
      ) as ClientRow[];
    }

    const hasMore = rows.length > limit;
    const pageRows = hasMore ? rows.slice(0, limit) : rows;
    const last = pageRows[pageRows.length - 1];
    const nextCursor = hasMore && last ? encodeCursor({ sort: sort.text, value: read(last), clientId: last.client_id }) : null;
    return { items: withSecrets(pageRows), nextCursor, total };
  }
}
