// The ClientStore on PostgreSQL (schema in postgres/migrations.ts), for several server processes
// on one database. Every write is one transaction that first locks the change feed (numbers in
// commit order, postgres/change-feed.ts), writes its audit record, and sends a NOTIFY that
// PostgreSQL delivers to every process at commit (postgres/notifications.ts): each process then
// forgets its cached client lookups and tells its events streams. A method is added as one
// `#write` (or a plain query) using the row encoding shared with SQLite (client-rows.ts).
import type pg from 'pg';
import { usesClientSecret } from '../../shared/client.ts';
import type { Client, ClientChanges, ClientChangesQuery, ClientPage, ClientSettings, ListClientsQuery } from '../../shared/client.ts';
import type { ChangeEvents } from '../change-events.ts';
import { TOMBSTONE_RETENTION_MS } from '../change-feed.ts';
import type { ChangeFeedOptions } from '../change-feed.ts';
import { changeableColumns, settingsDiff, toClient, toSecretMeta } from '../client-rows.ts';
import type { ClientRow, SecretRow } from '../client-rows.ts';
import type { AuditEntry, AuditLogQuery, ImportWrite, ImportWriteResult, ClientStore, ClientWithSecretHashes, DeleteResult, LastUse, NewClient, SecretChangeResult, SecretDecision, StoredSecret, UpdateResult } from '../client-store.ts';
import { LAST_USED_PUBLISH_MS } from '../secrets/last-used-policy.ts';
import { changesPage, lastSeq, lockForWrite, purgeExpiredTombstones, takeNumbers } from './change-feed.ts';
import { listClients } from './client-list.ts';
import { PgSearchIndex } from './search-index.ts';
import type { PgDatabase } from './database.ts';
import { insertClients } from './insert-clients.ts';
import { CHANGES_CHANNEL } from './notifications.ts';
import type { ChangeNotice } from './notifications.ts';

const AUTH_CACHE_SIZE = 1_000;

/**
 * A client's secrets as one JSON column (`secret_rows`, oldest first, never the hash): a page of
 * clients and their secrets is one statement and one round trip.
 */
const SECRETS_OF = `(SELECT json_agg(json_build_object('id', s.id, 'client_id', s.client_id, 'hint', s.hint, 'created_at', s.created_at,
  'expires_at', s.expires_at, 'retires_at', s.retires_at, 'last_used_at', s.last_used_at) ORDER BY s.created_at, s.id)
  FROM client_secrets s WHERE s.client_id = c.client_id) AS secret_rows`;

export interface PgClientStoreOptions {
  now?: () => Date;
  tombstones?: ChangeFeedOptions;
  changeEvents?: Pick<ChangeEvents, 'publish'>;
}

/** One write transaction: its connection and the newest number it took. */
interface Write {
  tx: pg.PoolClient;
  seq: number;
  /** Whether the token endpoint's cached lookups must be forgotten (false for last use only). */
  auth: boolean;
}

const INSERT_SQL = `INSERT INTO clients (client_id, name, description, kind, status, grant_types, grant_mask, response_types, redirect_uris,
  scopes, require_consent, token_endpoint_auth_method, jwks_uri, jwks, created_at, updated_at, version, change_seq, labels)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15, 1, $16, $17)`;

/** Carries an import's refusal out of its transaction (so that it rolls back). */
class ImportRollback extends Error {
  constructor(readonly result: ImportWriteResult) {
    super('import rolled back');
  }
}

export class PgClientStore implements ClientStore {
  readonly #db: PgDatabase;
  readonly #now: () => Date;
  readonly #retentionMs: number;
  readonly #tombstoneNow: () => Date;
  readonly #changeEvents: Pick<ChangeEvents, 'publish'> | undefined;
  readonly #searchIndex: PgSearchIndex;
  readonly #authCache = new Map<string, ClientWithSecretHashes | null>();
  /** Bumped at every invalidation: a lookup that overlapped one is not cached. */
  #generation = 0;
  /** change_feed.auth_seq when the cached lookups were read. */
  #cacheStamp = -1;

  constructor(db: PgDatabase, options: PgClientStoreOptions = {}) {
    this.#db = db;
    this.#now = options.now ?? (() => new Date());
    this.#retentionMs = options.tombstones?.retentionMs ?? TOMBSTONE_RETENTION_MS;
    this.#tombstoneNow = options.tombstones?.now ?? this.#now;
    this.#changeEvents = options.changeEvents;
    this.#searchIndex = new PgSearchIndex(db);
  }

  /** Fills the search index now, so that the first search does not wait for it. */
  warmSearchIndex(): void {
    this.#searchIndex.warm();
  }

  /** From the LISTEN connection: a change committed by any process (this one included). */
  noticeReceived(notice: ChangeNotice): void {
    if (notice.auth) this.#invalidate();
    if (notice.seq > 0) {
      this.#changeEvents?.publish(notice.seq);
      this.#searchIndex.nudge(notice.seq);
    }
  }

  /** The LISTEN connection is up (true) or lost (false): notices may have been missed, so forget. */
  setListening(_listening: boolean): void {
    this.#invalidate();
  }

  #invalidate(): void {
    this.#generation += 1;
    this.#authCache.clear();
  }

  /** Rows read with SECRETS_OF (their secrets as one JSON column) as resources. */
  #toClients(rows: (Omit<ClientRow, 'seq' | 'grant_mask'> & { secret_rows: SecretRow[] | null })[]): Client[] {
    const now = this.#now().toISOString();
    return rows.map((row) => toClient(row, (row.secret_rows ?? []).map((secret) => toSecretMeta(secret, now))));
  }

  async #read(clientId: string, tx?: pg.ClientBase, lock = false): Promise<Client | null> {
    // FOR UPDATE locks the client row only (the subquery's rows are read, not locked).
    const sql = `SELECT c.*, ${SECRETS_OF} FROM clients c WHERE c.client_id = $1${lock ? ' FOR UPDATE OF c' : ''}`;
    const { rows } = tx ? await tx.query<ClientRow & { secret_rows: SecretRow[] | null }>(sql, [clientId]) : await this.#db.query<ClientRow & { secret_rows: SecretRow[] | null }>(sql, [clientId]);
    return rows[0] ? this.#toClients(rows)[0]! : null;
  }

  async list(query: ListClientsQuery): Promise<ClientPage> {
    return listClients(this.#db, this.#searchIndex, query, SECRETS_OF, (rows) => this.#toClients(rows as (ClientRow & { secret_rows: SecretRow[] | null })[]));
  }

  async get(clientId: string): Promise<Client | null> {
    return this.#read(clientId);
  }

  async getWithSecretHashes(clientId: string): Promise<ClientWithSecretHashes | null> {
    // The token endpoint asks on every request. A cached answer is used only after one cheap
    // read confirms that no change the token endpoint cares about was committed since it was
    // cached (by any process): a client disabled through another process is refused on the
    // very next request, not when that process's NOTIFY happens to arrive. (The NOTIFY also
    // clears the cache, and feeds the events streams.)
    const stamp = (await this.#db.query<{ auth_seq: number }>('SELECT auth_seq FROM change_feed WHERE id = 1')).rows[0]!.auth_seq;
    if (stamp !== this.#cacheStamp) {
      this.#invalidate();
      this.#cacheStamp = stamp;
    }
    const cached = this.#authCache.get(clientId);
    if (cached !== undefined) return cached;
    const generation = this.#generation;
    const { rows } = await this.#db.query<ClientRow & { secrets: SecretRow[] | null }>(
      `SELECT c.*, (SELECT json_agg(s ORDER BY s.created_at, s.id) FROM client_secrets s WHERE s.client_id = c.client_id) AS secrets
       FROM clients c WHERE c.client_id = $1`,
      [clientId],
    );
    const row = rows[0];
    let found: ClientWithSecretHashes | null = null;
    if (row) {
      const secrets = row.secrets ?? [];
      const at = this.#now().toISOString();
      found = Object.freeze({
        client: toClient(row, secrets.map((secret) => toSecretMeta(secret, at))),
        secretHashes: secrets.map((secret) => secret.hash),
        secrets: secrets.map((secret) => Object.freeze({ id: secret.id, hash: secret.hash, expiresAt: secret.expires_at, retiresAt: secret.retires_at })),
      });
    }
    // Read at or after `stamp`: cached under it, unless an invalidation came in meanwhile.
    if (generation === this.#generation && stamp === this.#cacheStamp) {
      if (this.#authCache.size >= AUTH_CACHE_SIZE) this.#authCache.delete(this.#authCache.keys().next().value!);
      this.#authCache.set(clientId, found);
    }
    return found;
  }

  /**
   * One write transaction: locks the feed, runs `change`, and when it took a number sends the
   * NOTIFY (delivered at commit, to every process). Once committed, this process's own cache and
   * streams are told at once, without waiting for its own notice.
   */
  async #write<T>(change: (write: Write) => Promise<T>, options: { auth?: boolean } = {}): Promise<T> {
    const auth = options.auth ?? true;
    let seq = 0;
    try {
      const result = await this.#db.transaction(async (tx) => {
        await lockForWrite(tx);
        const write: Write = { tx, seq: 0, auth };
        const value = await change(write);
        if (write.seq > 0) {
          if (auth) await tx.query('UPDATE change_feed SET auth_seq = $1 WHERE id = 1', [write.seq]);
          const notice: ChangeNotice = { seq: write.seq, auth };
          await tx.query('SELECT pg_notify($1, $2)', [CHANGES_CHANNEL, JSON.stringify(notice)]);
        }
        seq = write.seq;
        return value;
      });
      if (seq > 0) this.noticeReceived({ seq, auth });
      return result;
    } finally {
      if (auth) this.#invalidate();
    }
  }

  async #take(write: Write, count = 1): Promise<number> {
    const first = await takeNumbers(write.tx, count);
    write.seq = first + count - 1;
    return first;
  }

  async #audit(write: Write, actor: string, action: AuditEntry['action'], clientId: string, changes: Record<string, unknown>, at: string): Promise<void> {
    await write.tx.query('INSERT INTO audit_log (at, actor, action, client_id, changes) VALUES ($1, $2, $3, $4, $5)', [at, actor, action, clientId, JSON.stringify(changes)]);
  }

  async #insertSecret(tx: pg.ClientBase, clientId: string, secret: StoredSecret): Promise<void> {
    await tx.query('INSERT INTO client_secrets (id, client_id, hash, hint, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)', [
      secret.id, clientId, secret.hash, secret.hint, secret.createdAt, secret.expiresAt,
    ]);
  }

  async #touch(write: Write, clientId: string, version: number, now: string): Promise<void> {
    await write.tx.query('UPDATE clients SET updated_at = $1, version = version + 1, change_seq = $2 WHERE client_id = $3 AND version = $4', [now, await this.#take(write), clientId, version]);
  }

  async create(client: NewClient, actor: string): Promise<Client> {
    const now = this.#now().toISOString();
    return this.#write(async (write) => {
      const { tx } = write;
      const { settings } = client;
      const c = changeableColumns(settings);
      const seq = await this.#take(write);
      await tx.query('DELETE FROM client_tombstones WHERE client_id = $1', [client.clientId]);
      await tx.query(INSERT_SQL, [client.clientId, c.name, c.description, settings.kind, c.status, c.grantTypes, c.grantMask, c.responseTypes, c.redirectUris,
        c.scopes, c.requireConsent, c.tokenEndpointAuthMethod, c.jwksUri, c.jwks, client.createdAt ?? now, seq, c.labels]);
      if (client.secret) await this.#insertSecret(tx, client.clientId, client.secret);
      await this.#audit(write, actor, 'client.create', client.clientId, { ...settings, secret: client.secret ? { id: client.secret.id, hint: client.secret.hint } : null }, now);
      return (await this.#read(client.clientId, tx))!;
    });
  }

  async insertMany(clients: readonly NewClient[], actor: string): Promise<void> {
    if (clients.length === 0) return;
    const now = this.#now().toISOString();
    await this.#write(async (write) => {
      const first = await this.#take(write, clients.length);
      await insertClients(write.tx, clients, first, actor, now);
    });
  }

  async update(clientId: string, expectedVersion: number | null, settings: ClientSettings, actor: string): Promise<UpdateResult> {
    const now = this.#now().toISOString();
    return this.#write((write) => this.#updateIn(write, clientId, expectedVersion, settings, actor, now));
  }

  async importClients(plan: ImportWrite, actor: string): Promise<ImportWriteResult> {
    const now = this.#now().toISOString();
    try {
      return await this.#write(async (write): Promise<ImportWriteResult> => {
        for (const update of plan.updates) {
          const result = await this.#updateIn(write, update.clientId, update.expectedVersion, update.settings, actor, now);
          // Throwing rolls the whole import back: one transaction, or nothing.
          if (!result.ok) throw new ImportRollback({ ok: false, clientId: update.clientId, reason: result.reason });
        }
        for (const client of plan.creates) {
          const exists = await write.tx.query('SELECT 1 FROM clients WHERE client_id = $1', [client.clientId]);
          if (exists.rowCount) throw new ImportRollback({ ok: false, clientId: client.clientId, reason: 'exists' });
        }
        if (plan.creates.length) await insertClients(write.tx, plan.creates, await this.#take(write, plan.creates.length), actor, now);
        return { ok: true };
      });
    } catch (error) {
      if (error instanceof ImportRollback) return error.result;
      throw error;
    }
  }

  async #updateIn(write: Write, clientId: string, expectedVersion: number | null, given: ClientSettings, actor: string, now: string): Promise<UpdateResult> {
    {
      const { tx } = write;
      const current = await this.#read(clientId, tx, true);
      if (!current) return { ok: false, reason: 'not_found' };
      if (expectedVersion !== null && current.version !== expectedVersion) return { ok: false, reason: 'version_mismatch', current };
      // Settings without labels (provisioning, repairs) keep the client's labels.
      const settings = given.labels === undefined ? { ...given, labels: current.labels } : given;
      const changes: Record<string, unknown> = settingsDiff(current, settings);
      if (Object.keys(changes).length === 0) return { ok: true, client: current };
      if (!usesClientSecret(settings.tokenEndpointAuthMethod) && current.secrets.length) {
        await tx.query('DELETE FROM client_secrets WHERE client_id = $1', [clientId]);
        changes.secrets = { from: current.secrets.map(({ id, hint }) => ({ id, hint })), to: [] };
      }
      const c = changeableColumns(settings);
      await tx.query(
        `UPDATE clients SET name = $1, description = $2, status = $3, grant_types = $4, grant_mask = $5, response_types = $6, redirect_uris = $7,
          scopes = $8, require_consent = $9, token_endpoint_auth_method = $10, jwks_uri = $11, jwks = $12, updated_at = $13, version = version + 1,
          change_seq = $14, labels = $17 WHERE client_id = $15 AND version = $16`,
        [c.name, c.description, c.status, c.grantTypes, c.grantMask, c.responseTypes, c.redirectUris, c.scopes, c.requireConsent, c.tokenEndpointAuthMethod,
          c.jwksUri, c.jwks, now, await this.#take(write), clientId, current.version, c.labels],
      );
      await this.#audit(write, actor, 'client.update', clientId, changes, now);
      return { ok: true, client: (await this.#read(clientId, tx))! };
    }
  }

  async replaceSecret(clientId: string, secret: StoredSecret, actor: string): Promise<UpdateResult> {
    const now = this.#now().toISOString();
    return this.#write(async (write): Promise<UpdateResult> => {
      const { tx } = write;
      const current = await this.#read(clientId, tx, true);
      if (!current) return { ok: false, reason: 'not_found' };
      await tx.query('DELETE FROM client_secrets WHERE client_id = $1', [clientId]);
      await this.#insertSecret(tx, clientId, secret);
      await this.#touch(write, clientId, current.version, now);
      await this.#audit(write, actor, 'client.secret.replace', clientId, { secrets: { from: current.secrets.map(({ id, hint }) => ({ id, hint })), to: [{ id: secret.id, hint: secret.hint }] } }, now);
      return { ok: true, client: (await this.#read(clientId, tx))! };
    });
  }

  async changeSecrets(clientId: string, expectedVersion: number | null, decide: (current: Client, now: string) => SecretDecision, actor: string): Promise<SecretChangeResult> {
    const now = this.#now().toISOString();
    return this.#write(async (write): Promise<SecretChangeResult> => {
      const { tx } = write;
      const current = await this.#read(clientId, tx, true);
      if (!current) return { ok: false, reason: 'not_found' };
      if (expectedVersion !== null && current.version !== expectedVersion) return { ok: false, reason: 'version_mismatch', current };
      const decision = decide(current, now);
      if (!decision.ok) return { ok: false, reason: 'refused', refusal: decision.refusal };
      const { plan } = decision;
      if (plan === null) return { ok: true, client: current };
      for (const id of plan.drop) await tx.query('DELETE FROM client_secrets WHERE id = $1 AND client_id = $2', [id, clientId]);
      for (const { id, at } of plan.retire) {
        // An earlier retirement already set stays: a second rotation never extends an overlap.
        await tx.query('UPDATE client_secrets SET retires_at = CASE WHEN retires_at IS NULL OR retires_at > $1 THEN $1 ELSE retires_at END WHERE id = $2 AND client_id = $3', [at, id, clientId]);
      }
      if (plan.add) await this.#insertSecret(tx, clientId, plan.add);
      await this.#touch(write, clientId, current.version, now);
      await this.#audit(write, actor, plan.action, clientId, plan.audit, now);
      return { ok: true, client: (await this.#read(clientId, tx))! };
    });
  }

  async recordLastUse(uses: readonly LastUse[]): Promise<void> {
    if (uses.length === 0) return;
    // Nothing the token endpoint checks changed: cached lookups stay (auth: false).
    await this.#write(async (write) => {
      const { tx } = write;
      const toPublish: LastUse[] = [];
      for (const use of uses) {
        const { rows } = await tx.query<{ last_used_published_at: string | null }>(
          'UPDATE clients SET last_used_at = $1 WHERE client_id = $2 AND (last_used_at IS NULL OR last_used_at < $1) RETURNING last_used_published_at',
          [use.at, use.clientId],
        );
        if (use.secretId !== null) {
          await tx.query('UPDATE client_secrets SET last_used_at = $1 WHERE id = $2 AND client_id = $3 AND (last_used_at IS NULL OR last_used_at < $1)', [use.at, use.secretId, use.clientId]);
        }
        if (rows.length === 0) continue;
        const published = rows[0]!.last_used_published_at;
        if (published === null || Date.parse(use.at) - Date.parse(published) >= LAST_USED_PUBLISH_MS) toPublish.push(use);
      }
      if (toPublish.length === 0) return;
      const first = await this.#take(write, toPublish.length);
      for (const [index, use] of toPublish.entries()) {
        await tx.query('UPDATE clients SET change_seq = $1, last_used_published_at = $2 WHERE client_id = $3', [first + index, use.at, use.clientId]);
      }
    }, { auth: false });
  }

  async delete(clientId: string, expectedVersion: number | null, actor: string): Promise<DeleteResult> {
    const now = this.#now().toISOString();
    return this.#write(async (write): Promise<DeleteResult> => {
      const { tx } = write;
      const current = await this.#read(clientId, tx, true);
      if (!current) return { ok: false, reason: 'not_found' };
      if (expectedVersion !== null && current.version !== expectedVersion) return { ok: false, reason: 'version_mismatch', current };
      await tx.query('DELETE FROM clients WHERE client_id = $1 AND version = $2', [clientId, current.version]);
      await tx.query(
        `INSERT INTO client_tombstones (client_id, change_seq, deleted_at) VALUES ($1, $2, $3)
         ON CONFLICT (client_id) DO UPDATE SET change_seq = excluded.change_seq, deleted_at = excluded.deleted_at`,
        [clientId, await this.#take(write), this.#tombstoneNow().toISOString()],
      );
      const { secrets, ...rest } = current;
      await this.#audit(write, actor, 'client.delete', clientId, { ...rest, secrets: secrets.map(({ id, hint }) => ({ id, hint })) }, now);
      return { ok: true, client: current };
    });
  }

  async count(): Promise<number> {
    return (await this.#db.query<{ n: number }>("SELECT coalesce((SELECT n FROM client_counts WHERE filter = 'all'), 0)::bigint AS n")).rows[0]!.n;
  }

  async changes(query: ClientChangesQuery): Promise<ClientChanges> {
    return changesPage(this.#db, query.since, query.limit, this.#retentionMs, SECRETS_OF, (rows) => this.#toClients(rows as (ClientRow & { secret_rows: SecretRow[] | null })[]));
  }

  async lastChangeSeq(): Promise<number> {
    return lastSeq(this.#db);
  }

  async purgeExpiredTombstones(): Promise<number> {
    return purgeExpiredTombstones(this.#db, new Date(this.#tombstoneNow().getTime() - this.#retentionMs).toISOString());
  }

  async auditLog(options: AuditLogQuery = {}): Promise<AuditEntry[]> {
    const conditions: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      conditions.push(sql.replace('?', `$${params.length}`));
    };
    if (options.clientId !== undefined) add('client_id = ?', options.clientId);
    if (options.before !== undefined) add('id < ?', options.before);
    if (options.since !== undefined) add('at >= ?', options.since);
    if (options.actor !== undefined) add('actor = ?', options.actor);
    if (options.action !== undefined) add('action = ?', options.action);
    params.push(options.limit ?? 100);
    const { rows } = await this.#db.query(`SELECT * FROM audit_log ${conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''} ORDER BY id DESC LIMIT $${params.length}`, params);
    return (rows as { id: number; at: string; actor: string; action: AuditEntry['action']; client_id: string | null; changes: string }[])
      .map((row) => ({ id: row.id, at: row.at, actor: row.actor, action: row.action, clientId: row.client_id, changes: JSON.parse(row.changes) as Record<string, unknown> }));
  }
}
