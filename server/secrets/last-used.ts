// Last use, written behind (issue 10): the token endpoint only notes "client X (with secret S)
// got a token now" in memory; every LAST_USED_FLUSH_MS the due notes are written in one
// transaction, a client at most once per LAST_USED_WRITE_INTERVAL_MS of the server's clock, and
// whatever is pending is written on shutdown. So a client asking for a token every millisecond
// costs one row update a minute, and the token endpoint never waits for the disk.
import type { ClientStore, LastUse } from '../client-store.ts';
import { LAST_USED_FLUSH_MS, LAST_USED_WRITE_INTERVAL_MS } from './last-used-policy.ts';

export interface LastUsedOptions {
  now?: () => Date;
  /** How often due notes are written (default LAST_USED_FLUSH_MS). */
  flushMs?: number;
  onError?: (error: unknown) => void;
}

export class LastUsedRecorder {
  readonly #store: Pick<ClientStore, 'recordLastUse'>;
  readonly #now: () => Date;
  readonly #onError: (error: unknown) => void;
  /** The newest use per client and secret ("clientId\nsecretId"). */
  readonly #pending = new Map<string, LastUse>();
  /** When each client was last written (ms of the server's clock). */
  readonly #writtenAt = new Map<string, number>();
  readonly #timer: NodeJS.Timeout;
  #flushing: Promise<void> | null = null;
  /** Batches written so far (for tests and the benchmark's report). */
  writes = 0;

  constructor(store: Pick<ClientStore, 'recordLastUse'>, options: LastUsedOptions = {}) {
    this.#store = store;
    this.#now = options.now ?? (() => new Date());
    this.#onError = options.onError ?? (() => {});
    this.#timer = setInterval(() => void this.flush(), options.flushMs ?? LAST_USED_FLUSH_MS);
    this.#timer.unref();
  }

  /** Called for every token issued; cheap (a Map write). */
  record(clientId: string, secretId: string | null): void {
    const at = this.#now().toISOString();
    this.#pending.set(secretId === null ? clientId : `${clientId}\n${secretId}`, { clientId, secretId, at });
  }

  /** Writes the notes of every client not written within the last interval (all of them when `all`). */
  async flush(options: { all?: boolean } = {}): Promise<void> {
    // One flush at a time; a second caller waits for the one running, then runs its own.
    while (this.#flushing) await this.#flushing;
    if (this.#pending.size === 0) return;
    const now = this.#now().getTime();
    const due: LastUse[] = [];
    for (const [key, use] of this.#pending) {
      const written = this.#writtenAt.get(use.clientId);
      if (options.all || written === undefined || now - written >= LAST_USED_WRITE_INTERVAL_MS) {
        due.push(use);
        this.#pending.delete(key);
      }
    }
    if (due.length === 0) return;
    // Forget clients written long enough ago (their next note is due at once anyway), then date this batch.
    for (const [clientId, written] of this.#writtenAt) if (now - written >= LAST_USED_WRITE_INTERVAL_MS) this.#writtenAt.delete(clientId);
    for (const use of due) this.#writtenAt.set(use.clientId, now);
    this.#flushing = this.#store.recordLastUse(due).then(
      () => {
        this.writes += 1;
      },
      (error: unknown) => this.#onError(error),
    );
    try {
      await this.#flushing;
    } finally {
      this.#flushing = null;
    }
  }

  /** Writes everything pending and stops the timer (server shutdown). */
  async close(): Promise<void> {
    clearInterval(this.#timer);
    await this.flush({ all: true });
  }
}
