// The connection pool of the PostgreSQL back end (node-postgres), its transactions, and whether
// the database is reachable right now. Losing the database must not hang or crash the server:
// connects and statements time out, an idle connection that dies is dropped by the pool (its
// 'error' event is handled), and `availability` says "down" from the first connection-class
// failure until a probe succeeds again, so requests answer 503 at once meanwhile (app.ts).
import pg from 'pg';

/** bigint columns (change numbers, counts) as JS numbers: they stay far below 2^53. */
const TYPES = {
  getTypeParser(oid: number, format?: string) {
    if (oid === 20) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format as 'text');
  },
} as unknown as pg.CustomTypesConfig;

export interface PgOptions {
  /** Pool size per process (default 10). */
  max?: number;
  /** How long a request may wait for a connection (queueing for a busy pool included) before it fails (default 5 s). */
  connectTimeoutMs?: number;
  /** The longest a statement may run (default 10 s). */
  statementTimeoutMs?: number;
}

/** SQLSTATE classes and socket errors that mean "the database is not there", not "this query is wrong". */
export function isConnectionError(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string') {
    if (/^(08|57P0|53)/.test(code)) return true; // connection exception, admin/crash shutdown, cannot connect now, insufficient resources
    if (['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH'].includes(code)) return true;
  }
  return typeof message === 'string' && /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|not queryable/i.test(message);
}

export class DatabaseUnavailableError extends Error {
  constructor(cause?: unknown) {
    super('The database is unavailable.', { cause });
    this.name = 'DatabaseUnavailableError';
  }
}

type Listener = (up: boolean) => void;

/** Up or down, as learnt from failures and probes; a probe runs every second while down. */
export class Availability {
  #up = true;
  #probe: NodeJS.Timeout | undefined;
  readonly #check: () => Promise<void>;
  readonly #listeners = new Set<Listener>();

  constructor(check: () => Promise<void>) {
    this.#check = check;
  }

  get up(): boolean {
    return this.#up;
  }

  onChange(listener: Listener): void {
    this.#listeners.add(listener);
  }

  /** Called with each failure: a connection-class one marks the database down. */
  failed(error: unknown): void {
    if (!isConnectionError(error) || !this.#up) return;
    this.#up = false;
    for (const listener of this.#listeners) listener(false);
    this.#schedule();
  }

  /** A query just succeeded (e.g. the /healthz ping): up again without waiting for the probe. */
  succeeded(): void {
    if (this.#up) return;
    clearTimeout(this.#probe);
    this.#up = true;
    for (const listener of this.#listeners) listener(true);
  }

  #schedule(): void {
    clearTimeout(this.#probe);
    this.#probe = setTimeout(() => {
      this.#check().then(
        () => this.succeeded(),
        () => this.#schedule(),
      );
    }, 1_000);
    this.#probe.unref();
  }

  stop(): void {
    clearTimeout(this.#probe);
  }
}

export class PgDatabase {
  readonly pool: pg.Pool;
  readonly url: string;
  readonly availability: Availability;
  readonly #config: pg.PoolConfig;
  readonly #max: number;

  constructor(url: string, options: PgOptions = {}) {
    this.url = url;
    this.#max = options.max ?? 10;
    this.#config = {
      connectionString: url,
      max: this.#max,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
      statement_timeout: options.statementTimeoutMs ?? 10_000,
      query_timeout: (options.statementTimeoutMs ?? 10_000) + 2_000,
      idleTimeoutMillis: 30_000,
      types: TYPES,
    };
    this.pool = new pg.Pool(this.#config);
    this.availability = new Availability(async () => {
      await this.pool.query('SELECT 1');
    });
    // An idle connection that dies (the server stopped) is removed by the pool; without a
    // listener the error would end the process.
    this.pool.on('error', (error) => this.availability.failed(error));
  }

  /** A client of its own, outside the pool (LISTEN, session advisory locks). */
  newClient(): pg.Client {
    return new pg.Client({ ...this.#config, types: TYPES });
  }

  async query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>> {
    if (!this.availability.up) throw new DatabaseUnavailableError();
    try {
      return await this.pool.query<R>(text, values);
    } catch (error) {
      this.#note(error);
      throw error;
    }
  }

  /** Runs `work` in one transaction (READ COMMITTED); rolls back when it throws. */
  async transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    if (!this.availability.up) throw new DatabaseUnavailableError();
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      this.#note(error);
      throw error;
    }
    let broken = false;
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      broken = isConnectionError(error);
      if (!broken) await client.query('ROLLBACK').catch(() => (broken = true));
      this.#note(error);
      throw error;
    } finally {
      client.release(broken);
    }
  }

  #note(error: unknown): void {
    // A connect that timed out while every pool slot was busy waited in the pool's queue: the
    // server is busy, not the database gone.
    const message = error instanceof Error ? error.message : '';
    if (/timeout exceeded when trying to connect/.test(message) && this.pool.totalCount >= this.#max) return;
    this.availability.failed(error);
  }

  /** A live check for /healthz (short: a health check must not hang either). */
  async ping(timeoutMs = 1_000): Promise<boolean> {
    try {
      await Promise.race([
        this.pool.query('SELECT 1'),
        new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), timeoutMs).unref()),
      ]);
      this.availability.succeeded();
      return true;
    } catch (error) {
      this.#note(error);
      return false;
    }
  }

  async close(): Promise<void> {
    this.availability.stop();
    await this.pool.end();
  }
}
