// Leader election over a lock (client-go's leaderelection.LeaderElector). A candidate:
//  - tries to acquire every retryPeriod (jittered ×1.2): it may take the lock when nobody holds
//    it or when the holder's record has not changed for leaseDuration by the candidate's own
//    clock (so clock skew between machines does not matter);
//  - once leader, calls onStartedLeading and renews every retryPeriod; when it cannot renew for
//    renewDeadline it stops leading (the signal given to onStartedLeading aborts), calls
//    onStoppedLeading, and run() returns — callers usually exit and restart;
//  - writes are conditional on the lock's resourceVersion, so at most one candidate wins a race.
// Defaults as kube-controller-manager: leaseDuration 15 s, renewDeadline 10 s, retryPeriod 2 s.
import { isNotFound } from './errors.js';
import { jitter, realTimerClock, sleep, type TimerClock } from './clock.js';
import type { LeaderElectionRecord, ResourceLock } from './lease-lock.js';

const JITTER_FACTOR = 1.2;

export interface LeaderCallbacks {
  /** Called when this candidate becomes leader; `signal` aborts when it stops leading. */
  onStartedLeading(signal: AbortSignal): void | Promise<void>;
  /** Called when this candidate stops leading (only after it has led). */
  onStoppedLeading?(): void;
  /** Called when the observed leader changes (including to this candidate). */
  onNewLeader?(identity: string): void;
}

export interface LeaderElectionConfig {
  lock: ResourceLock;
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
  callbacks: LeaderCallbacks;
  /** On abort of run()'s signal while leading, give the lock up so another takes over at once. */
  releaseOnCancel?: boolean;
  clock?: TimerClock;
  random?: () => number;
  /** Where failures are reported (default: stderr). */
  log?: (message: string) => void;
}

export class LeaderElector {
  private readonly leaseDurationMs: number;
  private readonly renewDeadlineMs: number;
  private readonly retryPeriodMs: number;
  private readonly clock: TimerClock;
  private readonly lock: ResourceLock;
  /** The last record seen or written, and when (by our clock) it was seen to change. */
  private observedRecord: LeaderElectionRecord | undefined;
  private observedRaw = '';
  private observedTime = 0;
  private reportedLeader = '';

  constructor(private readonly config: LeaderElectionConfig) {
    this.leaseDurationMs = config.leaseDurationMs ?? 15_000;
    this.renewDeadlineMs = config.renewDeadlineMs ?? 10_000;
    this.retryPeriodMs = config.retryPeriodMs ?? 2_000;
    this.clock = config.clock ?? realTimerClock;
    this.lock = config.lock;
    if (this.leaseDurationMs <= this.renewDeadlineMs) throw new Error('leaseDuration must be greater than renewDeadline');
    if (this.renewDeadlineMs <= JITTER_FACTOR * this.retryPeriodMs) throw new Error('renewDeadline must be greater than retryPeriod*JitterFactor');
    if (this.retryPeriodMs < 1) throw new Error('retryPeriod must be positive');
  }

  /** True while this candidate holds the lock (as last observed). */
  isLeader(): boolean {
    return this.observedRecord?.holderIdentity === this.lock.identity;
  }

  /** The identity of the last observed leader ('' if none). */
  getLeader(): string {
    return this.observedRecord?.holderIdentity ?? '';
  }

  /**
   * Campaigns until leading, leads until the lease cannot be renewed or `signal` aborts, then
   * returns. Returns at once (without leading) if `signal` aborts while campaigning.
   */
  async run(signal?: AbortSignal): Promise<void> {
    if (!(await this.acquire(signal))) return;
    const leading = new AbortController();
    const onAbort = () => leading.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      void Promise.resolve()
        .then(() => this.config.callbacks.onStartedLeading(leading.signal))
        .catch((e) => this.log(`onStartedLeading failed: ${String(e)}`));
      await this.renew(leading.signal);
    } finally {
      signal?.removeEventListener('abort', onAbort);
      leading.abort();
      if (this.config.releaseOnCancel && signal?.aborted) await this.release();
      this.config.callbacks.onStoppedLeading?.();
    }
  }

  private async acquire(signal?: AbortSignal): Promise<boolean> {
    this.log(`attempting to acquire leader lease ${this.lock.describe()}...`, true);
    while (!signal?.aborted) {
      const ok = await this.tryAcquireOrRenew();
      this.maybeReportTransition();
      if (ok) {
        this.log(`successfully acquired lease ${this.lock.describe()}`, true);
        return true;
      }
      await sleep(this.clock, jitter(this.retryPeriodMs, JITTER_FACTOR, this.config.random), signal);
    }
    return false;
  }

  /** Renews every retryPeriod; returns when a renewal fails for renewDeadline or on abort. */
  private async renew(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      const deadline = this.clock.now() + this.renewDeadlineMs;
      let ok = false;
      for (;;) {
        ok = await this.tryAcquireOrRenew();
        this.maybeReportTransition();
        if (ok || signal.aborted) break;
        await sleep(this.clock, this.retryPeriodMs, signal);
        if (this.clock.now() >= deadline) break;
      }
      if (signal.aborted) return;
      if (!ok) {
        this.log(`failed to renew lease ${this.lock.describe()}: timed out waiting for the condition`);
        return;
      }
      await sleep(this.clock, this.retryPeriodMs, signal);
    }
  }

  /** Gives the lock up (holder '' and a 1 s lease) if we hold it. */
  private async release(): Promise<boolean> {
    try {
      await this.lock.get();
      if (!this.isLeader()) return true;
      const now = this.clock.now();
      const rec: LeaderElectionRecord = { holderIdentity: '', leaseDurationSeconds: 1, acquireTime: now, renewTime: now, leaderTransitions: this.observedRecord!.leaderTransitions };
      await this.lock.update(rec);
      this.setObserved(rec);
      return true;
    } catch (e) {
      this.log(`failed to release lock: ${String(e)}`);
      return false;
    }
  }

  private isLeaseValid(now: number): boolean {
    return this.observedTime + this.leaseDurationMs > now;
  }

  private setObserved(rec: LeaderElectionRecord): void {
    this.observedRecord = rec;
    this.observedTime = this.clock.now();
  }

  /** One attempt; true when we hold the lock afterwards. */
  async tryAcquireOrRenew(): Promise<boolean> {
    const now = this.clock.now();
    const rec: LeaderElectionRecord = {
      holderIdentity: this.lock.identity,
      leaseDurationSeconds: Math.floor(this.leaseDurationMs / 1000),
      acquireTime: now,
      renewTime: now,
      leaderTransitions: 0,
    };
    // 1. Fast path: we lead and our lease is still valid: update over what we last wrote.
    if (this.isLeader() && this.isLeaseValid(now)) {
      rec.acquireTime = this.observedRecord!.acquireTime;
      rec.leaderTransitions = this.observedRecord!.leaderTransitions;
      try {
        await this.lock.update(rec);
        this.setObserved(rec);
        return true;
      } catch (e) {
        this.log(`failed to update lock optimistically: ${String(e)}, falling back to slow path`);
      }
    }
    // 2. Read the lock, creating it when absent.
    let old: LeaderElectionRecord;
    let raw: string;
    try {
      ({ record: old, raw } = await this.lock.get());
    } catch (e) {
      if (!isNotFound(e)) {
        this.log(`error retrieving resource lock ${this.lock.describe()}: ${String(e)}`);
        return false;
      }
      try {
        await this.lock.create(rec);
      } catch (err) {
        this.log(`error initially creating leader election record: ${String(err)}`);
        return false;
      }
      this.setObserved(rec);
      return true;
    }
    // 3. Someone else holds a lease that has not expired by our clock: wait.
    if (raw !== this.observedRaw) {
      this.setObserved(old);
      this.observedRaw = raw;
    }
    if (old.holderIdentity && this.isLeaseValid(now) && !this.isLeader()) return false;
    // 4. Take it over (or renew it through the slow path).
    if (this.isLeader()) {
      rec.acquireTime = old.acquireTime;
      rec.leaderTransitions = old.leaderTransitions;
    } else {
      rec.leaderTransitions = old.leaderTransitions + 1;
    }
    try {
      await this.lock.update(rec);
    } catch (e) {
      this.log(`failed to update lock: ${String(e)}`);
      return false;
    }
    this.setObserved(rec);
    return true;
  }

  private maybeReportTransition(): void {
    const holder = this.observedRecord?.holderIdentity ?? '';
    if (holder === this.reportedLeader) return;
    this.reportedLeader = holder;
    const cb = this.config.callbacks.onNewLeader;
    if (cb) queueMicrotask(() => cb(holder));
  }

  private log(message: string, info = false): void {
    if (this.config.log) this.config.log(message);
    else if (!info) console.error(`leaderelection: ${message}`);
  }
}
