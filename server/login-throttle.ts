// Refuses sign-in attempts for a user name that failed too often: more than `maxFailures` failed
// attempts within `windowMs` lock that name for `lockMs`. Kept in memory: one server process
// answers for its own attempts (a scaled-out deployment would keep this in the shared store).

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

  recordFailure(username: string): void {
    const key = LoginThrottle.key(username);
    const now = this.#now();
    const recent = (this.#failures.get(key) ?? []).filter((at) => now - at < this.#windowMs);
    recent.push(now);
    this.#failures.set(key, recent);
    if (recent.length >= this.#maxFailures) this.#lockedUntil.set(key, now + this.#lockMs);
    this.#forgetOld(now);
  }

  recordSuccess(username: string): void {
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
