// Pod workers (upstream's podWorkers): every pod on this node gets its own serialized sync loop.
// Updates that arrive while a sync runs collapse into one more sync afterwards, so a pod is
// never synced twice at once and never misses its latest version. Terminating pods go through
// terminate() once; removed pods are torn down and forgotten.
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { Timer, TimerClock } from '../../client/index.js';
import type { PodRecord } from './types.js';

export interface PodWorkerHooks {
  sync(rec: PodRecord): Promise<void>;
  terminate(rec: PodRecord): Promise<void>;
  /** Everything of the pod is stopped and it left the API: release its resources. */
  cleanup(rec: PodRecord): Promise<void>;
  onError(rec: PodRecord, err: unknown): void;
}

interface Worker {
  rec: PodRecord;
  running: boolean;
  again: boolean;
  timer?: Timer;
  /** When the pending timer fires (ms), so an earlier requeue can replace a later one. */
  timerAt?: number;
  done?: boolean;
}

/**
 * How many pods sync at once. Syncs interleave at every await, so with no limit a burst of new
 * pods advances in lockstep and all of them finish late; a few at a time finish in arrival order.
 */
export const MAX_CONCURRENT_SYNCS = 32;

export class PodWorkers {
  private readonly workers = new Map<string, Worker>();
  private stopped = false;
  private running = 0;
  /** Syncs waiting for a slot, oldest first. */
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly hooks: PodWorkerHooks, private readonly clock: TimerClock, private readonly maxConcurrent = MAX_CONCURRENT_SYNCS) {}

  private async slot(): Promise<() => void> {
    if (this.running >= this.maxConcurrent) await new Promise<void>((r) => this.waiting.push(r));
    this.running++;
    return () => {
      this.running--;
      this.waiting.shift()?.();
    };
  }

  /** A new or changed pod from the API. */
  update(pod: Pod): void {
    const uid = pod.metadata!.uid!;
    let w = this.workers.get(uid);
    if (!w) {
      w = { rec: { uid, pod, removed: false, admitted: false, waiting: new Map(), terminated: false, finished: false }, running: false, again: false };
      this.workers.set(uid, w);
    } else w.rec.pod = pod;
    this.kick(w);
  }

  /**
   * A newer version of a known pod that differs only in what the kubelet itself reports (its
   * status): kept for the next sync, without one of its own — as upstream ignores status-only
   * updates, since the kubelet is the source of the status.
   */
  refresh(pod: Pod): void {
    const w = this.workers.get(pod.metadata!.uid!);
    if (w) w.rec.pod = pod;
    else this.update(pod);
  }

  /** The pod left the API (or this node). */
  remove(uid: string): void {
    const w = this.workers.get(uid);
    if (!w) return;
    w.rec.removed = true;
    this.kick(w);
  }

  /** Another sync of the pod in `ms` (back-off end, probe period, retry). */
  requeue(uid: string, ms: number): void {
    const w = this.workers.get(uid);
    if (!w || this.stopped) return;
    const at = this.clock.now() + Math.max(0, ms);
    if (w.timer && w.timerAt !== undefined && w.timerAt <= at) return;
    w.timer?.cancel();
    w.timerAt = at;
    w.timer = this.clock.setTimer(() => {
      w.timer = undefined;
      w.timerAt = undefined;
      this.kick(w);
    }, Math.max(0, ms));
  }

  /** Syncs the pod now (container state changed, probe result changed). */
  kickUid(uid: string): void {
    const w = this.workers.get(uid);
    if (w) this.kick(w);
  }

  records(): PodRecord[] {
    return [...this.workers.values()].map((w) => w.rec);
  }

  get(uid: string): PodRecord | undefined {
    return this.workers.get(uid)?.rec;
  }

  /** Stops scheduling syncs; running ones finish. */
  stop(): void {
    this.stopped = true;
    for (const w of this.workers.values()) w.timer?.cancel();
  }

  private kick(w: Worker): void {
    if (this.stopped || w.done) return;
    if (w.running) {
      w.again = true;
      return;
    }
    w.running = true;
    void this.loop(w);
  }

  private async loop(w: Worker): Promise<void> {
    do {
      w.again = false;
      const rec = w.rec;
      try {
        if (rec.removed || rec.pod.metadata?.deletionTimestamp) {
          await this.hooks.terminate(rec);
          if (rec.removed || rec.finished) {
            await this.hooks.cleanup(rec);
            if (rec.removed) {
              w.done = true;
              w.timer?.cancel();
              this.workers.delete(rec.uid);
              break;
            }
          }
        } else {
          const release = await this.slot();
          try {
            await this.hooks.sync(rec);
          } finally {
            release();
          }
        }
      } catch (e) {
        this.hooks.onError(rec, e);
        this.requeue(rec.uid, 2_000);
      }
    } while (w.again && !this.stopped);
    w.running = false;
  }
}
