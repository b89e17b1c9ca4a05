// How long an item should wait before it is retried (client-go's workqueue rate limiters).
// The controller default is the slower of a per-item exponential back-off (5 ms doubling to
// 1000 s) and an overall token bucket (10 qps, burst 100) shared by all items.
import { realTimerClock, type TimerClock } from '../clock.js';
import { TokenBucket } from '../flowcontrol.js';

export interface RateLimiter<T> {
  /** The delay (ms) before `item` may be processed again; counts a requeue. */
  when(item: T): number;
  /** Stops tracking `item` (it succeeded): its back-off starts over next time. */
  forget(item: T): void;
  /** How often `item` has been requeued since it was last forgotten. */
  numRequeues(item: T): number;
}

/** base · 2^failures, capped at max (per item). */
export class ItemExponentialFailureRateLimiter<T> implements RateLimiter<T> {
  private readonly failures = new Map<T, number>();

  constructor(
    readonly baseDelayMs = 5,
    readonly maxDelayMs = 1000_000,
  ) {}

  when(item: T): number {
    const exp = this.failures.get(item) ?? 0;
    this.failures.set(item, exp + 1);
    const backoff = this.baseDelayMs * 2 ** exp;
    return backoff > this.maxDelayMs || !Number.isFinite(backoff) ? this.maxDelayMs : backoff;
  }

  forget(item: T): void {
    this.failures.delete(item);
  }

  numRequeues(item: T): number {
    return this.failures.get(item) ?? 0;
  }
}

/** `fastDelay` for the first `maxFastAttempts` requeues of an item, `slowDelay` after. */
export class ItemFastSlowRateLimiter<T> implements RateLimiter<T> {
  private readonly failures = new Map<T, number>();

  constructor(
    readonly fastDelayMs: number,
    readonly slowDelayMs: number,
    readonly maxFastAttempts: number,
  ) {}

  when(item: T): number {
    const n = (this.failures.get(item) ?? 0) + 1;
    this.failures.set(item, n);
    return n <= this.maxFastAttempts ? this.fastDelayMs : this.slowDelayMs;
  }

  forget(item: T): void {
    this.failures.delete(item);
  }

  numRequeues(item: T): number {
    return this.failures.get(item) ?? 0;
  }
}

/** An overall token bucket: items are spaced 1/qps apart once the burst is used up. */
export class BucketRateLimiter<T> implements RateLimiter<T> {
  constructor(readonly bucket: TokenBucket) {}

  when(_item: T): number {
    return this.bucket.reserve();
  }

  forget(_item: T): void {}

  numRequeues(_item: T): number {
    return 0;
  }
}

/** The longest delay of several limiters. */
export class MaxOfRateLimiter<T> implements RateLimiter<T> {
  readonly limiters: RateLimiter<T>[];

  constructor(...limiters: RateLimiter<T>[]) {
    this.limiters = limiters;
  }

  when(item: T): number {
    let d = 0;
    for (const l of this.limiters) d = Math.max(d, l.when(item));
    return d;
  }

  forget(item: T): void {
    for (const l of this.limiters) l.forget(item);
  }

  numRequeues(item: T): number {
    let n = 0;
    for (const l of this.limiters) n = Math.max(n, l.numRequeues(item));
    return n;
  }
}

/** client-go's DefaultControllerRateLimiter / DefaultTypedControllerRateLimiter. */
export function defaultControllerRateLimiter<T>(clock: TimerClock = realTimerClock): RateLimiter<T> {
  return new MaxOfRateLimiter<T>(new ItemExponentialFailureRateLimiter<T>(5, 1000_000), new BucketRateLimiter<T>(new TokenBucket(10, 100, clock)));
}
