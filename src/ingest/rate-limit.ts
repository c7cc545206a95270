/**
 * A token bucket per project key: `ratePerSecond` tokens refill continuously up to `burst`, and
 * each event takes one. Per process: behind a load balancer each `serve` process enforces its own
 * share, which is why the README sizes it per process.
 */
export interface RateLimit {
  ratePerSecond: number;
  burst: number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/** Buckets idle this long are full again and are forgotten, so a flood of keys cannot grow memory forever. */
const idleMs = 10 * 60_000;

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private lastSweep = 0;

  constructor(
    private readonly limit: RateLimit,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** Takes a token for `key`: 0 when allowed, else the whole seconds to wait (for Retry-After). */
  take(key: string): number {
    const now = this.now();
    this.sweep(now);
    const { ratePerSecond, burst } = this.limit;
    const bucket = this.buckets.get(key) ?? { tokens: burst, updatedAt: now };
    bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.updatedAt) / 1000) * ratePerSecond);
    bucket.updatedAt = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / ratePerSecond));
  }

  private sweep(now: number): void {
    if (now - this.lastSweep < idleMs) return;
    this.lastSweep = now;
    for (const [key, bucket] of this.buckets) if (now - bucket.updatedAt > idleMs) this.buckets.delete(key);
  }
}
