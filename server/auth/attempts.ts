// Failed sign-ins, counted per user name and per client address in a sliding window. Only
// failures count (an office behind one address signing in normally is never locked out, and a
// success clears the user's count) — which @fastify/rate-limit, counting every request, cannot
// say; it caps the request rate of the sign-in route as well (app.ts). Kept in memory: one hub
// process per database, and a restart forgetting the counts is acceptable.

export interface SignInLimits {
  /** Failures per user name within the window before sign-in is refused (429). */
  maxFailuresPerUser: number;
  /** Failures per client address within the window. */
  maxFailuresPerAddress: number;
  windowSeconds: number;
  /** Sign-in requests per address per minute, failed or not (bounds the scrypt work). */
  maxRequestsPerAddressPerMinute: number;
}

export const DEFAULT_SIGN_IN_LIMITS: SignInLimits = {
  maxFailuresPerUser: 5,
  maxFailuresPerAddress: 50,
  windowSeconds: 15 * 60,
  maxRequestsPerAddressPerMinute: 120,
};

export class FailedAttempts {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly limits: SignInLimits,
    private readonly now: () => number = Date.now,
  ) {}

  private recent(key: string): number[] {
    const since = this.now() - this.limits.windowSeconds * 1000;
    const times = (this.failures.get(key) ?? []).filter((time) => time > since);
    if (times.length === 0) this.failures.delete(key);
    else this.failures.set(key, times);
    return times;
  }

  /** Seconds until the next attempt is allowed, or 0 when it is allowed now. */
  blockedFor(user: string, address: string): number {
    const checks: [string, number][] = [
      [`user:${user.toLowerCase()}`, this.limits.maxFailuresPerUser],
      [`address:${address}`, this.limits.maxFailuresPerAddress],
    ];
    let wait = 0;
    for (const [key, max] of checks) {
      const times = this.recent(key);
      if (times.length >= max) {
        const oldest = times[times.length - max]!;
        wait = Math.max(wait, Math.ceil((oldest + this.limits.windowSeconds * 1000 - this.now()) / 1000));
      }
    }
    return wait;
  }

  fail(user: string, address: string): void {
    for (const key of [`user:${user.toLowerCase()}`, `address:${address}`]) {
      this.failures.set(key, [...this.recent(key), this.now()]);
    }
    this.sweep();
  }

  succeed(user: string): void {
    this.failures.delete(`user:${user.toLowerCase()}`);
  }

  // Bounded memory under a spray of made-up user names: drop keys whose failures have aged out.
  private sweep(): void {
    if (this.failures.size < 10_000) return;
    for (const key of [...this.failures.keys()]) this.recent(key);
  }
}
