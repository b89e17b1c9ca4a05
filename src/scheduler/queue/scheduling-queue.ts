// The scheduling queue (upstream's PriorityQueue) holds pods waiting for a node in three parts:
//  - activeQ: pods to try now, in the profile's QueueSort order (priority, then age);
//  - backoffQ: pods that failed recently, ordered by when their back-off ends (1 s doubling up to
//    10 s by default); they move to activeQ as it ends;
//  - unschedulablePods: pods no node fits; they stay until a cluster event that one of the plugins
//    that rejected them registered for (a node added, a pod deleted, …) moves them on, or until
//    they have waited podMaxInUnschedulablePodsDuration (5 min).
// A pod is in at most one part at a time, or "in flight" between pop() and done().
// If a cluster event arrives while a pod is in flight, its failure sends it to backoffQ rather
// than unschedulablePods, so the event is not lost (upstream's moveRequestCycle).
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { Timer, TimerClock } from '../../client/index.js';
import { eventMatches, QueueingHint, UnschedulableTimeout, type ClusterEventWithHint, type IncomingEvent } from '../framework/events.js';
import { PodInfo, podUid, type QueuedPodInfo } from '../framework/types.js';
import { Heap } from './heap.js';
import { Nominator } from './nominator.js';

export interface SchedulingQueueOptions {
  clock: TimerClock;
  /** The QueueSort order: whether a goes before b. */
  less: (a: QueuedPodInfo, b: QueuedPodInfo) => boolean;
  /** Plugin name → the events that may help pods it rejected. */
  enqueueEvents?: Map<string, ClusterEventWithHint[]>;
  podInitialBackoffMs?: number;
  podMaxBackoffMs?: number;
  podMaxInUnschedulablePodsDurationMs?: number;
}

const key = (p: QueuedPodInfo) => podUid(p.podInfo.pod);

export class SchedulingQueue {
  readonly nominator = new Nominator();
  private readonly clock: TimerClock;
  private readonly activeQ: Heap<QueuedPodInfo>;
  private readonly backoffQ: Heap<QueuedPodInfo>;
  private readonly unschedulablePods = new Map<string, QueuedPodInfo>();
  /** Popped and not yet done(): pod UID → its queued info. */
  private readonly inFlight = new Map<string, QueuedPodInfo>();
  private readonly initialBackoff: number;
  private readonly maxBackoff: number;
  private readonly maxUnschedulable: number;
  private schedulingCycle = 0;
  /** The cycle in which the last move request (cluster event) came. */
  private moveRequestCycle = -1;
  private waiters: Array<(p: QueuedPodInfo | undefined) => void> = [];
  private backoffTimer: Timer | undefined;
  private leftoverTimer: Timer | undefined;
  private closed = false;

  constructor(private readonly opts: SchedulingQueueOptions) {
    this.clock = opts.clock;
    this.initialBackoff = opts.podInitialBackoffMs ?? 1000;
    this.maxBackoff = opts.podMaxBackoffMs ?? 10_000;
    this.maxUnschedulable = opts.podMaxInUnschedulablePodsDurationMs ?? 5 * 60_000;
    this.activeQ = new Heap(key, opts.less);
    this.backoffQ = new Heap(key, (a, b) => this.backoffExpiry(a) < this.backoffExpiry(b));
  }

  /** Starts the periodic flush of pods left unschedulable too long (every 30 s). */
  run(): void {
    const tick = () => {
      if (this.closed) return;
      this.flushUnschedulablePodsLeftover();
      this.leftoverTimer = this.clock.setTimer(tick, 30_000);
    };
    this.leftoverTimer = this.clock.setTimer(tick, 30_000);
  }

  close(): void {
    this.closed = true;
    this.backoffTimer?.cancel();
    this.leftoverTimer?.cancel();
    for (const w of this.waiters.splice(0)) w(undefined);
  }

  /** A new pending pod: straight to activeQ. */
  add(pod: Pod): void {
    const pi = PodInfo.of(pod);
    const uid = podUid(pod);
    if (this.inFlight.has(uid)) return;
    this.unschedulablePods.delete(uid);
    this.backoffQ.delete(uid);
    const existing = this.activeQ.get(uid);
    this.pushActive(existing ? { ...existing, podInfo: pi } : this.newQueued(pi));
    this.nominator.add(pi);
  }

  /** A pending pod changed. */
  update(oldPod: Pod, newPod: Pod): void {
    const uid = podUid(newPod);
    const pi = PodInfo.of(newPod);
    this.nominator.update(oldPod, pi);
    const inFlight = this.inFlight.get(uid);
    if (inFlight) {
      inFlight.podInfo = pi;
      return;
    }
    const active = this.activeQ.get(uid);
    if (active) return this.activeQ.addOrUpdate({ ...active, podInfo: pi });
    const backoff = this.backoffQ.get(uid);
    if (backoff) return this.backoffQ.addOrUpdate({ ...backoff, podInfo: pi });
    const unsched = this.unschedulablePods.get(uid);
    if (unsched) {
      unsched.podInfo = pi;
      // A change of what the pod asks for may make it schedulable; a status write may not.
      if (schedulingRelevantChange(oldPod, newPod)) {
        this.unschedulablePods.delete(uid);
        this.requeue(unsched);
      }
      return;
    }
    this.pushActive(this.newQueued(pi));
  }

  delete(pod: Pod): void {
    const uid = podUid(pod);
    this.nominator.delete(pod);
    this.activeQ.delete(uid);
    this.backoffQ.delete(uid);
    this.unschedulablePods.delete(uid);
    this.scheduleBackoffFlush();
  }

  /** The next pod to schedule; waits while activeQ is empty; undefined once closed or aborted. */
  pop(signal?: AbortSignal): Promise<QueuedPodInfo | undefined> {
    if (this.closed || signal?.aborted) return Promise.resolve(undefined);
    const p = this.activeQ.pop();
    if (p) return Promise.resolve(this.take(p));
    return new Promise((resolve) => {
      const waiter = (x: QueuedPodInfo | undefined) => {
        signal?.removeEventListener('abort', onAbort);
        resolve(x ? this.take(x) : undefined);
      };
      const onAbort = () => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve(undefined);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  /** The cycle number of the latest pop. */
  currentCycle(): number {
    return this.schedulingCycle;
  }

  /** The scheduling (and binding) of a popped pod is over. */
  done(uid: string): void {
    this.inFlight.delete(uid);
  }

  /**
   * A popped pod failed: back to backoffQ when it failed with an error or an event came while it
   * was in flight, else to unschedulablePods to wait for an event.
   */
  addUnschedulableIfNotPresent(p: QueuedPodInfo, podSchedulingCycle: number): void {
    const uid = key(p);
    this.inFlight.delete(uid);
    if (this.activeQ.has(uid) || this.backoffQ.has(uid) || this.unschedulablePods.has(uid)) return;
    p.timestamp = this.clock.now();
    const rejected = p.unschedulablePlugins.size > 0 || p.pendingPlugins.size > 0;
    if (!rejected || this.moveRequestCycle >= podSchedulingCycle) {
      this.backoffQ.addOrUpdate(p);
      this.scheduleBackoffFlush();
    } else {
      this.unschedulablePods.set(uid, p);
    }
    this.nominator.add(p.podInfo);
  }

  /**
   * A cluster event happened: moves the unschedulable pods it may help (by the events their
   * rejecting plugins registered, and those plugins' hints) to activeQ, or backoffQ while backing off.
   */
  moveAllToActiveOrBackoffQueue(event: IncomingEvent, oldObj?: unknown, newObj?: unknown, preCheck?: (pod: Pod) => boolean): void {
    const moved: QueuedPodInfo[] = [];
    for (const [uid, p] of this.unschedulablePods) {
      if (preCheck && !preCheck(p.podInfo.pod)) continue;
      if (event !== UnschedulableTimeout && !this.eventMayHelp(p, event, oldObj, newObj)) continue;
      this.unschedulablePods.delete(uid);
      moved.push(p);
    }
    for (const p of moved) this.requeue(p);
    this.moveRequestCycle = this.schedulingCycle;
  }

  /** Moves pods whose back-off ended from backoffQ to activeQ. */
  flushBackoffQCompleted(): void {
    const now = this.clock.now();
    for (let p = this.backoffQ.peek(); p && this.backoffExpiry(p) <= now; p = this.backoffQ.peek()) {
      this.backoffQ.pop();
      this.pushActive(p);
    }
    this.scheduleBackoffFlush();
  }

  /** Retries pods that stayed in unschedulablePods longer than the maximum. */
  flushUnschedulablePodsLeftover(): void {
    const now = this.clock.now();
    const stale = [...this.unschedulablePods.values()].filter((p) => now - p.timestamp > this.maxUnschedulable);
    if (stale.length === 0) return;
    const uids = new Set(stale.map(key));
    this.moveAllToActiveOrBackoffQueue(UnschedulableTimeout, undefined, undefined, (pod) => uids.has(podUid(pod)));
  }

  /** Pending pods by part, for debugging and tests. */
  pendingPods(): { active: Pod[]; backoff: Pod[]; unschedulable: Pod[]; inFlight: Pod[] } {
    const pods = (xs: Iterable<QueuedPodInfo>) => [...xs].map((p) => p.podInfo.pod);
    return { active: pods(this.activeQ.list()), backoff: pods(this.backoffQ.list()), unschedulable: pods(this.unschedulablePods.values()), inFlight: pods(this.inFlight.values()) };
  }

  /** upstream's calculateBackoffDuration: initial × 2^(n−1), at most max, n the failures that count. */
  backoffDuration(p: QueuedPodInfo): number {
    const n = p.consecutiveErrorsCount > 0 ? p.consecutiveErrorsCount : p.unschedulableCount;
    if (n <= 0) return 0;
    let d = this.initialBackoff;
    for (let i = 1; i < n; i++) {
      d *= 2;
      if (d > this.maxBackoff) return this.maxBackoff;
    }
    return Math.min(d, this.maxBackoff);
  }

  backoffExpiry(p: QueuedPodInfo): number {
    return p.timestamp + this.backoffDuration(p);
  }

  private isBackingOff(p: QueuedPodInfo): boolean {
    return this.backoffExpiry(p) > this.clock.now();
  }

  private requeue(p: QueuedPodInfo): void {
    if (this.isBackingOff(p)) {
      this.backoffQ.addOrUpdate(p);
      this.scheduleBackoffFlush();
    } else {
      this.pushActive(p);
    }
  }

  private eventMayHelp(p: QueuedPodInfo, event: IncomingEvent, oldObj: unknown, newObj: unknown): boolean {
    const plugins = new Set([...p.unschedulablePlugins, ...p.pendingPlugins]);
    if (plugins.size === 0) return true;
    for (const name of plugins) {
      const registered = this.opts.enqueueEvents?.get(name);
      // A plugin that registers no events is woken by any event (upstream's wildcard).
      if (!registered) return true;
      for (const e of registered) {
        if (!eventMatches(e.event, event)) continue;
        if (!e.hint) return true;
        try {
          if (e.hint(p.podInfo.pod, oldObj, newObj) === QueueingHint.Queue) return true;
        } catch {
          return true;
        }
      }
    }
    return false;
  }

  private newQueued(pi: PodInfo): QueuedPodInfo {
    return { podInfo: pi, timestamp: this.clock.now(), attempts: 0, unschedulableCount: 0, consecutiveErrorsCount: 0, unschedulablePlugins: new Set(), pendingPlugins: new Set() };
  }

  private pushActive(p: QueuedPodInfo): void {
    const w = this.waiters.shift();
    if (w) w(p);
    else this.activeQ.addOrUpdate(p);
  }

  private take(p: QueuedPodInfo): QueuedPodInfo {
    this.schedulingCycle++;
    p.attempts++;
    p.initialAttemptTimestamp ??= this.clock.now();
    this.inFlight.set(key(p), p);
    return p;
  }

  private scheduleBackoffFlush(): void {
    this.backoffTimer?.cancel();
    this.backoffTimer = undefined;
    const head = this.backoffQ.peek();
    if (!head || this.closed) return;
    this.backoffTimer = this.clock.setTimer(() => this.flushBackoffQCompleted(), Math.max(0, this.backoffExpiry(head) - this.clock.now()));
  }
}

/** Whether an update of a pending pod changed anything but its status and bookkeeping. */
function schedulingRelevantChange(a: Pod, b: Pod): boolean {
  const strip = (p: Pod) => {
    const { resourceVersion: _rv, generation: _g, managedFields: _mf, ...meta } = p.metadata ?? {};
    return JSON.stringify({ meta, spec: p.spec });
  };
  return strip(a) !== strip(b);
}
