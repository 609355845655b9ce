// Where the server keeps everything: the back-end seam. `startServer` asks for a Backend and uses
// only this interface, so SQLite (one file, one process: the embedded default) and PostgreSQL
// (several processes behind one issuer: postgres/backend.ts) are interchangeable. Each part is a
// small interface of its own (ClientStore, UserRows, ModelRows, LoginAttempts, MetaStore); a new
// kind of stored data adds one here and an implementation on each side.
import type { ChangeEvents } from './change-events.ts';
import type { ChangeFeedOptions } from './change-feed.ts';
import type { ClientStore } from './client-store.ts';
import { openDatabase } from './database.ts';
import { getMeta, setMeta } from './database.ts';
import { LoginThrottle } from './login-throttle.ts';
import type { LoginAttempts, LoginThrottleOptions } from './login-throttle.ts';
import { sqliteModelRows } from './oidc-adapter.ts';
import type { ModelRows } from './oidc-adapter.ts';
import { loadOrCreateServerKeys } from './server-keys.ts';
import type { ServerKeys } from './server-keys.ts';
import { SqliteClientStore } from './sqlite-client-store.ts';
import { UserStore, sqliteUserRows } from './user-store.ts';

/** Small named values (e.g. when the default clients were provisioned). */
export interface MetaStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
}

export interface DatabaseHealth {
  ok: boolean;
  /** "sqlite" or "postgres". */
  database: string;
  detail?: string;
}

export interface Backend {
  kind: 'sqlite' | 'postgres';
  clients: ClientStore;
  users: UserStore;
  models: ModelRows;
  meta: MetaStore;
  /** Sign-in throttling: in memory for one process, in the database when processes share it. */
  loginAttempts(options?: LoginThrottleOptions): LoginAttempts;
  /** The signing and cookie keys, created by whichever process starts first. */
  loadOrCreateKeys(): Promise<ServerKeys>;
  /** Runs start-up work (provisioning, repair) alone among the processes on this database. */
  exclusive<T>(work: () => Promise<T>): Promise<T>;
  /** False while the database is known to be unreachable: requests answer 503 at once. */
  available(): boolean;
  /** Whether an error means "the database is unreachable" (503) rather than a bug (500). */
  isUnavailableError(error: unknown): boolean;
  /** A live check for /healthz. */
  health(): Promise<DatabaseHealth>;
  close(): Promise<void>;
}

export interface BackendOptions {
  dataDir: string;
  /** THETASECURE_DATABASE_URL: postgres://… selects PostgreSQL; absent: the SQLite file in dataDir. */
  databaseUrl?: string;
  changeEvents: ChangeEvents;
  now?: () => Date;
  tombstones?: ChangeFeedOptions;
  log?: (entry: Record<string, unknown>) => void;
}

export function openSqliteBackend(options: BackendOptions): Backend {
  const db = openDatabase(options.dataDir);
  const clients = new SqliteClientStore(db, { changeEvents: options.changeEvents, tombstones: options.tombstones, now: options.now });
  return {
    kind: 'sqlite',
    clients,
    users: new UserStore(sqliteUserRows(db)),
    models: sqliteModelRows(db),
    meta: {
      async get(key) {
        return getMeta(db, key);
      },
      async set(key, value) {
        setMeta(db, key, value);
      },
    },
    loginAttempts: (throttle) => new LoginThrottle(throttle),
    loadOrCreateKeys: async () => loadOrCreateServerKeys(db),
    // One process per file (the file is this process's): nothing to wait for.
    exclusive: (work) => work(),
    available: () => true,
    isUnavailableError: () => false,
    health: async () => ({ ok: true, database: 'sqlite' }),
    async close() {
      db.close();
    },
  };
}

/** The back end the options select: PostgreSQL for a postgres:// URL, else SQLite. */
export async function openBackend(options: BackendOptions): Promise<Backend> {
  if (options.databaseUrl) {
    const { openPostgresBackend } = await import('./postgres/backend.ts');
    return openPostgresBackend({ ...options, databaseUrl: options.databaseUrl });
  }
  return openSqliteBackend(options);
}
