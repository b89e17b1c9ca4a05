// What every backend shares around its own reads and writes: the revision and compaction point,
// the closed state each call checks first, the revision rules of reads, watches and compaction
// (revisions.ts), the watch hub, and the auto-compaction timers close() stops. A backend supplies
// its data access: reads at `this.readAt(revision)`, the writes, a watch's replay, compaction.
import { startAutoCompaction } from './auto-compaction.js';
import { StoreClosedError } from './errors.js';
import type { KeyValue, RangeOptions, RangeResult, Store, Watch, WatchEvent, WatchOptions } from './interface.js';
import { readRevision, watchStartError } from './revisions.js';
import { WatchHub } from './watch-hub.js';

export abstract class MvccStore implements Store {
  /** Latest committed revision; only a commit advances it. */
  protected revision = 0;
  /** Revision up to which history has been compacted (0 = none). */
  protected compacted = 0;
  protected closed = false;
  protected readonly hub = new WatchHub();
  private readonly autoCompactionStops = new Set<() => void>();

  abstract get(key: string, opts?: { revision?: number }): Promise<{ kv: KeyValue | null; revision: number }>;
  abstract range(prefix: string, opts?: RangeOptions): Promise<RangeResult>;
  abstract count(prefix: string): Promise<number>;
  abstract create(key: string, value: string): Promise<KeyValue>;
  abstract update(key: string, value: string, expectedModRevision: number): Promise<KeyValue>;
  abstract delete(key: string, expectedModRevision?: number): Promise<{ prev: KeyValue; revision: number }>;
  abstract close(): Promise<void>;

  /**
   * Committed events under `prefix` after `afterRevision` (below the current revision), in revision
   * order. Read synchronously: no commit may land between the replay and the watch's registration.
   */
  protected abstract replay(prefix: string, afterRevision: number): WatchEvent[];

  /** Drops history below `revision`, which is above the compaction point and not in the future. */
  protected abstract compactTo(revision: number): Promise<void>;

  async currentRevision(): Promise<number> {
    this.assertOpen();
    return this.revision;
  }

  async compactedRevision(): Promise<number> {
    this.assertOpen();
    return this.compacted;
  }

  watch(prefix: string, opts: WatchOptions, onEvents: (events: WatchEvent[]) => void, onError: (err: Error) => void): Watch {
    if (this.closed) return this.hub.failed(new StoreClosedError(), onError);
    const tooOld = watchStartError(opts.afterRevision, this.compacted);
    if (tooOld) return this.hub.failed(tooOld, onError);
    const replay = opts.afterRevision < this.revision ? this.replay(prefix, opts.afterRevision) : [];
    return this.hub.add(prefix, opts.afterRevision, replay, this.revision, onEvents, onError);
  }

  async compact(revision: number): Promise<void> {
    this.assertOpen();
    readRevision(revision, this.revision, 0); // refuses a future revision
    if (revision > this.compacted) await this.compactTo(revision);
  }

  /** Keeps the last `keepRevisions` revisions, compacting every intervalMs; returns the stop function. */
  startAutoCompaction(intervalMs: number, keepRevisions: number, onError?: (err: Error) => void): () => void {
    const stop = startAutoCompaction(this, { intervalMs, keepRevisions, onError });
    this.autoCompactionStops.add(stop);
    return () => {
      stop();
      this.autoCompactionStops.delete(stop);
    };
  }

  /** The revision a read runs at (see readRevision); throws StoreClosedError after close(). */
  protected readAt(requested: number | undefined): number {
    this.assertOpen();
    return readRevision(requested, this.revision, this.compacted);
  }

  protected assertOpen(): void {
    if (this.closed) throw new StoreClosedError();
  }

  /** Marks the store closed, stops auto-compaction and ends every watch with StoreClosedError. */
  protected shutdown(): void {
    this.closed = true;
    for (const stop of this.autoCompactionStops) stop();
    this.hub.closeAll(new StoreClosedError());
  }
}
