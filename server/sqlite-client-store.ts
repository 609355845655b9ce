// The ClientStore on the embedded SQLite database (schema in database.ts): writes in
// transactions with their audit record and change number, the token endpoint's cached lookups,
// the change feed (change-feed.ts), listing (client-list.ts) and the secret rows (secrets/).
import type Database from 'better-sqlite3';
import { usesClientSecret } from '../shared/client.ts';
import { ClientList } from './client-list.ts';
import { SECRET_META_COLUMNS, changeableColumns, settingsDiff, toClient, toSecretMeta } from './client-rows.ts';
import type { ClientRow, SecretRow } from './client-rows.ts';
import type { Client, ClientChanges, ClientChangesQuery, ClientPage, ClientSettings, ListClientsQuery, SecretMeta } from '../shared/client.ts';
import { ChangeFeed } from './change-feed.ts';
import type { ChangeFeedOptions } from './change-feed.ts';
import type { ChangeEvents } from './change-events.ts';
import type { AuditEntry, AuditLogQuery, ClientStore, ImportWrite, ImportWriteResult, ClientWithSecretHashes, DeleteResult, LastUse, NewClient, SecretChangeResult, SecretDecision, StoredSecret, UpdateResult } from './client-store.ts';
import type { Db } from './database.ts';
import { SecretRows } from './secrets/secret-rows.ts';

const AUTH_CACHE_SIZE = 1_000;

/** Carries an import's refusal out of its transaction (so that it rolls back). */
class ImportRollback extends Error {
  constructor(readonly result: ImportWriteResult) {
    super('import rolled back');
  }
}
const AUTH_CACHE_RECHECK_MS = 1_000;

export interface SqliteClientStoreOptions {
  /** The clock for timestamps and the authentication cache. Default: the system clock. */
  now?: () => Date;
  /** Tombstone retention and its clock (default 30 days, the store's clock). */
  tombstones?: ChangeFeedOptions;
  /** Told the newest changeSeq after each committed write (GET /api/v1/events). */
  changeEvents?: Pick<ChangeEvents, 'publish'>;
}

export class SqliteClientStore implements ClientStore {
  readonly #db: Db;
  readonly #now: () => Date;
  readonly #list: ClientList;
  /** Clients recently read for authentication (null: no such client), by id; insertion order = age. */
  readonly #authCache = new Map<string, ClientWithSecretHashes | null>();
  #authCacheCheckedAt = 0;
  #authCacheDataVersion = -1;
  readonly #statements: {
    byId: Database.Statement<[string], ClientRow>;
    dataVersion: Database.Statement;
    secretsOf: Database.Statement<[string], SecretRow>;
    insert: Database.Statement;
    insertSecret: Database.Statement;
    deleteSecrets: Database.Statement;
    update: Database.Statement;
    touch: Database.Statement;
    delete: Database.Statement;
    audit: Database.Statement;
    countAll: Database.Statement<[], { n: number }>;
  };

  readonly #feed: ChangeFeed;
  readonly #secrets: SecretRows;
  readonly #changeEvents: Pick<ChangeEvents, 'publish'> | undefined;

  constructor(db: Db, options: SqliteClientStoreOptions = {}) {
    this.#db = db;
    this.#now = options.now ?? (() => new Date());
    this.#feed = new ChangeFeed(db, { now: this.#now, ...options.tombstones });
    this.#changeEvents = options.changeEvents;
    this.#secrets = new SecretRows(db);
    this.#list = new ClientList(db);
    this.#statements = {
      byId: db.prepare('SELECT * FROM clients WHERE client_id = ?'),
      dataVersion: db.prepare('PRAGMA data_version').pluck(),
      secretsOf: db.prepare('SELECT * FROM client_secrets WHERE client_id = ? ORDER BY created_at, id'),
      insert: db.prepare(`INSERT INTO clients (client_id, name, description, kind, status, grant_types, grant_mask, response_types, redirect_uris,
        scopes, require_consent, token_endpoint_auth_method, jwks_uri, jwks, labels, created_at, updated_at, version, change_seq)
        VALUES (@clientId, @name, @description, @kind, @status, @grantTypes, @grantMask, @responseTypes, @redirectUris,
        @scopes, @requireConsent, @tokenEndpointAuthMethod, @jwksUri, @jwks, @labels, @createdAt, @updatedAt, 1, @changeSeq)`),
      insertSecret: db.prepare('INSERT INTO client_secrets (id, client_id, hash, hint, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)'),
      deleteSecrets: db.prepare('DELETE FROM client_secrets WHERE client_id = ?'),
      update: db.prepare(`UPDATE clients SET name = @name, description = @description, status = @status, grant_types = @grantTypes,
        grant_mask = @grantMask, response_types = @responseTypes, redirect_uris = @redirectUris, scopes = @scopes, require_consent = @requireConsent,
        token_endpoint_auth_method = @tokenEndpointAuthMethod, jwks_uri = @jwksUri, jwks = @jwks, labels = @labels, updated_at = @updatedAt, version = version + 1, change_seq = @changeSeq
        WHERE client_id = @clientId AND version = @version`),
      touch: db.prepare('UPDATE clients SET updated_at = ?, version = version + 1, change_seq = ? WHERE client_id = ? AND version = ?'),
      delete: db.prepare('DELETE FROM clients WHERE client_id = ? AND version = ?'),
      audit: db.prepare('INSERT INTO audit_log (at, actor, action, client_id, changes) VALUES (?, ?, ?, ?, ?)'),
      countAll: db.prepare('SELECT count(*) AS n FROM clients'),
    };
  }

  async list(query: ListClientsQuery): Promise<ClientPage> {
    return this.#list.page(query, (rows) => this.#withSecrets(rows));
  }

  #withSecrets(rows: ClientRow[]): Client[] {
    if (rows.length === 0) return [];
    const ids = rows.map((row) => row.client_id);
    const secretRows = this
      .#list.prepare(`SELECT ${SECRET_META_COLUMNS} FROM client_secrets WHERE client_id IN (${ids.map(() => '?').join(',')}) ORDER BY created_at, id`)
      .all(...ids) as SecretRow[];
    const byClient = new Map<string, SecretMeta[]>();
    const now = this.#now().toISOString();
    for (const secret of secretRows) {
      const list = byClient.get(secret.client_id) ?? [];
      list.push(toSecretMeta(secret, now));
      byClient.set(secret.client_id, list);
    }
    return rows.map((row) => toClient(row, byClient.get(row.client_id) ?? []));
  }

  #getSync(clientId: string): Client | null {
    const row = this.#statements.byId.get(clientId);
    if (!row) return null;
    const now = this.#now().toISOString();
    return toClient(row, this.#statements.secretsOf.all(clientId).map((secret) => toSecretMeta(secret, now)));
  }

  async get(clientId: string): Promise<Client | null> {
    return this.#getSync(clientId);
  }

  async getWithSecretHashes(clientId: string): Promise<ClientWithSecretHashes | null> {
    // The token endpoint asks on every request, so answers are cached. Every write through this
    // store clears the cache at once; a write by another connection to the same file (another
    // process) is noticed through SQLite's data_version within a second.
    const now = this.#now().getTime();
    if (now - this.#authCacheCheckedAt >= AUTH_CACHE_RECHECK_MS) {
      this.#authCacheCheckedAt = now;
      const dataVersion = this.#statements.dataVersion.get() as number;
      if (dataVersion !== this.#authCacheDataVersion) {
        this.#authCacheDataVersion = dataVersion;
        this.#authCache.clear();
      }
    }
    const cached = this.#authCache.get(clientId);
    if (cached !== undefined) return cached;
    const row = this.#statements.byId.get(clientId);
    let found: ClientWithSecretHashes | null = null;
    if (row) {
      const secrets = this.#statements.secretsOf.all(clientId);
      // The statuses in `client` are those of the moment it was cached; the token endpoint decides from `secrets`.
      const at = new Date(now).toISOString();
      found = Object.freeze({
        client: toClient(row, secrets.map((secret) => toSecretMeta(secret, at))),
        secretHashes: secrets.map((secret) => secret.hash),
        secrets: secrets.map((secret) => Object.freeze({ id: secret.id, hash: secret.hash, expiresAt: secret.expires_at, retiresAt: secret.retires_at })),
      });
    }
    if (this.#authCache.size >= AUTH_CACHE_SIZE) this.#authCache.delete(this.#authCache.keys().next().value!);
    this.#authCache.set(clientId, found);
    return found;
  }

  /**
   * Runs a write in a transaction and forgets cached authentication data; once it has committed,
   * announces the newest change number it took (a write that changed nothing took none).
   */
  #write<T>(change: () => T, options: { keepAuthCache?: boolean } = {}): T {
    let result: T;
    try {
      result = this.#db.transaction(change)();
    } catch (error) {
      this.#feed.rolledBack();
      throw error;
    } finally {
      if (!options.keepAuthCache) this.#authCache.clear();
    }
    const seq = this.#feed.committed();
    if (seq > 0) this.#changeEvents?.publish(seq);
    return result;
  }

  #audit(actor: string, action: AuditEntry['action'], clientId: string, changes: Record<string, unknown>, at: string): void {
    this.#statements.audit.run(at, actor, action, clientId, JSON.stringify(changes));
  }

  #insertSync(client: NewClient, actor: string, now: string, changeSeq: number): void {
    const { settings } = client;
    const createdAt = client.createdAt ?? now;
    // An id deleted earlier and created again is a client again, not a deletion.
    this.#feed.forgetTombstone(client.clientId);
    this.#statements.insert.run({
      changeSeq,
      clientId: client.clientId,
      ...changeableColumns(settings),
      kind: settings.kind,
      createdAt,
      updatedAt: createdAt,
    });
    if (client.secret) {
      const { id, hash, hint, createdAt: secretCreatedAt, expiresAt } = client.secret;
      this.#statements.insertSecret.run(id, client.clientId, hash, hint, secretCreatedAt, expiresAt);
    }
    // The audit record names the secret by id and hint only.
    this.#audit(actor, 'client.create', client.clientId, { ...settings, secret: client.secret ? { id: client.secret.id, hint: client.secret.hint } : null }, now);
  }

  async create(client: NewClient, actor: string): Promise<Client> {
    const now = this.#now().toISOString();
    return this.#write(() => {
      this.#insertSync(client, actor, now, this.#feed.take());
      return this.#getSync(client.clientId)!;
    });
  }

  async insertMany(clients: readonly NewClient[], actor: string): Promise<void> {
    const now = this.#now().toISOString();
    if (clients.length === 0) return;
    this.#write(() => {
      // One counter update for the batch; each client still gets its own number, in order.
      const first = this.#feed.take(clients.length);
      clients.forEach((client, index) => this.#insertSync(client, actor, now, first + index));
    });
  }

  async update(clientId: string, expectedVersion: number | null, settings: ClientSettings, actor: string): Promise<UpdateResult> {
    const now = this.#now().toISOString();
    return this.#write((): UpdateResult => this.#updateSync(clientId, expectedVersion, settings, actor, now));
  }

  #updateSync(clientId: string, expectedVersion: number | null, given: ClientSettings, actor: string, now: string): UpdateResult {
    const current = this.#getSync(clientId);
    if (!current) return { ok: false, reason: 'not_found' };
    if (expectedVersion !== null && current.version !== expectedVersion) return { ok: false, reason: 'version_mismatch', current };
    // Settings without labels (provisioning, repairs) keep the client's labels.
    const settings = given.labels === undefined ? { ...given, labels: current.labels } : given;
    const changes: Record<string, unknown> = settingsDiff(current, settings);
    if (Object.keys(changes).length === 0) return { ok: true, client: current };
    // A client that no longer authenticates with a secret keeps none (shared/client.ts, UpdateClientInputSchema).
    if (!usesClientSecret(settings.tokenEndpointAuthMethod) && current.secrets.length) {
      this.#statements.deleteSecrets.run(clientId);
      changes.secrets = { from: current.secrets.map(({ id, hint }) => ({ id, hint })), to: [] };
    }
    this.#statements.update.run({
      clientId,
      version: current.version,
      ...changeableColumns(settings),
      updatedAt: now,
      changeSeq: this.#feed.take(),
    });
    this.#audit(actor, 'client.update', clientId, changes, now);
    return { ok: true, client: this.#getSync(clientId)! };
  }

  async importClients(plan: ImportWrite, actor: string): Promise<ImportWriteResult> {
    const now = this.#now().toISOString();
    try {
      return this.#write((): ImportWriteResult => {
        for (const update of plan.updates) {
          const result = this.#updateSync(update.clientId, update.expectedVersion, update.settings, actor, now);
          // Throwing rolls the whole import back: one transaction, or nothing.
          if (!result.ok) throw new ImportRollback({ ok: false, clientId: update.clientId, reason: result.reason });
        }
        for (const client of plan.creates) {
          if (this.#statements.byId.get(client.clientId)) throw new ImportRollback({ ok: false, clientId: client.clientId, reason: 'exists' });
          this.#insertSync(client, actor, now, this.#feed.take());
        }
        return { ok: true };
      });
    } catch (error) {
      if (error instanceof ImportRollback) return error.result;
      throw error;
    }
  }

  async replaceSecret(clientId: string, secret: StoredSecret, actor: string): Promise<UpdateResult> {
    const now = this.#now().toISOString();
    return this.#write((): UpdateResult => {
      const current = this.#getSync(clientId);
      if (!current) return { ok: false, reason: 'not_found' };
      this.#statements.deleteSecrets.run(clientId);
      this.#statements.insertSecret.run(secret.id, clientId, secret.hash, secret.hint, secret.createdAt, secret.expiresAt);
      this.#statements.touch.run(now, this.#feed.take(), clientId, current.version);
      this.#audit(actor, 'client.secret.replace', clientId, { secrets: { from: current.secrets.map(({ id, hint }) => ({ id, hint })), to: [{ id: secret.id, hint: secret.hint }] } }, now);
      return { ok: true, client: this.#getSync(clientId)! };
    });
  }

  async changeSecrets(clientId: string, expectedVersion: number | null, decide: (current: Client, now: string) => SecretDecision, actor: string): Promise<SecretChangeResult> {
    const now = this.#now().toISOString();
    return this.#write((): SecretChangeResult => {
      const current = this.#getSync(clientId);
      if (!current) return { ok: false, reason: 'not_found' };
      if (expectedVersion !== null && current.version !== expectedVersion) return { ok: false, reason: 'version_mismatch', current };
      const decision = decide(current, now);
      if (!decision.ok) return { ok: false, reason: 'refused', refusal: decision.refusal };
      const { plan } = decision;
      if (plan === null) return { ok: true, client: current };
      this.#secrets.apply(clientId, plan);
      this.#statements.touch.run(now, this.#feed.take(), clientId, current.version);
      this.#audit(actor, plan.action, clientId, plan.audit, now);
      return { ok: true, client: this.#getSync(clientId)! };
    });
  }

  async recordLastUse(uses: readonly LastUse[]): Promise<void> {
    if (uses.length === 0) return;
    // Nothing the token endpoint checks changed: the authentication cache stays.
    this.#write(() => this.#secrets.recordLastUse(uses, (count) => this.#feed.take(count)), { keepAuthCache: true });
  }

  async delete(clientId: string, expectedVersion: number | null, actor: string): Promise<DeleteResult> {
    const now = this.#now().toISOString();
    return this.#write((): DeleteResult => {
      const current = this.#getSync(clientId);
      if (!current) return { ok: false, reason: 'not_found' };
      if (expectedVersion !== null && current.version !== expectedVersion) return { ok: false, reason: 'version_mismatch', current };
      this.#statements.delete.run(clientId, current.version);
      this.#feed.recordDelete(clientId, this.#feed.take());
      const { secrets, ...rest } = current;
      this.#audit(actor, 'client.delete', clientId, { ...rest, secrets: secrets.map(({ id, hint }) => ({ id, hint })) }, now);
      return { ok: true, client: current };
    });
  }

  async count(): Promise<number> {
    return this.#statements.countAll.get()!.n;
  }

  async changes(query: ClientChangesQuery): Promise<ClientChanges> {
    return this.#feed.page(query.since, query.limit);
  }

  async lastChangeSeq(): Promise<number> {
    return this.#feed.lastSeq();
  }

  async purgeExpiredTombstones(): Promise<number> {
    return this.#feed.purgeExpired();
  }

  async auditLog(options: AuditLogQuery = {}): Promise<AuditEntry[]> {
    const limit = options.limit ?? 100;
    const conditions: string[] = [];
    const params: unknown[] = [];
    if (options.clientId !== undefined) {
      conditions.push('client_id = ?');
      params.push(options.clientId);
    }
    if (options.before !== undefined) {
      conditions.push('id < ?');
      params.push(options.before);
    }
    if (options.since !== undefined) {
      conditions.push('at >= ?');
      params.push(options.since);
    }
    if (options.actor !== undefined) {
      conditions.push('actor = ?');
      params.push(options.actor);
    }
    if (options.action !== undefined) {
      conditions.push('action = ?');
      params.push(options.action);
    }
    const where = conditions.length ? `WHERE ${conditions.join(' AND ')}` : '';
    const rows = this.#list.prepare(`SELECT * FROM audit_log ${where} ORDER BY id DESC LIMIT ?`).all(...params, limit) as {
      id: number;
      at: string;
      actor: string;
      action: AuditEntry['action'];
      client_id: string | null;
      changes: string;
    }[];
    return rows.map((row) => ({ id: row.id, at: row.at, actor: row.actor, action: row.action, clientId: row.client_id, changes: JSON.parse(row.changes) as Record<string, unknown> }));
  }
}
