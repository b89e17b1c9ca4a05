// Per-resource watch cache: the current objects of one storage prefix plus a window of recent
// events. Lists at "any" or "most recent" revision and every watch are served from here, and
// each object version is serialized once (entry.json) for every reader and watcher.
//
// Invariants: `rv` is the revision the cache reflects (advanced by the CacheSet after each
// committed batch, even when the batch touched other resources); `events` holds the most recent
// events in revision order, at most `windowSize`; an event older than `events[0]` can no
// longer be replayed, so watches from before `oldestReplayable` answer 410 Expired.
import type { KObject } from '../../api/strategies/types.js';

export interface CacheEntry {
  key: string;
  namespace: string;
  name: string;
  obj: KObject;
  /** The object as JSON with metadata.resourceVersion set. */
  json: string;
  rv: number;
  /** metadata as JSON, computed on first use (Table rows carry it as PartialObjectMetadata). */
  metaJson?: string;
}

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface CacheEvent {
  type: EventType;
  /** For DELETED: the last state of the object, with rv = the deletion revision. */
  entry: CacheEntry;
  prev?: CacheEntry;
  rv: number;
}

export interface CacheWatcher {
  /** Only events of this namespace ('' = all). */
  namespace: string;
  /** Selector / name filter; undefined = everything. */
  filter?: (obj: KObject) => boolean;
  onEvent(type: EventType, entry: CacheEntry, rv: number): void;
  /** Called when the cache's revision advances without an event for this watcher (for bookmarks). */
  onProgress?(rv: number): void;
}

export class TooOldError extends Error {
  constructor(readonly requested: number, readonly oldest: number) {
    super(`too old resource version: ${requested} (${oldest})`);
  }
}

export class WatchCache {
  readonly entries = new Map<string, CacheEntry>();
  private sorted: string[] | null = null;
  private readonly events: CacheEvent[] = [];
  /** Registered watchers, each with the revision it watches from: only later events reach it. */
  private readonly watchers = new Map<CacheWatcher, number>();
  private waiters: { rv: number; resolve: () => void }[] = [];
  /** Revision the cache reflects. */
  rv = 0;
  /** Watches from a revision below this cannot be replayed. */
  oldestReplayable = 0;

  constructor(readonly prefix: string, readonly namespaced: boolean, private readonly windowSize = 5000) {}

  /** Loads the initial state at revision `rv`. */
  init(entries: CacheEntry[], rv: number): void {
    for (const e of entries) this.entries.set(e.key, e);
    this.sorted = null;
    this.rv = rv;
    this.oldestReplayable = rv;
  }

  apply(ev: CacheEvent): void {
    if (ev.type === 'DELETED') {
      this.entries.delete(ev.entry.key);
      this.sorted = null;
    } else {
      if (!this.entries.has(ev.entry.key)) this.sorted = null;
      this.entries.set(ev.entry.key, ev.entry);
    }
    this.events.push(ev);
    if (this.events.length > this.windowSize) {
      const dropped = this.events.splice(0, this.events.length - this.windowSize);
      this.oldestReplayable = dropped[dropped.length - 1].rv;
    }
    for (const [w, after] of this.watchers) if (ev.rv > after) deliver(w, ev);
  }

  /** Marks the cache fresh up to `rv` (after a committed batch) and wakes waiters. */
  advance(rv: number): void {
    if (rv <= this.rv) return;
    this.rv = rv;
    for (const w of this.watchers.keys()) w.onProgress?.(rv);
    if (this.waiters.length) {
      const ready = this.waiters.filter((x) => x.rv <= rv);
      this.waiters = this.waiters.filter((x) => x.rv > rv);
      ready.forEach((x) => x.resolve());
    }
  }

  /** Resolves once the cache reflects revision `rv`; rejects after timeoutMs. */
  waitFor(rv: number, timeoutMs: number): Promise<void> {
    if (this.rv >= rv) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const w = { rv, resolve: () => { clearTimeout(t); resolve(); } };
      const t = setTimeout(() => {
        this.waiters = this.waiters.filter((x) => x !== w);
        reject(new Error(`Too large resource version: ${rv}, current: ${this.rv}`));
      }, timeoutMs);
      this.waiters.push(w);
    });
  }

  /** Entries in key order, optionally within a namespace, starting at startKey. */
  list(namespace: string, startKey = ''): CacheEntry[] {
    if (!this.sorted) this.sorted = [...this.entries.keys()].sort();
    const prefix = namespace && this.namespaced ? `${this.prefix}${namespace}/` : this.prefix;
    const from = Math.max(startKey ? lowerBound(this.sorted, startKey) : 0, lowerBound(this.sorted, prefix));
    const out: CacheEntry[] = [];
    for (let i = from; i < this.sorted.length; i++) {
      const k = this.sorted[i];
      if (!k.startsWith(prefix)) break;
      out.push(this.entries.get(k)!);
    }
    return out;
  }

  get(key: string): CacheEntry | undefined {
    return this.entries.get(key);
  }

  /**
   * Registers a watcher. fromRv 0 = send the current state as ADDED first; otherwise replay
   * events after fromRv. Throws TooOldError when fromRv predates the window. Live events at or
   * below fromRv (a revision the cache has not reached yet) are skipped, as upstream's
   * cacheWatcher sends only events newer than the watch's resourceVersion.
   */
  watch(w: CacheWatcher, fromRv: number, initialState: boolean): () => void {
    if (initialState) {
      for (const e of this.list(w.namespace)) {
        if (!w.filter || w.filter(e.obj)) w.onEvent('ADDED', e, e.rv);
      }
    } else {
      if (fromRv < this.oldestReplayable) throw new TooOldError(fromRv, this.oldestReplayable);
      for (const ev of this.events) if (ev.rv > fromRv) deliver(w, ev);
    }
    this.watchers.set(w, initialState ? 0 : fromRv);
    return () => this.watchers.delete(w);
  }

  get watcherCount(): number {
    return this.watchers.size;
  }
}

/** Delivers an event to a watcher, turning it into ADDED/DELETED when it enters or leaves the filter. */
function deliver(w: CacheWatcher, ev: CacheEvent): void {
  if (w.namespace && ev.entry.namespace !== w.namespace) return;
  if (!w.filter) {
    w.onEvent(ev.type, ev.entry, ev.rv);
    return;
  }
  const now = w.filter(ev.entry.obj);
  if (ev.type === 'MODIFIED') {
    const before = ev.prev ? w.filter(ev.prev.obj) : false;
    if (now && before) w.onEvent('MODIFIED', ev.entry, ev.rv);
    else if (now) w.onEvent('ADDED', ev.entry, ev.rv);
    else if (before) w.onEvent('DELETED', ev.entry, ev.rv);
  } else if (now) {
    w.onEvent(ev.type, ev.entry, ev.rv);
  }
}

function lowerBound(arr: string[], key: string): number {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (arr[mid] < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
