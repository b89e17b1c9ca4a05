// The Reflector keeps a store in step with one resource on the server (client-go's Reflector):
//  - list (paged), replace the store, remember the list's resourceVersion;
//  - watch from that resourceVersion with bookmarks, applying each event and remembering the
//    last resourceVersion seen (bookmarks included);
//  - when a watch ends normally (server timeout, closed connection) re-watch from the last
//    resourceVersion without re-listing;
//  - when a watch says 410 Expired/Gone (an ERROR event or the watch request itself), re-list:
//    first at the last resourceVersion, and when that too is expired, from the latest ("");
//  - on other errors back off exponentially (800 ms doubling to 30 s, jittered, reset after two
//    quiet minutes) and start again with a list.
import { ApiError, isGone, isTooManyRequests, hasStatusCause } from '../errors.js';
import { realTimerClock, sleep, type TimerClock } from '../clock.js';
import { ExponentialBackoff } from '../flowcontrol.js';
import type { KubeList, KubeObject } from '../resource.js';
import type { Watch } from '../watch.js';
import type { ListerWatcher } from './list-watch.js';

/** Where a reflector puts what it sees (an Indexer, or an informer's handler-notifying sink). */
export interface ReflectorStore<T> {
  replace(items: T[], resourceVersion: string): void;
  add(obj: T): void;
  update(obj: T): void;
  delete(obj: T): void;
}

export interface ReflectorOptions {
  /** For messages (e.g. the resource's GVR). */
  name?: string;
  clock?: TimerClock;
  /** Page size of lists that are not served from the watch cache (default 500). */
  pageSize?: number;
  /** Back-off between list-and-watch attempts. */
  backoff?: ExponentialBackoff;
  /** Watches ask for a server timeout between this and twice this (default 300 s). */
  minWatchTimeoutSeconds?: number;
  random?: () => number;
  /** Called with every error that ends a list or a watch (default: logs to stderr). */
  onError?: (err: unknown) => void;
}

export class Reflector<T extends KubeObject> {
  /** The resourceVersion of the last list or event applied to the store. */
  lastSyncResourceVersion = '';
  /** Set when a list at lastSyncResourceVersion answered "too old": the next list is from "". */
  private lastSyncUnavailable = false;
  private stopped = false;
  private readonly abort = new AbortController();
  private currentWatch: Watch<T> | undefined;
  private readonly clock: TimerClock;
  private readonly backoff: ExponentialBackoff;
  private readonly random: () => number;
  private running: Promise<void> | undefined;
  /** Resolves once the first list has been applied to the store. */
  readonly synced: Promise<void>;
  private markSynced!: () => void;
  private hasSyncedOnce = false;

  constructor(
    private readonly lw: ListerWatcher<T>,
    private readonly store: ReflectorStore<T>,
    private readonly opts: ReflectorOptions = {},
  ) {
    this.clock = opts.clock ?? realTimerClock;
    this.random = opts.random ?? Math.random;
    this.backoff = opts.backoff ?? new ExponentialBackoff({ initialMs: 800, maxMs: 30_000, factor: 2, jitter: 1, resetAfterMs: 120_000, clock: this.clock, random: this.random });
    this.synced = new Promise((r) => (this.markSynced = r));
  }

  get name(): string {
    return this.opts.name ?? 'reflector';
  }

  hasSynced(): boolean {
    return this.hasSyncedOnce;
  }

  /** Starts list-and-watch in the background; the promise settles when stopped. */
  run(): Promise<void> {
    this.running ??= this.loop();
    return this.running;
  }

  /** Stops: closes the current watch, ends the loop. Resolves once the loop has ended. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    this.currentWatch?.stop();
    await this.running;
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      try {
        await this.listAndWatch();
      } catch (e) {
        if (!this.stopped) this.report(e);
      }
      if (this.stopped) break;
      await sleep(this.clock, this.backoff.next(), this.abort.signal);
    }
  }

  /** One round: a list, then watches until one ends with an error or expiry. */
  async listAndWatch(): Promise<void> {
    await this.list();
    await this.watchUntilError();
  }

  private relistResourceVersion(): string {
    if (this.lastSyncUnavailable) return '';
    return this.lastSyncResourceVersion === '' ? '0' : this.lastSyncResourceVersion;
  }

  private async list(): Promise<void> {
    let list: KubeList<T>;
    try {
      list = await this.listPaged(this.relistResourceVersion());
    } catch (e) {
      if (!(isGone(e) || isTooLargeResourceVersion(e))) throw e;
      // The version we asked for is compacted (or not reached yet): take the latest.
      this.lastSyncUnavailable = true;
      list = await this.listPaged('');
    }
    if (this.stopped) return;
    this.lastSyncUnavailable = false;
    const rv = list.metadata.resourceVersion ?? '';
    this.store.replace(list.items, rv);
    this.lastSyncResourceVersion = rv;
    if (!this.hasSyncedOnce) {
      this.hasSyncedOnce = true;
      this.markSynced();
    }
  }

  /** Lists every page; a list from the watch cache ("0") is not paged (the server answers it whole). */
  private async listPaged(resourceVersion: string): Promise<KubeList<T>> {
    const limit = resourceVersion === '0' ? 0 : (this.opts.pageSize ?? 500);
    let page = await this.lw.list({ resourceVersion, limit: limit || undefined });
    if (!page.metadata.continue) return page;
    const items = [...page.items];
    while (page.metadata.continue) {
      try {
        page = await this.lw.list({ continue: page.metadata.continue, limit });
      } catch (e) {
        // The continue token expired mid-way: fall back to one unpaged list.
        if (isGone(e)) return this.lw.list({ resourceVersion });
        throw e;
      }
      items.push(...page.items);
    }
    return { ...page, items };
  }

  private async watchUntilError(): Promise<void> {
    while (!this.stopped) {
      const timeoutSeconds = Math.floor((this.opts.minWatchTimeoutSeconds ?? 300) * (this.random() + 1));
      let w: Watch<T>;
      try {
        w = await this.lw.watch({ resourceVersion: this.lastSyncResourceVersion, allowWatchBookmarks: true, timeoutSeconds });
      } catch (e) {
        if (this.stopped) return;
        if (isGone(e)) return; // re-list
        if (isTooManyRequests(e) || !(e instanceof ApiError)) {
          // Throttled, or the server is unreachable: wait, then try the watch again.
          this.report(e);
          await sleep(this.clock, this.backoff.next(), this.abort.signal);
          continue;
        }
        throw e;
      }
      if (this.stopped) {
        w.stop();
        return;
      }
      this.currentWatch = w;
      const started = this.clock.now();
      const { err, events } = await this.handleWatch(w);
      this.currentWatch = undefined;
      if (this.stopped) return;
      if (err) {
        if (isGone(err)) return; // re-list from the last resourceVersion
        this.report(err);
        if (isTooManyRequests(err)) {
          await sleep(this.clock, this.backoff.next(), this.abort.signal);
          continue;
        }
        return; // re-list after the loop's back-off
      }
      // A watch that ended at once without events hints at trouble: do not spin.
      if (events === 0 && this.clock.now() - started < 1000) await sleep(this.clock, this.backoff.next(), this.abort.signal);
    }
  }

  private async handleWatch(w: Watch<T>): Promise<{ err?: ApiError; events: number }> {
    let events = 0;
    try {
      for await (const ev of w) {
        if (this.stopped) return { events };
        if (ev.type === 'ERROR') return { err: ApiError.fromWatchStatus(ev.object), events };
        events++;
        const obj = ev.object;
        switch (ev.type) {
          case 'ADDED':
            this.store.add(obj);
            break;
          case 'MODIFIED':
            this.store.update(obj);
            break;
          case 'DELETED':
            this.store.delete(obj);
            break;
          case 'BOOKMARK':
            break;
        }
        const rv = obj.metadata?.resourceVersion;
        if (rv) this.lastSyncResourceVersion = rv;
      }
    } finally {
      w.stop();
    }
    return { events };
  }

  private report(e: unknown): void {
    if (this.opts.onError) this.opts.onError(e);
    else console.error(`${this.name}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** 504 with a ResourceVersionTooLarge cause: the server has not reached that version yet. */
function isTooLargeResourceVersion(e: unknown): boolean {
  return hasStatusCause(e, 'ResourceVersionTooLarge');
}
