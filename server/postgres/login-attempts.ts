// Sign-in throttling shared by every server process on one PostgreSQL: the same rules as the
// in-memory throttle (login-throttle.ts: decideReservation, decideFailure), with each name's
// state in one row, read and written under its row lock, so a guess sent to each of several
// processes at once still counts against one limit. A reservation carries an expiry: a process
// that dies between reserving and answering does not hold the slot for ever.
import { decideFailure, decideRelease, decideReservation, throttleLimits, LoginThrottle } from '../login-throttle.ts';
import type { LoginAttempts, LoginThrottleOptions, ThrottleLimits, ThrottleState } from '../login-throttle.ts';
import type { PgDatabase } from './database.ts';

/** Longer than any password evaluation (scrypt: tens of milliseconds). */
const RESERVATION_MS = 30_000;

export class PgLoginAttempts implements LoginAttempts {
  readonly #db: PgDatabase;
  readonly #limits: ThrottleLimits;
  readonly #now: () => number;

  constructor(db: PgDatabase, options: LoginThrottleOptions = {}) {
    this.#db = db;
    this.#limits = throttleLimits(options);
    this.#now = options.now ?? Date.now;
  }

  async #change<T>(username: string, decide: (state: ThrottleState, now: number) => { state: ThrottleState; result: T }): Promise<T> {
    const key = LoginThrottle.key(username);
    return this.#db.transaction(async (tx) => {
      await tx.query("INSERT INTO login_throttle (key, failures, pending, locked_until) VALUES ($1, '{}', '{}', NULL) ON CONFLICT (key) DO NOTHING", [key]);
      const row = (await tx.query<{ failures: string[]; pending: string[]; locked_until: number | null }>('SELECT failures, pending, locked_until FROM login_throttle WHERE key = $1 FOR UPDATE', [key])).rows[0]!;
      const before: ThrottleState = { failures: row.failures.map(Number), pending: row.pending.map(Number), lockedUntil: row.locked_until };
      const { state, result } = decide(before, this.#now());
      if (state.failures.length === 0 && state.pending.length === 0 && state.lockedUntil === null) {
        await tx.query('DELETE FROM login_throttle WHERE key = $1', [key]);
      } else {
        await tx.query('UPDATE login_throttle SET failures = $2, pending = $3, locked_until = $4 WHERE key = $1', [key, state.failures, state.pending, state.lockedUntil]);
      }
      return result;
    });
  }

  reserve(username: string): Promise<number> {
    return this.#change(username, (state, now) => {
      const decision = decideReservation(state, now, this.#limits, RESERVATION_MS);
      return { state: decision.state, result: decision.wait };
    });
  }

  release(username: string): Promise<void> {
    return this.#change(username, (state) => ({ state: decideRelease(state), result: undefined }));
  }

  recordFailure(username: string): Promise<void> {
    return this.#change(username, (state, now) => ({ state: decideFailure(state, now, this.#limits), result: undefined }));
  }

  recordSuccess(username: string): Promise<void> {
    return this.#change(username, (state) => ({ state: { failures: [], pending: decideRelease(state).pending, lockedUntil: null }, result: undefined }));
  }
}
