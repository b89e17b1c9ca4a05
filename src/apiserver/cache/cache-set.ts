// All watch caches, fed by one store watch over /registry/. After each committed batch every
// cache advances to the batch's revision, so "most recent" reads only wait for the batch in
// flight, never for a write to some other resource.
import type { Store, KeyValue, WatchEvent } from '../../storage/interface.js';
import { WatchCache, type CacheEntry, type CacheEvent } from './watch-cache.js';
import { withResourceVersion } from '../registry/stored-json.js';
import type { KObject } from '../../api/strategies/types.js';

export class CacheSet {
  private readonly caches: WatchCache[] = [];
  private cancel?: () => void;
  private failed?: Error;

  constructor(private readonly store: Store) {}

  /** Creates the cache for a storage prefix (idempotent). */
  cacheFor(prefix: string, namespaced: boolean): WatchCache {
    const p = prefix.endsWith('/') ? prefix : `${prefix}/`;
    let c = this.caches.find((x) => x.prefix === p);
    if (!c) {
      c = new WatchCache(p, namespaced);
      this.caches.push(c);
      // Longest prefix first, so /registry/services/specs/ wins over a hypothetical /registry/services/.
      this.caches.sort((a, b) => b.prefix.length - a.prefix.length);
    }
    return c;
  }

  /** Loads every cache at one revision and starts the store watch. */
  async start(): Promise<void> {
    const rev = await this.store.currentRevision();
    for (const c of this.caches) {
      const entries: CacheEntry[] = [];
      let startKey: string | undefined;
      for (;;) {
        const r = await this.store.range(c.prefix, { revision: rev, limit: 10000, startKey });
        for (const kv of r.kvs) entries.push(toEntry(kv, c));
        if (!r.more) break;
        startKey = r.kvs[r.kvs.length - 1].key + '\0';
      }
      c.init(entries, rev);
    }
    const w = this.store.watch('/registry/', { afterRevision: rev }, (evs) => this.onEvents(evs), (err) => {
      this.failed = err;
    });
    this.cancel = () => w.cancel();
  }

  get error(): Error | undefined {
    return this.failed;
  }

  private onEvents(evs: WatchEvent[]): void {
    let last = 0;
    for (const ev of evs) {
      last = ev.revision;
      const c = this.caches.find((x) => ev.kv.key.startsWith(x.prefix));
      if (!c) continue;
      const entry = toEntry(ev.kv, c, ev.type === 'delete' ? ev.revision : undefined);
      const prev = ev.prevKv ? c.get(ev.prevKv.key) ?? toEntry(ev.prevKv, c) : undefined;
      const ce: CacheEvent = { type: ev.type === 'create' ? 'ADDED' : ev.type === 'update' ? 'MODIFIED' : 'DELETED', entry, prev, rv: ev.revision };
      c.apply(ce);
    }
    if (last) for (const c of this.caches) c.advance(last);
  }

  stop(): void {
    this.cancel?.();
  }
}

/**
 * A cache entry for a stored value, with metadata.resourceVersion stamped into its text. The
 * object is parsed on first use: many versions are only ever served as text.
 */
export function toEntry(kv: KeyValue, c: WatchCache, rvOverride?: number): CacheEntry {
  const rv = rvOverride ?? kv.modRevision;
  const json = withResourceVersion(kv.value, rv);
  const rest = kv.key.slice(c.prefix.length);
  const slash = rest.indexOf('/');
  const namespace = c.namespaced && slash >= 0 ? rest.slice(0, slash) : '';
  const name = c.namespaced && slash >= 0 ? rest.slice(slash + 1) : rest;
  let obj: KObject | undefined;
  return {
    key: kv.key, namespace, name, json, rv,
    get obj() {
      return (obj ??= JSON.parse(json) as KObject);
    },
  };
}
