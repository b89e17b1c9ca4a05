// Runs a sync function at most once per `minIntervalMs` however often it is asked to (kube-proxy's
// BoundedFrequencyRunner with its --iptables-min-sync-period): a burst of endpoint changes
// becomes one iptables-restore. Guarantees:
//  - a request is never lost: asked while a sync runs, another sync follows it;
//  - syncs never overlap;
//  - a failed sync is retried after `retryMs` (the failure goes to onError);
//  - with `periodMs`, a sync also runs that often, repairing rules someone else removed.
import type { Timer, TimerClock } from '../client/index.js';

export interface SyncRunnerOptions {
  clock: TimerClock;
  minIntervalMs: number;
  periodMs?: number;
  retryMs?: number;
  onError?: (e: unknown) => void;
}

export class SyncRunner {
  private lastStart = -Infinity;
  private running: Promise<void> | undefined;
  /** A sync was asked for and has not started yet. */
  private pending = false;
  private timer: Timer | undefined;
  private periodic: Timer | undefined;
  private stopped = false;

  constructor(
    private readonly fn: () => Promise<void>,
    private readonly opts: SyncRunnerOptions,
  ) {
    this.armPeriodic();
  }

  /** Asks for a sync: now if the last one started long enough ago, else when it may. */
  request(): void {
    if (this.stopped) return;
    this.pending = true;
    if (this.running) return; // the end of the running sync picks the request up
    this.arm(this.lastStart + this.opts.minIntervalMs - this.opts.clock.now());
  }

  /** Resolves once no sync runs and none is due before the current one ends. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.timer?.cancel();
    this.periodic?.cancel();
    await this.idle();
  }

  private arm(delayMs: number): void {
    this.timer?.cancel();
    this.timer = this.opts.clock.setTimer(() => this.runNow(), Math.max(0, delayMs));
  }

  private armPeriodic(): void {
    if (!this.opts.periodMs || this.stopped) return;
    this.periodic?.cancel();
    this.periodic = this.opts.clock.setTimer(() => {
      this.request();
      this.armPeriodic();
    }, this.opts.periodMs);
  }

  private runNow(): void {
    if (this.stopped || this.running || !this.pending) return;
    this.pending = false;
    this.lastStart = this.opts.clock.now();
    let failed = false;
    this.running = this.fn()
      .catch((e) => {
        failed = true;
        this.opts.onError?.(e);
      })
      .finally(() => {
        this.running = undefined;
        if (this.stopped) return;
        if (failed) {
          this.pending = true;
          this.arm(this.opts.retryMs ?? 5000);
        } else if (this.pending) {
          this.arm(this.lastStart + this.opts.minIntervalMs - this.opts.clock.now());
        }
      });
  }
}
