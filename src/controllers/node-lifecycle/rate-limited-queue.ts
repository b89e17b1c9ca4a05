// A per-zone queue of nodes waiting for a NoExecute taint, drained at a limited rate
// (pkg/controller/nodelifecycle/scheduler RateLimitedTimedQueue): tainting a node evicts its pods,
// so a zone that loses many nodes at once loses them slowly.
//  - Unique: a node is added once; it stays a member after it was processed (so the next monitor
//    pass does not taint it again) until remove() — when it is healthy again or its taint vanished.
//  - Timed: each entry is processed no earlier than its processAt; a failed attempt sets a later one.
//  - Rate limited: one token per processed entry; a qps of 0 processes nothing.
import { TokenBucket, type TimerClock } from '../../client/index.js';

/** Burst of the eviction limiter (scheduler.EvictionRateLimiterBurst). */
export const EVICTION_RATE_LIMITER_BURST = 1;

interface Entry {
  uid: string;
  addedAt: number;
  processAt: number;
  seq: number;
}

/** Result of one attempt: done, or try again after retryMs. */
export type TryResult = { ok: true } | { ok: false; retryMs: number };

export class RateLimitedTimedQueue {
  /** Entries still to process, by node name. Every key is also in `members`. */
  private readonly queue = new Map<string, Entry>();
  /** Nodes added and not removed since, processed or not. */
  private readonly members = new Set<string>();
  private limiter: { tryAccept(): boolean };
  private seq = 0;

  constructor(
    private qps: number,
    private readonly clock: TimerClock,
  ) {
    this.limiter = newLimiter(qps, clock);
  }

  /** Adds a node unless it is already a member; true when added. */
  add(name: string, uid: string): boolean {
    if (this.members.has(name)) return false;
    const now = this.clock.now();
    this.members.add(name);
    this.queue.set(name, { uid, addedAt: now, processAt: now, seq: this.seq++ });
    return true;
  }

  /** Forgets a node (queued or processed); true when it was a member. */
  remove(name: string): boolean {
    this.queue.delete(name);
    return this.members.delete(name);
  }

  has(name: string): boolean {
    return this.members.has(name);
  }

  /** Entries still waiting to be processed. */
  pending(): string[] {
    return [...this.queue.keys()];
  }

  /** Changes the rate (a new bucket, drained when the old one was empty, as upstream). */
  swapLimiter(qps: number): void {
    if (qps === this.qps) return;
    const next = newLimiter(qps, this.clock);
    if (!this.limiter.tryAccept()) next.tryAccept();
    this.limiter = next;
    this.qps = qps;
  }

  /** Processes due entries in order while the limiter allows. */
  async try(fn: (name: string, uid: string) => Promise<TryResult>): Promise<void> {
    for (let head = this.head(); head; head = this.head()) {
      const [name, e] = head;
      if (!this.limiter.tryAccept()) return;
      const now = this.clock.now();
      if (now < e.processAt) return;
      const r = await fn(name, e.uid);
      if (this.queue.get(name) !== e) continue; // removed or re-added meanwhile
      if (r.ok) this.queue.delete(name);
      else e.processAt = now + r.retryMs + 1;
    }
  }

  private head(): [string, Entry] | undefined {
    let best: [string, Entry] | undefined;
    for (const kv of this.queue) {
      const [, e] = kv;
      if (!best || e.processAt < best[1].processAt || (e.processAt === best[1].processAt && e.seq < best[1].seq)) best = kv;
    }
    return best;
  }
}

function newLimiter(qps: number, clock: TimerClock): { tryAccept(): boolean } {
  return qps > 0 ? new TokenBucket(qps, EVICTION_RATE_LIMITER_BURST, clock) : { tryAccept: () => false };
}
