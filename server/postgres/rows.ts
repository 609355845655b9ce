// The smaller kinds of stored data on PostgreSQL: users, the provider's models (hashed ids and
// sealed payloads, exactly as on SQLite: oidc-adapter.ts does the hashing and sealing), named
// values, and the signing and cookie keys.
import type { ModelRow, ModelRows } from '../oidc-adapter.ts';
import type { MetaStore } from '../backend.ts';
import { generateServerKey } from '../server-keys.ts';
import type { ServerKeys } from '../server-keys.ts';
import type { User, UserRows } from '../user-store.ts';
import type { PgDatabase } from './database.ts';
import { LOCKS } from './migrations.ts';

export function pgUserRows(db: PgDatabase): UserRows {
  return {
    async find(username) {
      const { rows } = await db.query<User & { password_hash: string }>('SELECT username, name, role, password_hash FROM users WHERE username = $1', [username]);
      return rows[0] ?? null;
    },
    async insert(user, hash, at) {
      await db.query('INSERT INTO users (username, name, role, password_hash, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5)', [user.username, user.name, user.role, hash, at]);
    },
    async setHash(username, hash, at) {
      await db.query('UPDATE users SET password_hash = $1, updated_at = $2 WHERE username = $3', [hash, at, username]);
    },
  };
}

export function pgModelRows(db: PgDatabase): ModelRows {
  const one = async (sql: string, values: unknown[]) => (await db.query<ModelRow>(sql, values)).rows[0];
  return {
    async upsert(row) {
      await db.query(
        `INSERT INTO oidc_models (model, id, payload, expires_at, grant_id, uid, user_code, consumed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, NULL)
         ON CONFLICT (model, id) DO UPDATE SET payload = excluded.payload, expires_at = excluded.expires_at,
           grant_id = excluded.grant_id, uid = excluded.uid, user_code = excluded.user_code`,
        [row.model, row.id, row.payload, row.expiresAt, row.grantId, row.uid, row.userCode],
      );
    },
    find: (model, id) => one('SELECT payload, expires_at, consumed_at FROM oidc_models WHERE model = $1 AND id = $2', [model, id]),
    findByUid: (model, uid) => one('SELECT payload, expires_at, consumed_at FROM oidc_models WHERE model = $1 AND uid = $2', [model, uid]),
    findByUserCode: (model, code) => one('SELECT payload, expires_at, consumed_at FROM oidc_models WHERE model = $1 AND user_code = $2', [model, code]),
    async consume(model, id, at) {
      await db.query('UPDATE oidc_models SET consumed_at = $1 WHERE model = $2 AND id = $3', [at, model, id]);
    },
    async destroy(model, id) {
      await db.query('DELETE FROM oidc_models WHERE model = $1 AND id = $2', [model, id]);
    },
    async revokeByGrantId(grantId) {
      await db.query('DELETE FROM oidc_models WHERE grant_id = $1', [grantId]);
    },
    async deleteExpired(now) {
      return (await db.query('DELETE FROM oidc_models WHERE expires_at IS NOT NULL AND expires_at <= $1', [now])).rowCount ?? 0;
    },
  };
}

export function pgMeta(db: PgDatabase): MetaStore {
  return {
    async get(key) {
      return (await db.query<{ value: string }>('SELECT value FROM meta WHERE key = $1', [key])).rows[0]?.value;
    },
    async set(key, value) {
      await db.query('INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [key, value]);
    },
  };
}

/**
 * Loads the keys; the first process to find one missing creates it, under a transaction-level
 * advisory lock, so processes starting at the same moment all end up with the same keys.
 */
export async function pgLoadOrCreateKeys(db: PgDatabase, now: () => Date = () => new Date()): Promise<ServerKeys> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [LOCKS.keys]);
    const values = new Map<string, string>();
    for (const row of (await tx.query<{ name: string; value: string }>("SELECT name, value FROM server_keys WHERE name IN ('jwks', 'cookie_keys')")).rows) values.set(row.name, row.value);
    for (const name of ['jwks', 'cookie_keys'] as const) {
      if (values.has(name)) continue;
      const value = generateServerKey(name);
      await tx.query('INSERT INTO server_keys (name, value, created_at) VALUES ($1, $2, $3)', [name, value, now().toISOString()]);
      values.set(name, value);
    }
    return { jwks: JSON.parse(values.get('jwks')!) as ServerKeys['jwks'], cookieKeys: JSON.parse(values.get('cookie_keys')!) as string[] };
  });
}
