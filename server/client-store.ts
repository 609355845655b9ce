// What the server needs from wherever clients are kept. The embedded SQLite store implements it
// (sqlite-client-store.ts); a PostgreSQL store for scale-out would implement the same methods.
// Every method is async so that a networked store fits; every change writes its audit record in
// the same transaction as the change.
import type { Client, ClientPage, ClientSettings, ListClientsQuery, SecretMeta } from '../shared/client.ts';

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
  /** Newest first. */
  auditLog(options?: { clientId?: string; limit?: number }): Promise<AuditEntry[]>;
}
