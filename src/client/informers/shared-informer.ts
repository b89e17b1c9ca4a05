// A SharedIndexInformer runs one reflector for a resource and shares its cache and its events
// among many handlers (client-go's sharedIndexInformer):
//  - the cache (an Indexer) is updated before handlers hear of a change, so a handler reading a
//    lister sees at least the state it is told about;
//  - a re-list turns into onAdd (new), onUpdate (still present) and onDelete with a
//    DeletedFinalStateUnknown for objects that vanished while the watch was down;
//  - a handler added late first gets onAdd for every cached object;
//  - a handler with a resync period gets onUpdate(obj, obj) for every cached object that often.
// Handlers run synchronously, in event order, one at a time: they should only turn the event
// into a key and enqueue it. A throwing handler is logged and does not affect the others.
import { realTimerClock, type Timer, type TimerClock } from '../clock.js';
import type { KubeObject } from '../resource.js';
import { DeletedFinalStateUnknown, metaNamespaceKey, type KeyFunc } from './keys.js';
import { IndexedStore, type Indexer, type Indexers } from './indexer.js';
import { Lister } from './lister.js';
import type { ListerWatcher } from './list-watch.js';
import { Reflector, type ReflectorOptions, type ReflectorStore } from './reflector.js';

export interface ResourceEventHandler<T> {
  /** `isInInitialList`: the object came with the informer's first list (or a late handler's replay). */
  onAdd?(obj: T, isInInitialList: boolean): void;
  onUpdate?(oldObj: T, newObj: T): void;
  onDelete?(obj: T | DeletedFinalStateUnknown<T>): void;
}

export interface HandlerRegistration {
  /** True once the handler has been told of every object of the informer's first list. */
  hasSynced(): boolean;
}

/** client-go's minimumResyncPeriod. */
const MIN_RESYNC_MS = 1000;

export interface SharedInformerOptions<T> {
  /** Default resync period for handlers (0: never). */
  resyncPeriodMs?: number;
  indexers?: Indexers<T>;
  keyFunc?: KeyFunc;
  clock?: TimerClock;
  /** Applied to each object before it is cached (e.g. to drop managedFields). */
  transform?: (obj: T) => T;
  /** Options for the reflector (name, back-off, error reporting). */
  reflector?: Omit<ReflectorOptions, 'clock'>;
}

class Listener<T> implements HandlerRegistration {
  /** When this listener's next resync is due (clock ms), if it resyncs at all. */
  nextResync = Infinity;
  synced = false;

  constructor(
    readonly handler: ResourceEventHandler<T>,
    readonly resyncPeriodMs: number,
  ) {}

  hasSynced(): boolean {
    return this.synced;
  }
}

export class SharedIndexInformer<T extends KubeObject> {
  readonly indexer: IndexedStore<T>;
  private readonly listeners = new Set<Listener<T>>();
  private readonly reflector: Reflector<T>;
  private readonly clock: TimerClock;
  private readonly defaultResync: number;
  private resyncTimer: Timer | undefined;
  private started = false;
  private stopped = false;
  private synced = false;
  /** Callers of waitForSync() still waiting: told `false` on stop(). */
  private readonly stopWaiters: Array<() => void> = [];

  constructor(
    lw: ListerWatcher<T>,
    private readonly opts: SharedInformerOptions<T> = {},
  ) {
    this.clock = opts.clock ?? realTimerClock;
    this.defaultResync = opts.resyncPeriodMs ?? 0;
    this.indexer = new IndexedStore<T>(opts.indexers ?? {}, opts.keyFunc ?? metaNamespaceKey);
    this.reflector = new Reflector<T>(lw, this.sink(), { ...opts.reflector, clock: this.clock });
  }

  /** Registers a handler; `resyncPeriodMs` overrides the informer's default for it. */
  addEventHandler(handler: ResourceEventHandler<T>, resyncPeriodMs = this.defaultResync): HandlerRegistration {
    const period = resyncPeriodMs > 0 ? Math.max(resyncPeriodMs, MIN_RESYNC_MS) : 0;
    const l = new Listener(handler, period);
    this.listeners.add(l);
    if (this.synced) {
      // A late handler hears of everything already cached.
      for (const obj of this.indexer.list()) this.call(() => handler.onAdd?.(obj, true));
      l.synced = true;
    }
    if (period > 0) {
      l.nextResync = this.clock.now() + period;
      this.scheduleResync();
    }
    return l;
  }

  removeEventHandler(reg: HandlerRegistration): void {
    this.listeners.delete(reg as Listener<T>);
  }

  /** The cache. Do not mutate what it returns. */
  getIndexer(): Indexer<T> {
    return this.indexer;
  }

  lister(): Lister<T> {
    return new Lister<T>(this.indexer);
  }

  addIndexers(indexers: Indexers<T>): void {
    this.indexer.addIndexers(indexers);
  }

  hasSynced(): boolean {
    return this.synced;
  }

  lastSyncResourceVersion(): string {
    return this.reflector.lastSyncResourceVersion;
  }

  /** Starts the reflector (idempotent). */
  run(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    void this.reflector.run();
    this.scheduleResync();
  }

  /** Resolves true once synced, false if `signal` aborts or the informer stops first. */
  waitForSync(signal?: AbortSignal): Promise<boolean> {
    if (this.synced) return Promise.resolve(true);
    if (this.stopped) return Promise.resolve(false);
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve(false);
      signal?.addEventListener('abort', () => resolve(false), { once: true });
      this.stopWaiters.push(() => resolve(false));
      void this.reflector.synced.then(() => resolve(true));
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const w of this.stopWaiters.splice(0)) w();
    this.resyncTimer?.cancel();
    await this.reflector.stop();
  }

  isStarted(): boolean {
    return this.started;
  }

  isStopped(): boolean {
    return this.stopped;
  }

  /** The reflector's view of the cache: applies changes, then tells the handlers. */
  private sink(): ReflectorStore<T> {
    const transform = this.opts.transform ?? ((o: T) => o);
    const upsert = (raw: T) => {
      const obj = transform(raw);
      const old = this.indexer.get(obj);
      this.indexer.update(obj);
      if (old === undefined) this.distribute((h) => h.onAdd?.(obj, false));
      else this.distribute((h) => h.onUpdate?.(old, obj));
    };
    return {
      add: upsert,
      update: upsert,
      delete: (raw) => {
        const obj = transform(raw);
        this.indexer.delete(obj);
        this.distribute((h) => h.onDelete?.(obj));
      },
      replace: (rawItems, rv) => {
        const items = rawItems.map(transform);
        const initial = !this.synced;
        const keep = new Set<string>();
        const notes: Array<(h: ResourceEventHandler<T>) => void> = [];
        for (const obj of items) {
          const key = this.indexer.keyFunc(obj);
          keep.add(key);
          const old = this.indexer.getByKey(key);
          notes.push(old === undefined ? (h) => h.onAdd?.(obj, initial) : (h) => h.onUpdate?.(old, obj));
        }
        for (const key of this.indexer.listKeys()) {
          if (keep.has(key)) continue;
          const gone = new DeletedFinalStateUnknown(key, this.indexer.getByKey(key)!);
          notes.push((h) => h.onDelete?.(gone));
        }
        this.indexer.replace(items, rv);
        for (const n of notes) this.distribute(n);
        if (initial) {
          this.synced = true;
          for (const l of this.listeners) l.synced = true;
        }
      },
    };
  }

  private distribute(note: (h: ResourceEventHandler<T>) => void): void {
    for (const l of [...this.listeners]) this.call(() => note(l.handler));
  }

  private call(fn: () => unknown): void {
    try {
      const r = fn();
      if (r instanceof Promise) r.catch((e) => console.error('informer handler failed:', e));
    } catch (e) {
      console.error('informer handler failed:', e);
    }
  }

  private scheduleResync(): void {
    if (this.stopped || !this.started) return;
    let next = Infinity;
    for (const l of this.listeners) next = Math.min(next, l.nextResync);
    if (next === Infinity) return;
    this.resyncTimer?.cancel();
    this.resyncTimer = this.clock.setTimer(() => this.resync(), Math.max(0, next - this.clock.now()));
  }

  private resync(): void {
    const now = this.clock.now();
    const due = [...this.listeners].filter((l) => l.resyncPeriodMs > 0 && l.nextResync <= now);
    if (this.synced && due.length) {
      const objs = this.indexer.list();
      for (const l of due) for (const obj of objs) this.call(() => l.handler.onUpdate?.(obj, obj));
    }
    for (const l of due) l.nextResync = now + l.resyncPeriodMs;
    this.scheduleResync();
  }
}
