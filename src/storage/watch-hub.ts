// Fan-out of committed events to watchers, shared by the backends.
//
// Ordered: each watcher has its own queue. Its replay (history read when it registered) is queued
// first and every later commit is appended behind it, so a watcher sees each revision once, in
// order, with no gap — even when a callback writes to the store while being called.
// Asynchronous: callbacks run in a microtask, never inside watch() or inside a write, so callers
// hold their Watch handle before the first event and a slow consumer cannot re-enter a commit.
import type { Watch, WatchEvent } from './interface.js';

type EventsHandler = (events: WatchEvent[]) => void;
type ErrorHandler = (err: Error) => void;

interface Watcher {
  readonly prefix: string;
  /** Events at or below this revision are already queued (replay) or were not asked for. */
  after: number;
  /** Events waiting for the next delivery microtask; empty while none is scheduled. */
  pending: WatchEvent[];
  scheduled: boolean;
  cancelled: boolean;
  readonly onEvents: EventsHandler;
  readonly onError: ErrorHandler;
}

export class WatchHub {
  private readonly watchers = new Set<Watcher>();

  get size(): number {
    return this.watchers.size;
  }

  /**
   * Registers a watcher on `prefix` that wants events after `afterRevision`. `replay` holds the
   * history from afterRevision up to `coveredThrough` (the revision the caller read it at);
   * later commits reach the watcher through publish().
   */
  add(
    prefix: string,
    afterRevision: number,
    replay: WatchEvent[],
    coveredThrough: number,
    onEvents: EventsHandler,
    onError: ErrorHandler,
  ): Watch {
    const w: Watcher = {
      prefix,
      after: Math.max(afterRevision, coveredThrough),
      pending: [],
      scheduled: false,
      cancelled: false,
      onEvents,
      onError,
    };
    this.watchers.add(w);
    if (replay.length > 0) this.enqueue(w, replay);
    return { cancel: () => this.remove(w) };
  }

  /** A watch that could not start: the error is reported asynchronously, like events are. */
  failed(err: Error, onError: ErrorHandler): Watch {
    let cancelled = false;
    queueMicrotask(() => {
      if (!cancelled) onError(err);
    });
    return { cancel: () => (cancelled = true) };
  }

  /** Delivers committed events, which must come in revision order. */
  publish(events: readonly WatchEvent[]): void {
    if (events.length === 0 || this.watchers.size === 0) return;
    for (const w of this.watchers) {
      let matched: WatchEvent[] | undefined;
      for (const ev of events) {
        if (ev.revision > w.after && ev.kv.key.startsWith(w.prefix)) (matched ??= []).push(ev);
      }
      if (matched) {
        w.after = matched[matched.length - 1]!.revision;
        this.enqueue(w, matched);
      }
    }
  }

  /** Ends every watch with `err` (the store is closing). */
  closeAll(err: Error): void {
    for (const w of [...this.watchers]) {
      this.remove(w);
      queueMicrotask(() => w.onError(err));
    }
  }

  private enqueue(w: Watcher, events: WatchEvent[]): void {
    if (w.pending.length === 0) w.pending = events;
    else for (const ev of events) w.pending.push(ev);
    if (w.scheduled) return;
    w.scheduled = true;
    queueMicrotask(() => this.deliver(w));
  }

  private deliver(w: Watcher): void {
    const batch = w.pending;
    w.pending = [];
    w.scheduled = false;
    if (w.cancelled || batch.length === 0) return;
    try {
      w.onEvents(batch);
    } catch (err) {
      // A consumer that throws has lost events it cannot get back: end its watch loudly.
      this.remove(w);
      w.onError(err instanceof Error ? err : new Error(String(err)));
    }
  }

  private remove(w: Watcher): void {
    w.cancelled = true;
    w.pending = [];
    this.watchers.delete(w);
  }
}
