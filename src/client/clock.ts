// Injected time for the client machinery: `now()` plus one-shot timers. Back-off, workqueue
// delays, resync periods, lease renewal and event aggregation windows all read time through a
// TimerClock, so their tests advance a FakeClock instead of sleeping.
import type { Clock } from '../util/clock.js';

export interface Timer {
  /** Cancels the timer; a no-op when it already fired or was cancelled. */
  cancel(): void;
}

export interface TimerClock extends Clock {
  /** Calls `fn` once, `ms` milliseconds from now (by this clock). */
  setTimer(fn: () => void, ms: number): Timer;
}

export const realTimerClock: TimerClock = {
  now: () => Date.now(),
  setTimer(fn, ms) {
    const t = setTimeout(fn, Math.max(0, ms));
    return { cancel: () => clearTimeout(t) };
  },
};

/** Resolves after `ms` by `clock`, or at once (resolving, not rejecting) when `signal` aborts. */
export function sleep(clock: TimerClock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const onAbort = () => {
      timer.cancel();
      resolve();
    };
    const timer = clock.setTimer(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** `base` scaled by a random factor in [1, 1 + maxFactor) (wait.Jitter). */
export function jitter(base: number, maxFactor: number, random: () => number = Math.random): number {
  return maxFactor > 0 ? base + random() * maxFactor * base : base;
}

interface FakeTimer {
  at: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

/**
 * Fake time for tests. `step(ms)` moves time on and fires due timers synchronously, in due order;
 * `advance(ms)` does the same but lets promise chains and I/O callbacks run after each timer, so
 * async loops (reflectors, electors, workers) observe every tick.
 */
export class FakeClock implements TimerClock {
  private t: number;
  private seq = 0;
  private timers: FakeTimer[] = [];

  constructor(start = Date.UTC(2025, 0, 1)) {
    this.t = start;
  }

  now(): number {
    return this.t;
  }

  setTimer(fn: () => void, ms: number): Timer {
    const timer: FakeTimer = { at: this.t + Math.max(0, ms), seq: this.seq++, fn, cancelled: false };
    this.timers.push(timer);
    return { cancel: () => void (timer.cancelled = true) };
  }

  /** Timers not yet fired nor cancelled. */
  pending(): number {
    return this.timers.filter((t) => !t.cancelled).length;
  }

  /** Moves time on by `ms`, firing due timers synchronously. */
  step(ms: number): void {
    const end = this.t + ms;
    for (let next = this.nextDue(end); next; next = this.nextDue(end)) {
      this.t = Math.max(this.t, next.at);
      next.fn();
    }
    this.t = end;
  }

  /** Moves time on by `ms`, letting pending async work settle before and after each timer. */
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    await settle();
    for (let next = this.nextDue(end); next; next = this.nextDue(end)) {
      this.t = Math.max(this.t, next.at);
      next.fn();
      await settle();
    }
    this.t = end;
    await settle();
  }

  private nextDue(end: number): FakeTimer | undefined {
    this.timers = this.timers.filter((t) => !t.cancelled);
    let best: FakeTimer | undefined;
    for (const t of this.timers) {
      if (t.at <= end && (!best || t.at < best.at || (t.at === best.at && t.seq < best.seq))) best = t;
    }
    if (best) best.cancelled = true;
    return best;
  }
}

/** Lets queued promise callbacks and immediates run (a few macrotask turns). */
export async function settle(turns = 5): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise<void>((r) => setImmediate(r));
}
