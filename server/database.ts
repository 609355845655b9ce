// The embedded store: one SQLite file in the data folder, in WAL mode, holding the clients, the
// users, the audit log, the provider's models (sessions, grants, codes, refresh tokens) and the
// server's keys. Schema changes are numbered migrations keyed on `PRAGMA user_version`.
import path from 'node:path';
import Database from 'better-sqlite3';
import { secureDataFiles, secureDataFolder } from './data-folder.ts';

export type Db = Database.Database;

export const DATABASE_FILE = 'thetasecure.sqlite';

const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );

  CREATE TABLE clients (
    seq INTEGER PRIMARY KEY,
    client_id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    grant_types TEXT NOT NULL,
    -- The grant types again as bits (GRANT_TYPES order), so that the grant-type filter can be
    -- checked inside the sort indexes below, without reading rows.
    grant_mask INTEGER NOT NULL,
    response_types TEXT NOT NULL,
    redirect_uris TEXT NOT NULL,
    scopes TEXT NOT NULL,
    require_consent INTEGER NOT NULL,
    token_endpoint_auth_method TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL
  );
  -- One index per sort key, each ending in client_id (keyset pagination walks them in order) and
  -- carrying the filter columns, so a filtered page is found by walking one index.
  CREATE INDEX clients_by_name ON clients (name COLLATE NOCASE, client_id, grant_mask, status, kind);
  CREATE INDEX clients_by_client_id ON clients (client_id, grant_mask, status, kind);
  CREATE INDEX clients_by_created ON clients (created_at, client_id, grant_mask, status, kind);
  CREATE INDEX clients_by_updated ON clients (updated_at, client_id, grant_mask, status, kind);
  CREATE INDEX clients_by_status ON clients (status, client_id, grant_mask, kind);
  CREATE INDEX clients_by_kind ON clients (kind, client_id, grant_mask, status);

  -- Only SHA-256 hashes of secrets; the secret itself is never stored.
  CREATE TABLE client_secrets (
    id TEXT PRIMARY KEY,
    client_id TEXT NOT NULL REFERENCES clients (client_id) ON DELETE CASCADE,
    hash TEXT NOT NULL,
    hint TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT
  );
  CREATE INDEX client_secrets_by_client ON client_secrets (client_id, created_at);

  -- Case-insensitive substring search on name and client id (q): a trigram index answers
  -- "contains" without scanning every row.
  CREATE VIRTUAL TABLE clients_search USING fts5 (
    name, client_id, content = 'clients', content_rowid = 'seq', tokenize = 'trigram'
  );
  CREATE TRIGGER clients_search_insert AFTER INSERT ON clients BEGIN
    INSERT INTO clients_search (rowid, name, client_id) VALUES (new.seq, new.name, new.client_id);
  END;
  CREATE TRIGGER clients_search_delete AFTER DELETE ON clients BEGIN
    INSERT INTO clients_search (clients_search, rowid, name, client_id) VALUES ('delete', old.seq, old.name, old.client_id);
  END;
  CREATE TRIGGER clients_search_update AFTER UPDATE OF name, client_id ON clients BEGIN
    INSERT INTO clients_search (clients_search, rowid, name, client_id) VALUES ('delete', old.seq, old.name, old.client_id);
    INSERT INTO clients_search (rowid, name, client_id) VALUES (new.seq, new.name, new.client_id);
  END;

  CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    client_id TEXT,
    changes TEXT NOT NULL
  );
  CREATE INDEX audit_log_by_client ON audit_log (client_id, id);

  CREATE TABLE users (
    username TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );

  -- oidc-provider's models (Session, Grant, AuthorizationCode, RefreshToken, Interaction, ...).
  CREATE TABLE oidc_models (
    model TEXT NOT NULL,
    id TEXT NOT NULL,
    payload TEXT NOT NULL,
    expires_at INTEGER,
    grant_id TEXT,
    uid TEXT,
    user_code TEXT,
    consumed_at INTEGER,
    PRIMARY KEY (model, id)
  ) WITHOUT ROWID;
  CREATE INDEX oidc_models_by_grant ON oidc_models (grant_id) WHERE grant_id IS NOT NULL;
  CREATE INDEX oidc_models_by_uid ON oidc_models (model, uid) WHERE uid IS NOT NULL;
  CREATE INDEX oidc_models_by_user_code ON oidc_models (model, user_code) WHERE user_code IS NOT NULL;
  CREATE INDEX oidc_models_by_expiry ON oidc_models (expires_at) WHERE expires_at IS NOT NULL;

  -- Signing keys (JWKS with private parts) and cookie keys, generated on first start.
  CREATE TABLE server_keys (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  `,
  `
  -- How many clients each single filter matches (status:<s>, kind:<k>, grant:<bit>), kept by
  -- triggers, so the total of a one-filter list is one lookup instead of an index scan.
  CREATE TABLE client_counts (
    filter TEXT PRIMARY KEY,
    n INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE grant_bits (bit INTEGER PRIMARY KEY);
  INSERT INTO grant_bits (bit) VALUES (0), (1), (2), (3), (4), (5), (6), (7);

  INSERT INTO client_counts (filter, n) SELECT 'status:' || status, count(*) FROM clients GROUP BY status;
  INSERT INTO client_counts (filter, n) SELECT 'kind:' || kind, count(*) FROM clients GROUP BY kind;
  INSERT INTO client_counts (filter, n)
    SELECT 'grant:' || b.bit, count(*) FROM grant_bits b JOIN clients c ON (c.grant_mask >> b.bit) & 1 GROUP BY b.bit;

  CREATE TRIGGER client_counts_insert AFTER INSERT ON clients BEGIN
    INSERT INTO client_counts (filter, n)
      SELECT 'status:' || new.status, 1 UNION ALL
      SELECT 'kind:' || new.kind, 1 UNION ALL
      SELECT 'grant:' || bit, 1 FROM grant_bits WHERE (new.grant_mask >> bit) & 1
      ON CONFLICT (filter) DO UPDATE SET n = n + 1;
  END;
  CREATE TRIGGER client_counts_delete AFTER DELETE ON clients BEGIN
    UPDATE client_counts SET n = n - 1
      WHERE filter IN ('status:' || old.status, 'kind:' || old.kind)
        OR filter IN (SELECT 'grant:' || bit FROM grant_bits WHERE (old.grant_mask >> bit) & 1);
  END;
  CREATE TRIGGER client_counts_update AFTER UPDATE OF status, kind, grant_mask ON clients BEGIN
    UPDATE client_counts SET n = n - 1
      WHERE filter IN ('status:' || old.status, 'kind:' || old.kind)
        OR filter IN (SELECT 'grant:' || bit FROM grant_bits WHERE (old.grant_mask >> bit) & 1);
    INSERT INTO client_counts (filter, n)
      SELECT 'status:' || new.status, 1 UNION ALL
      SELECT 'kind:' || new.kind, 1 UNION ALL
      SELECT 'grant:' || bit, 1 FROM grant_bits WHERE (new.grant_mask >> bit) & 1
      ON CONFLICT (filter) DO UPDATE SET n = n + 1;
  END;
  `,
  `
  -- The change feed (GET /api/v1/clients/changes). Every write to a client takes the next number
  -- of one server-wide counter inside its transaction and stores it as the row's change_seq; a
  -- delete leaves a tombstone with its own number. Numbers only grow and are never reused, so
  -- "everything after N" is a range on the two change_seq indexes.
  ALTER TABLE clients ADD COLUMN change_seq INTEGER NOT NULL DEFAULT 0;
  -- Existing clients get numbers in the order they were inserted (seq is the rowid).
  UPDATE clients SET change_seq = seq;
  -- Unique: two rows with one number would be a broken counter, better refused than served.
  CREATE UNIQUE INDEX clients_by_change_seq ON clients (change_seq);

  CREATE TABLE client_tombstones (
    client_id TEXT PRIMARY KEY,
    change_seq INTEGER NOT NULL,
    deleted_at TEXT NOT NULL
  );
  CREATE UNIQUE INDEX client_tombstones_by_change_seq ON client_tombstones (change_seq);
  CREATE INDEX client_tombstones_by_deleted_at ON client_tombstones (deleted_at);

  -- One row: the last number handed out, and the highest number of a tombstone purged after the
  -- retention time (a caller whose since is below it may have missed that delete).
  CREATE TABLE change_feed (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    last_seq INTEGER NOT NULL,
    purged_through INTEGER NOT NULL
  );
  INSERT INTO change_feed (id, last_seq, purged_through) SELECT 1, coalesce(max(change_seq), 0), 0 FROM clients;

  -- A feed page reads the secrets of up to 5,000 clients at once: an index that carries what the
  -- resource shows (never the hash) answers without reading the table.
  DROP INDEX client_secrets_by_client;
  CREATE INDEX client_secrets_by_client ON client_secrets (client_id, created_at, id, hint, expires_at);
  `,
  `
  -- Issue 9, item 6: provider rows are now keyed by a hash of their id and sealed under it
  -- (server/model-sealing.ts). Rows written before that hold tokens, codes and session ids in
  -- the clear: drop them all. Users sign in again; refresh tokens issued before must be renewed.
  DELETE FROM oidc_models;
  `,
  `
  -- Issue 10: client authentication methods and the secret lifecycle. A private_key_jwt client
  -- keeps its key source (an https URL or an inline JWKS of public keys); last use is written
  -- behind (server/secrets/last-used.ts). last_used_published_at is the last-used time the change
  -- feed last carried, so a busy client re-enters the feed at most once an hour, not every minute.
  ALTER TABLE clients ADD COLUMN jwks_uri TEXT;
  ALTER TABLE clients ADD COLUMN jwks TEXT;
  ALTER TABLE clients ADD COLUMN last_used_at TEXT;
  ALTER TABLE clients ADD COLUMN last_used_published_at TEXT;
  -- retires_at: the end of a rotation's overlap window, or when the secret was retired by hand.
  ALTER TABLE client_secrets ADD COLUMN retires_at TEXT;
  ALTER TABLE client_secrets ADD COLUMN last_used_at TEXT;
  DROP INDEX client_secrets_by_client;
  CREATE INDEX client_secrets_by_client ON client_secrets (client_id, created_at, id, hint, expires_at, retires_at, last_used_at);
  `,
  `
  -- Issue 11: labels (a JSON list of text, sorted) and the history of one client / the audit
  -- log across clients, newest first, filtered by actor or action.
  ALTER TABLE clients ADD COLUMN labels TEXT NOT NULL DEFAULT '[]';
  CREATE INDEX audit_log_by_actor ON audit_log (actor, id);
  CREATE INDEX audit_log_by_action ON audit_log (action, id);
  `,
];

/**
 * Opens (creating if needed) the database in `dataDir` and brings its schema up to date; tests of
 * a migration may stop at an older `schemaVersion`.
 */
export function openDatabase(dataDir: string, options: { schemaVersion?: number } = {}): Db {
  secureDataFolder(dataDir);
  const file = path.join(dataDir, DATABASE_FILE);
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  // The files hold password hashes and private signing keys: owner only (the WAL now exists too).
  secureDataFiles(file);
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db, options.schemaVersion ?? MIGRATIONS.length);
  return db;
}

function migrate(db: Db, target: number): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new Error(`The database was written by a newer ThetaSecure server (schema ${current}, this one knows ${MIGRATIONS.length}).`);
  }
  for (let version = current; version < target; version += 1) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version]!);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}

export function getMeta(db: Db, key: string): string | undefined {
  const row = db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
  return row?.value;
}

export function setMeta(db: Db, key: string, value: string): void {
  db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
}
