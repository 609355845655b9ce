// What the server needs from wherever clients are kept. The embedded SQLite store implements it
// (sqlite-client-store.ts); a PostgreSQL store for scale-out would implement the same methods.
// Every method is async so that a networked store fits; every change writes its audit record in
// the same transaction as the change, and takes its number in the change feed (changeSeq) there
// too. After each committed change the store tells its ChangeEvents (change-events.ts), which
// feeds GET /api/v1/events; a PostgreSQL store would publish there from LISTEN/NOTIFY as well,
// so that changes committed by other server processes reach this one's streams.
import type { Client, ClientChanges, ClientChangesQuery, ClientPage, ClientSettings, ListClientsQuery, SecretMeta } from '../shared/client.ts';

/** A secret as stored: its hash, never the secret. */
export interface StoredSecret extends SecretMeta {
  hash: string;
}

export interface NewClient {
  clientId: string;
  settings: ClientSettings;
  /** Absent for public clients (`tokenEndpointAuthMethod: "none"`). */
  secret: StoredSecret | null;
  /** Defaults to now; seeding (benchmarks, imports) may set it. */
  createdAt?: string;
}

/** A client with the hashes of its current secrets: what the token endpoint checks against. */
export interface ClientWithSecretHashes {
  client: Client;
  secretHashes: string[];
}

export type UpdateResult =
  | { ok: true; client: Client }
  | { ok: false; reason: 'not_found' }
  | { ok: false; reason: 'version_mismatch'; current: Client };

export type DeleteResult = { ok: true; client: Client } | { ok: false; reason: 'not_found' } | { ok: false; reason: 'version_mismatch'; current: Client };

export interface AuditEntry {
  id: number;
  at: string;
  /** Who made the change: `user:<username>`, `client:<clientId>` or `system:<what>`. */
  actor: string;
  action: 'client.create' | 'client.update' | 'client.delete' | 'client.secret.replace';
  clientId: string | null;
  /** For updates: `{field: {from, to}}`; for creates: the settings; for deletes: the removed client. */
  changes: Record<string, unknown>;
}

/** Thrown by `list` when the cursor is not one this store issued for this sort order. */
export class InvalidCursorError extends Error {
  constructor() {
    super('The cursor is not valid for this list; start again without a cursor.');
    this.name = 'InvalidCursorError';
  }
}

/**
 * Thrown by `changes` when it cannot answer "everything after since": deletions older than the
 * retention time were removed (`expired`), or since is beyond anything this store numbered
 * (`unknown`: e.g. a replica of another, since reset, data folder). Either way the caller takes
 * a new snapshot from since=0.
 */
export class ChangesUnavailableError extends Error {
  constructor(
    readonly reason: 'expired' | 'unknown',
    message: string,
  ) {
    super(message);
    this.name = 'ChangesUnavailableError';
  }
}

export interface ClientStore {
  /** One page of clients: filters, sort (default `name`), keyset cursor, total of the filtered set. */
  list(query: ListClientsQuery): Promise<ClientPage>;
  get(clientId: string): Promise<Client | null>;
  /**
   * The client with its secret hashes, or null; disabled clients are returned too (callers
   * decide). The result may be shared between calls: treat it as read-only.
   */
  getWithSecretHashes(clientId: string): Promise<ClientWithSecretHashes | null>;
  create(client: NewClient, actor: string): Promise<Client>;
  /** Many clients in one transaction (seeding, imports); each still gets its audit record. */
  insertMany(clients: readonly NewClient[], actor: string): Promise<void>;
  /** Replaces the settings when the stored version is `expectedVersion` (any version when null). */
  update(clientId: string, expectedVersion: number | null, settings: ClientSettings, actor: string): Promise<UpdateResult>;
  /** Replaces all secrets of a client with `secret` (a new version). */
  replaceSecret(clientId: string, secret: StoredSecret, actor: string): Promise<UpdateResult>;
  delete(clientId: string, expectedVersion: number | null, actor: string): Promise<DeleteResult>;
  count(): Promise<number>;
  /**
   * The change feed: clients changed and ids deleted after `since`, in changeSeq order, at most
   * `limit` entries in all (shared/client.ts ClientChanges). Throws ChangesUnavailableError.
   */
  changes(query: ClientChangesQuery): Promise<ClientChanges>;
  /** The newest changeSeq this store has handed out (0 before any change). */
  lastChangeSeq(): Promise<number>;
  /** Removes tombstones past the retention time (the periodic sweep calls it); returns how many. */
  purgeExpiredTombstones(): Promise<number>;
  /** Newest first. */
  auditLog(options?: { clientId?: string; limit?: number }): Promise<AuditEntry[]>;
}
