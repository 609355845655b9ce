// The PostgreSQL schema as numbered migrations (the SQLite schema's twin, database.ts). Each runs
// once, in its own transaction, recorded in schema_migrations; `migrate` holds an advisory lock
// while it runs, so two processes starting together apply each migration once (the second waits,
// then finds nothing to do). Add a migration by appending to the list; never edit a released one.
//
// Text is `COLLATE "C"` (byte order, ASCII-only case folding in lower()), so sorting and the
// case-insensitive name order are the same as on SQLite whatever locale the database has.
import type pg from 'pg';

export const MIGRATIONS: readonly { name: string; sql: string }[] = [
  {
    name: 'initial schema',
    sql: `
    CREATE EXTENSION IF NOT EXISTS pg_trgm;

    CREATE TABLE meta (
      key text COLLATE "C" PRIMARY KEY,
      value text NOT NULL
    );

    CREATE TABLE clients (
      seq bigserial PRIMARY KEY,
      client_id text COLLATE "C" NOT NULL UNIQUE,
      name text COLLATE "C" NOT NULL,
      description text NOT NULL,
      kind text COLLATE "C" NOT NULL,
      status text COLLATE "C" NOT NULL,
      grant_types text NOT NULL,
      grant_mask integer NOT NULL,
      response_types text NOT NULL,
      redirect_uris text NOT NULL,
      scopes text NOT NULL,
      require_consent integer NOT NULL,
      token_endpoint_auth_method text NOT NULL,
      jwks_uri text,
      jwks text,
      last_used_at text COLLATE "C",
      last_used_published_at text COLLATE "C",
      created_at text COLLATE "C" NOT NULL,
      updated_at text COLLATE "C" NOT NULL,
      version integer NOT NULL,
      change_seq bigint NOT NULL UNIQUE
    );
    -- One index per sort key ending in client_id: keyset pagination walks them in order.
    CREATE INDEX clients_by_name ON clients (lower(name), client_id);
    CREATE INDEX clients_by_created ON clients (created_at, client_id);
    CREATE INDEX clients_by_updated ON clients (updated_at, client_id);
    CREATE INDEX clients_by_status ON clients (status, client_id);
    CREATE INDEX clients_by_kind ON clients (kind, client_id);
    -- Case-insensitive "contains" search on name and client id (q).
    CREATE INDEX clients_search_name ON clients USING gin (lower(name) gin_trgm_ops);
    CREATE INDEX clients_search_id ON clients USING gin (lower(client_id) gin_trgm_ops);

    -- Only SHA-256 hashes of secrets; the secret itself is never stored.
    CREATE TABLE client_secrets (
      id text COLLATE "C" PRIMARY KEY,
      client_id text COLLATE "C" NOT NULL REFERENCES clients (client_id) ON DELETE CASCADE,
      hash text NOT NULL,
      hint text NOT NULL,
      created_at text COLLATE "C" NOT NULL,
      expires_at text COLLATE "C",
      retires_at text COLLATE "C",
      last_used_at text COLLATE "C"
    );
    CREATE INDEX client_secrets_by_client ON client_secrets (client_id, created_at, id);

    -- How many clients each single filter matches (status:<s>, kind:<k>, grant:<bit>), kept by a
    -- trigger, so the total of an unfiltered or one-filter list is one lookup, not a count(*).
    CREATE TABLE client_counts (
      filter text COLLATE "C" PRIMARY KEY,
      n bigint NOT NULL
    );
    CREATE FUNCTION client_count_keys(status text, kind text, mask integer) RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
      SELECT ARRAY['all', 'status:' || status, 'kind:' || kind] || coalesce(array_agg('grant:' || b), '{}')
      FROM generate_series(0, 15) b WHERE (mask >> b) & 1 = 1
    $$;
    CREATE FUNCTION client_counts_keep() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE client_counts SET n = n - 1 WHERE filter = ANY (client_count_keys(OLD.status, OLD.kind, OLD.grant_mask));
      END IF;
      IF TG_OP IN ('UPDATE', 'INSERT') THEN
        INSERT INTO client_counts (filter, n) SELECT k, 1 FROM unnest(client_count_keys(NEW.status, NEW.kind, NEW.grant_mask)) k
          ON CONFLICT (filter) DO UPDATE SET n = client_counts.n + 1;
      END IF;
      RETURN NULL;
    END $$;
    CREATE TRIGGER client_counts_insert_delete AFTER INSERT OR DELETE ON clients FOR EACH ROW EXECUTE FUNCTION client_counts_keep();
    CREATE TRIGGER client_counts_update AFTER UPDATE OF status, kind, grant_mask ON clients FOR EACH ROW
      WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.kind IS DISTINCT FROM NEW.kind OR OLD.grant_mask IS DISTINCT FROM NEW.grant_mask)
      EXECUTE FUNCTION client_counts_keep();

    CREATE TABLE client_tombstones (
      client_id text COLLATE "C" PRIMARY KEY,
      change_seq bigint NOT NULL UNIQUE,
      deleted_at text COLLATE "C" NOT NULL
    );
    CREATE INDEX client_tombstones_by_deleted_at ON client_tombstones (deleted_at);

    -- The change feed's counter (see postgres/change-feed.ts for why one row and not a SEQUENCE
    -- alone): the last number handed out and the purge horizon.
    -- auth_seq: the number of the last change the token endpoint cares about (not last use):
    -- each process's cached client lookups are valid while it is unchanged.
    CREATE TABLE change_feed (
      id integer PRIMARY KEY CHECK (id = 1),
      last_seq bigint NOT NULL,
      purged_through bigint NOT NULL,
      auth_seq bigint NOT NULL
    );
    INSERT INTO change_feed (id, last_seq, purged_through, auth_seq) VALUES (1, 0, 0, 0);

    CREATE TABLE audit_log (
      id bigserial PRIMARY KEY,
      at text NOT NULL,
      actor text NOT NULL,
      action text NOT NULL,
      client_id text COLLATE "C",
      changes text NOT NULL
    );
    CREATE INDEX audit_log_by_client ON audit_log (client_id, id);

    CREATE TABLE users (
      username text COLLATE "C" PRIMARY KEY,
      name text NOT NULL,
      role text NOT NULL,
      password_hash text NOT NULL,
      created_at text NOT NULL,
      updated_at text NOT NULL
    );

    -- oidc-provider's models, keyed by a hash of their id and sealed (server/model-sealing.ts).
    CREATE TABLE oidc_models (
      model text COLLATE "C" NOT NULL,
      id text COLLATE "C" NOT NULL,
      payload text NOT NULL,
      expires_at bigint,
      grant_id text COLLATE "C",
      uid text COLLATE "C",
      user_code text COLLATE "C",
      consumed_at bigint,
      PRIMARY KEY (model, id)
    );
    CREATE INDEX oidc_models_by_grant ON oidc_models (grant_id) WHERE grant_id IS NOT NULL;
    CREATE INDEX oidc_models_by_uid ON oidc_models (model, uid) WHERE uid IS NOT NULL;
    CREATE INDEX oidc_models_by_user_code ON oidc_models (model, user_code) WHERE user_code IS NOT NULL;
    CREATE INDEX oidc_models_by_expiry ON oidc_models (expires_at) WHERE expires_at IS NOT NULL;

    -- Signing keys (JWKS with private parts) and cookie keys, created by the first process.
    CREATE TABLE server_keys (
      name text COLLATE "C" PRIMARY KEY,
      value text NOT NULL,
      created_at text NOT NULL
    );

    -- Sign-in throttling shared by every process (postgres/login-attempts.ts).
    CREATE TABLE login_throttle (
      key text COLLATE "C" PRIMARY KEY,
      failures bigint[] NOT NULL,
      pending bigint[] NOT NULL,
      locked_until bigint
    );
    `,
  },
  {
    name: 'labels and history filters',
    sql: `
    -- Issue 11 (as SQLite migration 6): labels (a JSON list of text, sorted) and the history of one
    -- client / the audit log across clients, newest first, filtered by actor or action.
    ALTER TABLE clients ADD COLUMN labels text NOT NULL DEFAULT '[]';
    CREATE INDEX audit_log_by_actor ON audit_log (actor, id);
    CREATE INDEX audit_log_by_action ON audit_log (action, id);
    `,
  },
  {
    name: 'narrow search table',
    sql: `
    -- Issue 13: the "contains" search (q) on a narrow copy of what a list filters and sorts on, kept
    -- by a trigger. On the wide clients rows a search read ~2 kB per candidate and the planner,
    -- guessing the matches, walked a whole sort index (p95 134 ms at 100,000 clients); here the
    -- candidates come from one trigram index and are tested on ~200-byte rows
    -- (postgres/client-list.ts). \`text\` is lower(name), a newline, lower(client_id) (q has no
    -- control characters, so no match spans both). pg_trgm splits words at anything not a letter
    -- or digit, so "k e" or "ing-" had no useful trigram and rechecked ~30,000 rows; \`grams\` is
    -- \`text\` with every character but a-z and 0-9 turned into '0', one unbroken word whose
    -- trigrams keep the spaces and dashes of a search (the query maps its term the same way, then
    -- tests \`text\`). Not kept on a token's last-use update: those columns are not in OF.
    CREATE TABLE client_search (
      seq bigint PRIMARY KEY,
      text text COLLATE "C" NOT NULL,
      grams text COLLATE "C" NOT NULL,
      name_key text COLLATE "C" NOT NULL,
      client_id text COLLATE "C" NOT NULL,
      status text COLLATE "C" NOT NULL,
      kind text COLLATE "C" NOT NULL,
      created_at text COLLATE "C" NOT NULL,
      updated_at text COLLATE "C" NOT NULL,
      grant_mask integer NOT NULL
    );
    CREATE FUNCTION client_search_grams(text text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
      SELECT regexp_replace(text, '[^a-z0-9]', '0', 'g')
    $$;
    INSERT INTO client_search
      SELECT seq, t, client_search_grams(t), lower(name), client_id, status, kind, created_at, updated_at, grant_mask
      FROM (SELECT *, lower(name) || chr(10) || lower(client_id) AS t FROM clients) c;
    CREATE INDEX client_search_grams ON client_search USING gin (grams gin_trgm_ops);
    CREATE FUNCTION client_search_keep() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      t text;
    BEGIN
      IF TG_OP = 'DELETE' THEN
        DELETE FROM client_search WHERE seq = OLD.seq;
        RETURN NULL;
      END IF;
      t := lower(NEW.name) || chr(10) || lower(NEW.client_id);
      INSERT INTO client_search (seq, text, grams, name_key, client_id, status, kind, created_at, updated_at, grant_mask)
        VALUES (NEW.seq, t, client_search_grams(t), lower(NEW.name), NEW.client_id, NEW.status, NEW.kind, NEW.created_at, NEW.updated_at, NEW.grant_mask)
        ON CONFLICT (seq) DO UPDATE SET text = EXCLUDED.text, grams = EXCLUDED.grams, name_key = EXCLUDED.name_key, client_id = EXCLUDED.client_id,
          status = EXCLUDED.status, kind = EXCLUDED.kind, created_at = EXCLUDED.created_at, updated_at = EXCLUDED.updated_at, grant_mask = EXCLUDED.grant_mask;
      RETURN NULL;
    END $$;
    CREATE TRIGGER client_search_keep AFTER INSERT OR DELETE OR UPDATE OF name, client_id, status, kind, created_at, updated_at, grant_mask ON clients
      FOR EACH ROW EXECUTE FUNCTION client_search_keep();
    -- The wide table's trigram indexes are no longer read.
    DROP INDEX clients_search_name;
    DROP INDEX clients_search_id;
    `,
  },
  {
    name: 'search index in each process',
    sql: `
    -- Issue 13: a search is answered by each server process's in-memory index
    -- (postgres/search-index.ts), filled from client_search and kept level by the change feed. The
    -- trigram index on grams was its first answer and is no longer read: it and its column go, so
    -- a client write no longer updates a GIN index; and text, which the index makes from name_key
    -- and client_id as this trigger did (both COLLATE "C": lower() is ASCII only).
    DROP INDEX client_search_grams;
    ALTER TABLE client_search DROP COLUMN grams, DROP COLUMN text;
    CREATE OR REPLACE FUNCTION client_search_keep() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'DELETE' THEN
        DELETE FROM client_search WHERE seq = OLD.seq;
        RETURN NULL;
      END IF;
      INSERT INTO client_search (seq, name_key, client_id, status, kind, created_at, updated_at, grant_mask)
        VALUES (NEW.seq, lower(NEW.name), NEW.client_id, NEW.status, NEW.kind, NEW.created_at, NEW.updated_at, NEW.grant_mask)
        ON CONFLICT (seq) DO UPDATE SET name_key = EXCLUDED.name_key, client_id = EXCLUDED.client_id,
          status = EXCLUDED.status, kind = EXCLUDED.kind, created_at = EXCLUDED.created_at, updated_at = EXCLUDED.updated_at, grant_mask = EXCLUDED.grant_mask;
      RETURN NULL;
    END $$;
    DROP FUNCTION client_search_grams(text);
    `,
  },
];

/** Advisory lock keys (one namespace, arbitrary constants). */
export const LOCKS = { migrate: 7_310_001, startup: 7_310_002, keys: 7_310_003 } as const;

/**
 * Brings the schema up to date under an advisory lock; returns the migrations applied by this call.
 * Refuses a database written by a newer server.
 */
export async function migrate(client: pg.ClientBase, options: { through?: number } = {}): Promise<string[]> {
  await client.query('SELECT pg_advisory_lock($1)', [LOCKS.migrate]);
  try {
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
    const done = new Set(rows.map((row) => row.version));
    const newest = rows.at(-1)?.version ?? 0;
    if (newest > MIGRATIONS.length) {
      throw new Error(`The database was written by a newer ThetaSecure server (schema ${newest}, this one knows ${MIGRATIONS.length}).`);
    }
    const applied: string[] = [];
    for (const [index, migration] of MIGRATIONS.entries()) {
      const version = index + 1;
      if (done.has(version)) continue;
      // A test's way to build a database as an older server left it.
      if (options.through !== undefined && version > options.through) break;
      await client.query('BEGIN');
      try {
        await client.query(migration.sql);
        await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [version, migration.name]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
      applied.push(`${version} ${migration.name}`);
    }
    return applied;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [LOCKS.migrate]);
  }
}
