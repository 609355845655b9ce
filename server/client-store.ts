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

/** What the token endpoint needs of one secret to decide, at the moment of the request, whether it counts. */
export interface SecretCheck {
  id: string;
  hash: string;
  expiresAt: string | null;
  retiresAt: string | null;
}

/** A client with its secrets' hashes: what the token endpoint checks against. */
export interface ClientWithSecretHashes {
  client: Client;
  /** Every stored hash, whatever its status (provisioning compares a configured secret with them). */
  secretHashes: string[];
  secrets: SecretCheck[];
}

/** A refusal a secret change decides on inside the write's transaction (answered as a problem document). */
export interface SecretRefusal {
  status: number;
  type: string;
  title: string;
  detail: string;
  extra?: Record<string, unknown>;
}

/** What one secret change does, in one transaction with a new version and change number. */
export interface SecretPlan {
  add: StoredSecret | null;
  /** Secrets to stop at `at` (an earlier retirement already set is kept). */
  retire: { id: string; at: string }[];
  /** Secrets removed from the client (retired or expired ones, to make room). */
  drop: string[];
  action: 'client.secret.create' | 'client.secret.retire';
  audit: Record<string, unknown>;
}

/** `plan: null`: nothing to change (no write, no new version). */
export type SecretDecision = { ok: true; plan: SecretPlan | null } | { ok: false; refusal: SecretRefusal };

export type SecretChangeResult = UpdateResult | { ok: false; reason: 'refused'; refusal: SecretRefusal };

/** One client's latest token, with the secret it authenticated with (null for other methods). */
export interface LastUse {
  clientId: string;
  secretId: string | null;
  at: string;
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
  action: 'client.create' | 'client.update' | 'client.delete' | 'client.secret.replace' | SecretPlan['action'];
  clientId: string | null;
  /** For updates: `{field: {from, to}}`; for creates: the settings; for deletes: the removed client. */
  changes: Record<string, unknown>;
}

/** An import's writes (issue 11): all of them in one transaction, or none. */
export interface ImportWrite {
  creates: NewClient[];
  updates: { clientId: string; expectedVersion: number; settings: ClientSettings }[];
}

/** `ok: false`: nothing was written; the client that stopped it and why. */
export type ImportWriteResult = { ok: true } | { ok: false; clientId: string; reason: 'not_found' | 'version_mismatch' | 'exists' };

export interface AuditLogQuery {
  clientId?: string;
  limit?: number;
  /** Only records with a smaller id (the keyset cursor of a history page). */
  before?: number;
  /** Only records at or after this ISO time. */
  since?: string;
  /** Only records by this actor (`user:<name>`, `client:<id>`, `system:<what>`). */
  actor?: string;
  action?: AuditEntry['action'];
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
  /**
   * A change to a client's secrets (rotate, retire): `decide` sees the client as stored, with
   * statuses for `now`, inside the transaction, and either plans the change or refuses it.
   */
  changeSecrets(clientId: string, expectedVersion: number | null, decide: (current: Client, now: string) => SecretDecision, actor: string): Promise<SecretChangeResult>;
  /**
   * Writes last-used times (one batch, one transaction; server/secrets/last-used.ts calls it at
   * most once a minute per client). A client re-enters the change feed only when its last use
   * moved on by LAST_USED_PUBLISH_MS since the feed last carried it (or on its first use); its
   * version and updatedAt do not change and no audit record is written: it is not an edit.
   */
  recordLastUse(uses: readonly LastUse[]): Promise<void>;
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
  /**
   * Issue 11: creates and updates of an import in one transaction, each with its own audit record
   * and change number; a create whose id exists or an update whose version moved writes nothing.
   */
  importClients(plan: ImportWrite, actor: string): Promise<ImportWriteResult>;
  /** Newest first; every filter is optional (issue 11 added before, since, actor, action). */
  auditLog(options?: AuditLogQuery): Promise<AuditEntry[]>;
}
