// Expectations: what a controller waits to see in its informers before it acts again
// (controller_utils.go's ControllerExpectations wrapped by UIDTrackingControllerExpectations).
//
// A controller that creates 5 pods expects 5 adds; until the pod informer has shown it those 5
// pods (or the creations failed and were taken back), a sync would count too few pods and
// create more. So sync only manages replicas once expectations are satisfied:
//  - expectations are set before the writes and can then only be lowered;
//  - they are satisfied when no adds and no deletes remain, or after EXPECTATIONS_TIMEOUT_MS
//    (a lost watch event must not put a controller to sleep for ever);
//  - a controller that never set any is always satisfied.
// Deletions are tracked by pod key, so a pod seen first with a deletionTimestamp and then
// deleted counts once.
import type { Clock } from '../../util/clock.js';

/** How long unmet expectations hold a controller back (ExpectationsTimeout). */
export const EXPECTATIONS_TIMEOUT_MS = 5 * 60 * 1000;

export interface ControlleeExpectations {
  /** Creations still to be observed (≤ 0: none). */
  add: number;
  /** Deletions still to be observed (≤ 0: none). */
  del: number;
  /** When they were set (clock ms). */
  timestamp: number;
}

export class UIDTrackingExpectations {
  /** Controller key → its outstanding counts. */
  private readonly counts = new Map<string, ControlleeExpectations>();
  /** Controller key → keys (`ns/name`) of the pods whose deletion it still waits to see. */
  private readonly deleteKeys = new Map<string, Set<string>>();

  constructor(
    private readonly clock: Clock,
    private readonly timeoutMs = EXPECTATIONS_TIMEOUT_MS,
  ) {}

  get(controllerKey: string): Readonly<ControlleeExpectations> | undefined {
    return this.counts.get(controllerKey);
  }

  /** True when the controller may act: nothing outstanding, expired, or never set. */
  satisfiedExpectations(controllerKey: string): boolean {
    const e = this.counts.get(controllerKey);
    if (!e) return true;
    if (e.add <= 0 && e.del <= 0) return true;
    return this.clock.now() - e.timestamp > this.timeoutMs;
  }

  /** Expect `adds` creations (replacing earlier counts). */
  expectCreations(controllerKey: string, adds: number): void {
    this.set(controllerKey, adds, 0);
  }

  /** Expect the deletion of exactly these pods (replacing earlier counts). */
  expectDeletions(controllerKey: string, podKeys: readonly string[]): void {
    const keys = new Set(podKeys);
    this.deleteKeys.set(controllerKey, keys);
    this.set(controllerKey, 0, keys.size);
  }

  /** One expected creation happened (or will never happen). */
  creationObserved(controllerKey: string): void {
    this.lower(controllerKey, 1, 0);
  }

  /** The pod `podKey` was seen deleted (counted once, and only if it was expected). */
  deletionObserved(controllerKey: string, podKey: string): void {
    const keys = this.deleteKeys.get(controllerKey);
    if (!keys?.has(podKey)) return;
    keys.delete(podKey);
    this.lower(controllerKey, 0, 1);
  }

  lowerExpectations(controllerKey: string, add: number, del: number): void {
    this.lower(controllerKey, add, del);
  }

  raiseExpectations(controllerKey: string, add: number, del: number): void {
    this.lower(controllerKey, -add, -del);
  }

  /** Forgets the controller (it was deleted, or a new one with the same name must start clean). */
  deleteExpectations(controllerKey: string): void {
    this.counts.delete(controllerKey);
    this.deleteKeys.delete(controllerKey);
  }

  private set(controllerKey: string, add: number, del: number): void {
    this.counts.set(controllerKey, { add, del, timestamp: this.clock.now() });
  }

  private lower(controllerKey: string, add: number, del: number): void {
    const e = this.counts.get(controllerKey);
    if (!e) return;
    e.add -= add;
    e.del -= del;
  }
}
