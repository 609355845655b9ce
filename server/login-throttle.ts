// Refuses sign-in attempts for a user name that failed too often: `maxFailures` failed attempts
// within `windowMs` lock that name for `lockMs`. An attempt is reserved before its password is
// hashed (`reserve`), so attempts that arrive at once count against the limit while they are being
// evaluated: at most `maxFailures` password evaluations per name per window, however many arrive
// together (issue 9, item 4: checking before the hash and recording after it let 40 concurrent
// guesses through). This class keeps them in memory (one process: the SQLite server); several
// processes on PostgreSQL share them in the database (postgres/login-attempts.ts), behind the
// same LoginAttempts interface and the same rules (`decideReservation`, `decideFailure`).

export interface LoginThrottleOptions {
  maxFailures?: number;
  windowMs?: number;
  lockMs?: number;
  now?: () => number;
}

/** What the sign-in page needs; the in-memory throttle answers synchronously, a shared one not. */
export interface LoginAttempts {
  reserve(username: string): number | Promise<number>;
  release(username: string): void | Promise<void>;
  recordFailure(username: string): void | Promise<void>;
  recordSuccess(username: string): void | Promise<void>;
}

export interface ThrottleLimits {
  maxFailures: number;
  windowMs: number;
  lockMs: number;
}

export function throttleLimits(options: LoginThrottleOptions = {}): ThrottleLimits {
  return { maxFailures: options.maxFailures ?? 5, windowMs: options.windowMs ?? 60_000, lockMs: options.lockMs ?? 5 * 60_000 };
}

/** One name's state in a shared store: failure times, pending reservations (each with its expiry), the lock. */
export interface ThrottleState {
  failures: number[];
  pending: number[];
  lockedUntil: number | null;
}

/**
 * A reservation against `state` at `now`: the seconds to wait (0: granted, and `state` then holds
 * it, expiring at `now + reservationMs` should its process die before answering).
 */
export function decideReservation(state: ThrottleState, now: number, limits: ThrottleLimits, reservationMs: number): { wait: number; state: ThrottleState } {
  if (state.lockedUntil !== null) {
    if (state.lockedUntil > now) return { wait: Math.ceil((state.lockedUntil - now) / 1000), state };
    state = { failures: [], pending: state.pending, lockedUntil: null };
  }
  const failures = state.failures.filter((at) => now - at < limits.windowMs);
  const pending = state.pending.filter((until) => until > now);
  if (failures.length + pending.length >= limits.maxFailures) {
    const oldest = failures[0];
    const wait = Math.max(1, Math.ceil((oldest === undefined ? limits.windowMs : oldest + limits.windowMs - now) / 1000));
    return { wait, state: { failures, pending, lockedUntil: null } };
  }
  return { wait: 0, state: { failures, pending: [...pending, now + reservationMs], lockedUntil: null } };
}

/** Drops one pending reservation (the oldest). */
export function decideRelease(state: ThrottleState): ThrottleState {
  return { ...state, pending: [...state.pending].sort((a, b) => a - b).slice(1) };
}

export function decideFailure(state: ThrottleState, now: number, limits: ThrottleLimits): ThrottleState {
  const released = decideRelease(state);
  const failures = [...released.failures.filter((at) => now - at < limits.windowMs), now];
  return { failures, pending: released.pending, lockedUntil: failures.length >= limits.maxFailures ? now + limits.lockMs : released.lockedUntil };
}

export class LoginThrottle implements LoginAttempts {
  readonly #maxFailures: number;
  readonly #windowMs: number;
  readonly #lockMs: number;
  readonly #now: () => number;
  readonly #failures = new Map<string, number[]>();
  readonly #lockedUntil = new Map<string, number>();
  /** Attempts reserved and not yet answered, per name. */
  readonly #inFlight = new Map<string, number>();

  constructor(options: LoginThrottleOptions = {}) {
    this.#maxFailures = options.maxFailures ?? 5;
    this.#windowMs = options.windowMs ?? 60_000;
    this.#lockMs = options.lockMs ?? 5 * 60_000;
    this.#now = options.now ?? Date.now;
  }

  static key(username: string): string {
    return username.trim().toLowerCase();
  }

  /** Seconds until `username` may try again, or 0 when it may try now. */
  retryAfterSeconds(username: string): number {
    const key = LoginThrottle.key(username);
    const until = this.#lockedUntil.get(key);
    if (until === undefined) return 0;
    const remaining = until - this.#now();
    if (remaining <= 0) {
      this.#lockedUntil.delete(key);
      this.#failures.delete(key);
      return 0;
    }
    return Math.ceil(remaining / 1000);
  }

  /**
   * Reserves one password evaluation for `username`: 0 when it may go ahead (then call exactly one
   * of recordFailure, recordSuccess or release), else the seconds to wait. Synchronous, so no
   * two requests can both take the last slot.
   */
  reserve(username: string): number {
    const wait = this.retryAfterSeconds(username);
    if (wait > 0) return wait;
    const key = LoginThrottle.key(username);
    const now = this.#now();
    const failures = (this.#failures.get(key) ?? []).filter((at) => now - at < this.#windowMs);
    const pending = this.#inFlight.get(key) ?? 0;
    if (failures.length + pending >= this.#maxFailures) {
      // The slots free up when the oldest failure leaves the window or the pending ones are answered.
      const oldest = failures[0];
      return Math.max(1, Math.ceil((oldest === undefined ? this.#windowMs : oldest + this.#windowMs - now) / 1000));
    }
    this.#inFlight.set(key, pending + 1);
    return 0;
  }

  /** Gives back a reservation that was not answered (e.g. the evaluation threw). */
  release(username: string): void {
    const key = LoginThrottle.key(username);
    const pending = (this.#inFlight.get(key) ?? 0) - 1;
    if (pending > 0) this.#inFlight.set(key, pending);
    else this.#inFlight.delete(key);
  }

  recordFailure(username: string): void {
    this.release(username);
    const key = LoginThrottle.key(username);
    const now = this.#now();
    const recent = (this.#failures.get(key) ?? []).filter((at) => now - at < this.#windowMs);
    recent.push(now);
    this.#failures.set(key, recent);
    if (recent.length >= this.#maxFailures) this.#lockedUntil.set(key, now + this.#lockMs);
    this.#forgetOld(now);
  }

  recordSuccess(username: string): void {
    this.release(username);
    const key = LoginThrottle.key(username);
    this.#failures.delete(key);
    this.#lockedUntil.delete(key);
  }

  /** Keeps memory bounded when many different names are tried. */
  #forgetOld(now: number): void {
    if (this.#failures.size < 10_000) return;
    for (const [key, times] of this.#failures) {
      if (times.every((at) => now - at >= this.#windowMs) && !this.#lockedUntil.has(key)) this.#failures.delete(key);
    }
  }
}
