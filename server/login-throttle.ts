// Refuses sign-in attempts for a user name that failed too often: `maxFailures` failed attempts
// within `windowMs` lock that name for `lockMs`. An attempt is reserved before its password is
// hashed (`reserve`), so attempts that arrive at once count against the limit while they are being
// evaluated: at most `maxFailures` password evaluations per name per window, however many arrive
// together (issue 9, item 4: checking before the hash and recording after it let 40 concurrent
// guesses through). Kept in memory: one server process answers for its own attempts (a
// scaled-out deployment would keep this in the shared store).

export interface LoginThrottleOptions {
  maxFailures?: number;
  windowMs?: number;
  lockMs?: number;
  now?: () => number;
}

export class LoginThrottle {
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
