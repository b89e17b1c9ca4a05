// Flow control shared by the REST client, the workqueue and the reflector: a token bucket
// (golang.org/x/time/rate's reservation semantics, as client-go's flowcontrol) and an
// exponential back-off with jitter and reset (wait.ExponentialBackoffManager).
import { jitter, realTimerClock, sleep, type TimerClock } from './clock.js';

/**
 * `qps` tokens per second, at most `burst` saved. `reserve()` always takes a token, possibly on
 * credit, and returns how long the caller must wait before using it — so concurrent callers are
 * spaced 1/qps apart in arrival order.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    readonly qps: number,
    readonly burst: number,
    private readonly clock: TimerClock = realTimerClock,
  ) {
    this.tokens = burst;
    this.last = clock.now();
  }

  /** Takes a token; returns the delay (ms) until it is valid (0 when one was saved). */
  reserve(): number {
    this.refill();
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : (-this.tokens / this.qps) * 1000;
  }

  /** Takes a token only if one is available now. */
  tryAccept(): boolean {
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Waits for a token. */
  async wait(): Promise<void> {
    const d = this.reserve();
    if (d > 0) await sleep(this.clock, d);
  }

  private refill(): void {
    const now = this.clock.now();
    if (now > this.last) {
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.qps);
      this.last = now;
    }
  }
}

export interface BackoffOptions {
  /** First delay (ms). */
  initialMs: number;
  /** Cap (ms). */
  maxMs: number;
  factor?: number;
  /** Jitter factor: each delay is d * [1, 1 + jitter). */
  jitter?: number;
  /** After this long without a back-off (ms), start again from initialMs. */
  resetAfterMs?: number;
  clock?: TimerClock;
  random?: () => number;
}

export class ExponentialBackoff {
  private current = 0;
  private lastBackoff = -Infinity;
  private readonly clock: TimerClock;

  constructor(private readonly o: BackoffOptions) {
    this.clock = o.clock ?? realTimerClock;
  }

  /** The next delay (ms), growing by `factor` up to `maxMs`. */
  next(): number {
    const now = this.clock.now();
    if (this.o.resetAfterMs !== undefined && now - this.lastBackoff > this.o.resetAfterMs) this.current = 0;
    this.lastBackoff = now;
    this.current = this.current === 0 ? this.o.initialMs : Math.min(this.o.maxMs, this.current * (this.o.factor ?? 2));
    return Math.min(this.o.maxMs, jitter(this.current, this.o.jitter ?? 0, this.o.random));
  }

  reset(): void {
    this.current = 0;
  }
}
