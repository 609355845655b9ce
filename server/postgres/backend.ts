// The PostgreSQL back end (THETASECURE_DATABASE_URL=postgres://…): several server processes on
// one database behind one issuer. Opening it migrates the schema (under an advisory lock), starts
// the LISTEN connection that feeds this process's client cache and events streams, and wires the
// stores. See server/README.md, "Running several servers".
import type { Backend, BackendOptions } from '../backend.ts';
import { UserStore } from '../user-store.ts';
import { PgClientStore } from './client-store.ts';
import { PgDatabase, isConnectionError, DatabaseUnavailableError } from './database.ts';
import type { PgOptions } from './database.ts';
import { PgLoginAttempts } from './login-attempts.ts';
import { LOCKS, migrate } from './migrations.ts';
import { ChangeListener } from './notifications.ts';
import { pgLoadOrCreateKeys, pgMeta, pgModelRows, pgUserRows } from './rows.ts';

export interface PostgresBackendOptions extends BackendOptions {
  databaseUrl: string;
  pool?: PgOptions;
}

/** Applies pending migrations and returns what it applied (`npm run server -- --migrate-only`). */
export async function migratePostgres(url: string): Promise<string[]> {
  const db = new PgDatabase(url, { max: 1 });
  try {
    const client = await db.pool.connect();
    try {
      return await migrate(client);
    } finally {
      client.release();
    }
  } finally {
    await db.close();
  }
}

export async function openPostgresBackend(options: PostgresBackendOptions): Promise<Backend> {
  const log = options.log ?? (() => {});
  await migratePostgres(options.databaseUrl);
  const db = new PgDatabase(options.databaseUrl, options.pool);
  const clients = new PgClientStore(db, { changeEvents: options.changeEvents, tombstones: options.tombstones, now: options.now });
  const listener = new ChangeListener(db, {
    notice: (notice) => clients.noticeReceived(notice),
    listening: (up) => clients.setListening(up),
    // Notices sent while this process was not listening are lost: announce where the feed stands.
    resync: () => {
      clients.lastChangeSeq().then(
        (seq) => options.changeEvents.publish(seq),
        () => {},
      );
    },
    log: (entry) => log({ time: new Date().toISOString(), ...entry }),
  });
  db.availability.onChange((up) => log({ time: new Date().toISOString(), level: up ? 'info' : 'error', msg: up ? 'database reachable again' : 'database unreachable: answering 503 until it is back' }));
  try {
    await listener.start();
  } catch (error) {
    await db.close();
    throw error;
  }
  clients.warmSearchIndex();
  return {
    kind: 'postgres',
    clients,
    users: new UserStore(pgUserRows(db)),
    models: pgModelRows(db),
    meta: pgMeta(db),
    loginAttempts: (throttle) => new PgLoginAttempts(db, throttle),
    loadOrCreateKeys: () => pgLoadOrCreateKeys(db),
    async exclusive(work) {
      // A session-level lock on a connection of its own, held while `work` runs on the pool.
      const client = await db.pool.connect();
      try {
        await client.query('SELECT pg_advisory_lock($1)', [LOCKS.startup]);
        try {
          return await work();
        } finally {
          await client.query('SELECT pg_advisory_unlock($1)', [LOCKS.startup]);
        }
      } finally {
        client.release();
      }
    },
    available: () => db.availability.up,
    isUnavailableError: (error) => error instanceof DatabaseUnavailableError || isConnectionError(error),
    async health() {
      const ok = await db.ping();
      return ok ? { ok, database: 'postgres' } : { ok, database: 'postgres', detail: 'The database does not answer.' };
    },
    async close() {
      await listener.close();
      await db.close();
    },
  };
}
