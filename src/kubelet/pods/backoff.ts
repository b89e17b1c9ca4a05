// Restart back-off for crashing containers (upstream's flowcontrol.Backoff as the kubelet uses
// it): the first restart is immediate, then each restart waits twice as long as the previous one,
// from 10 s up to 5 min. An entry unused for twice the maximum (a container that ran 10 min) is
// forgotten, so the next crash starts over at 10 s.
import type { Clock } from '../../util/clock.js';

export const INITIAL_BACKOFF_MS = 10_000;
export const MAX_BACKOFF_MS = 300_000;

interface Entry {
  backoffMs: number;
  lastUpdate: number;
}

export class RestartBackoff {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly clock: Clock,
    private readonly initialMs = INITIAL_BACKOFF_MS,
    private readonly maxMs = MAX_BACKOFF_MS,
  ) {}

  /** True while a restart of `key` after a finish at `finishedAt` (ms) must still wait. */
  isInBackOffSince(key: string, finishedAt: number): boolean {
    const e = this.entries.get(key);
    if (!e || this.expired(e)) return false;
    return this.clock.now() - finishedAt < e.backoffMs;
  }

  /** True while the back-off since the last recorded attempt (next()) runs. */
  isInBackOff(key: string): boolean {
    const e = this.entries.get(key);
    return !!e && !this.expired(e) && this.clock.now() - e.lastUpdate < e.backoffMs;
  }

  /** When a restart after `finishedAt` becomes due (ms since the epoch). */
  dueAt(key: string, finishedAt: number): number {
    const e = this.entries.get(key);
    return e ? finishedAt + e.backoffMs : finishedAt;
  }

  /** The current back-off of `key` (ms), 0 when none. */
  get(key: string): number {
    const e = this.entries.get(key);
    return e && !this.expired(e) ? e.backoffMs : 0;
  }

  /** Records a restart: the next one waits twice as long (capped). */
  next(key: string): void {
    const now = this.clock.now();
    const e = this.entries.get(key);
    if (!e || this.expired(e)) this.entries.set(key, { backoffMs: this.initialMs, lastUpdate: now });
    else this.entries.set(key, { backoffMs: Math.min(e.backoffMs * 2, this.maxMs), lastUpdate: now });
  }

  /** Forgets every key with this prefix (a pod's containers, when the pod goes away). */
  forgetPrefix(prefix: string): void {
    for (const k of this.entries.keys()) if (k.startsWith(prefix)) this.entries.delete(k);
  }

  /** Drops entries unused for twice the maximum back-off. */
  gc(): void {
    for (const [k, e] of this.entries) if (this.expired(e)) this.entries.delete(k);
  }

  private expired(e: Entry): boolean {
    return this.clock.now() - e.lastUpdate > 2 * this.maxMs;
  }
}
