// LISTEN/NOTIFY: how a change committed by one server process reaches every other at once. Each
// write transaction of the store sends `pg_notify(CHANGES_CHANNEL, {seq, auth})`, which
// PostgreSQL delivers to every listening connection when (and only if) it commits. Each process
// keeps one connection LISTENing; a notice clears its cached client lookups (`auth`: something
// the token endpoint checks changed) and moves its events streams on to `seq`.
//
// While this connection is down, notices are lost: the store then caches nothing, and on
// reconnect it is told to forget everything and publish the feed's current number, so a change
// made meanwhile is announced then (streams compare with Last-Event-ID as usual).
import type pg from 'pg';
import type { PgDatabase } from './database.ts';

export const CHANGES_CHANNEL = 'thetasecure_changes';

export interface ChangeNotice {
  seq: number;
  auth: boolean;
}

export interface ChangeListenerEvents {
  notice(notice: ChangeNotice): void;
  /** true once listening (also after a reconnect), false when the connection is lost. */
  listening(up: boolean): void;
  /** After a reconnect: notices may have been missed. */
  resync(): void;
  log?(entry: Record<string, unknown>): void;
}

export class ChangeListener {
  readonly #db: PgDatabase;
  readonly #events: ChangeListenerEvents;
  #client: pg.Client | null = null;
  #closed = false;
  #retry: NodeJS.Timeout | undefined;
  #everConnected = false;

  constructor(db: PgDatabase, events: ChangeListenerEvents) {
    this.#db = db;
    this.#events = events;
  }

  /** Connects and LISTENs; resolves once listening (rejects when the first connect fails). */
  async start(): Promise<void> {
    await this.#connect();
  }

  async #connect(): Promise<void> {
    const client = this.#db.newClient();
    client.on('notification', (message) => {
      if (message.channel !== CHANGES_CHANNEL || !message.payload) return;
      try {
        const notice = JSON.parse(message.payload) as ChangeNotice;
        this.#events.notice({ seq: Number(notice.seq) || 0, auth: notice.auth !== false });
      } catch {
        // a payload this version does not understand: forget cached lookups to be safe
        this.#events.notice({ seq: 0, auth: true });
      }
    });
    const lost = (error?: unknown) => {
      if (this.#client !== client) return;
      this.#client = null;
      client.removeAllListeners('notification');
      void client.end().catch(() => {});
      if (error) this.#db.availability.failed(error);
      this.#events.listening(false);
      this.#events.log?.({ level: 'warn', msg: 'database notifications lost; reconnecting', error: error instanceof Error ? error.message : undefined });
      this.#scheduleReconnect();
    };
    client.on('error', lost);
    client.on('end', () => lost());
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANGES_CHANNEL}`);
    } catch (error) {
      client.removeAllListeners();
      client.on('error', () => {});
      void client.end().catch(() => {});
      throw error;
    }
    if (this.#closed) {
      await client.end().catch(() => {});
      return;
    }
    this.#client = client;
    this.#events.listening(true);
    if (this.#everConnected) this.#events.resync();
    this.#everConnected = true;
  }

  #scheduleReconnect(): void {
    if (this.#closed) return;
    clearTimeout(this.#retry);
    this.#retry = setTimeout(() => {
      this.#connect().catch(() => this.#scheduleReconnect());
    }, 500);
    this.#retry.unref();
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#retry);
    const client = this.#client;
    this.#client = null;
    if (client) {
      client.removeAllListeners();
      client.on('error', () => {});
      await client.end().catch(() => {});
    }
  }
}
