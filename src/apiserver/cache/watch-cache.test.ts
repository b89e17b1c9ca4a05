import { describe, it, expect } from 'vitest';
import type { KObject } from '../../api/strategies/types.js';
import { TooOldError, WatchCache, type CacheEntry, type CacheEvent, type CacheWatcher, type EventType } from './watch-cache.js';

const PREFIX = '/registry/configmaps/';

function entry(namespace: string, name: string, rv: number, labels: Record<string, string> = {}, data: Record<string, string> = {}): CacheEntry {
  const obj: KObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace, labels, resourceVersion: String(rv) }, data };
  return { key: `${PREFIX}${namespace}/${name}`, namespace, name, obj, json: JSON.stringify(obj), rv };
}

function ev(type: EventType, e: CacheEntry, prev?: CacheEntry): CacheEvent {
  return { type, entry: e, prev, rv: e.rv };
}

/** A watcher that records `TYPE ns/name@rv` lines and the revisions it was told about. */
function recorder(namespace = '', filter?: (o: KObject) => boolean) {
  const seen: string[] = [];
  const progress: number[] = [];
  const w: CacheWatcher = {
    namespace,
    filter,
    onEvent: (type, e, rv) => seen.push(`${type} ${e.namespace}/${e.name}@${rv}`),
    onProgress: (rv) => progress.push(rv),
  };
  return { w, seen, progress };
}

/** A cache loaded at `rv` with the given entries. */
function cacheWith(entries: CacheEntry[], rv: number, windowSize?: number): WatchCache {
  const c = new WatchCache(PREFIX, true, windowSize);
  c.init(entries, rv);
  return c;
}

describe('WatchCache.list', () => {
  const c = cacheWith([entry('b', 'z', 3), entry('a', 'y', 2), entry('b', 'a', 4), entry('a', 'x', 1), entry('ab', 'q', 5)], 5);

  it('returns every entry in key order', () => {
    expect(c.list('').map((e) => `${e.namespace}/${e.name}`)).toEqual(['a/x', 'a/y', 'ab/q', 'b/a', 'b/z']);
  });

  it('keeps to one namespace (not one whose name merely starts the same)', () => {
    expect(c.list('a').map((e) => e.name)).toEqual(['x', 'y']);
    expect(c.list('b').map((e) => e.name)).toEqual(['a', 'z']);
    expect(c.list('nope')).toEqual([]);
  });

  it('starts at startKey', () => {
    expect(c.list('', `${PREFIX}a/y`).map((e) => e.name)).toEqual(['y', 'q', 'a', 'z']);
    expect(c.list('', `${PREFIX}a/y\0`).map((e) => e.name)).toEqual(['q', 'a', 'z']);
    expect(c.list('b', `${PREFIX}b/a\0`).map((e) => e.name)).toEqual(['z']);
    // A start key before the namespace starts at the namespace's first key.
    expect(c.list('b', `${PREFIX}a/`).map((e) => e.name)).toEqual(['a', 'z']);
    expect(c.list('a', `${PREFIX}zz`)).toEqual([]);
  });

  it('sees creations and deletions', () => {
    const d = cacheWith([entry('a', 'x', 1)], 1);
    d.apply(ev('ADDED', entry('a', 'w', 2)));
    expect(d.list('a').map((e) => e.name)).toEqual(['w', 'x']);
    d.apply(ev('DELETED', entry('a', 'x', 3)));
    expect(d.list('a').map((e) => e.name)).toEqual(['w']);
    expect(d.get(`${PREFIX}a/x`)).toBeUndefined();
    expect(d.get(`${PREFIX}a/w`)?.rv).toBe(2);
  });

  it('a cluster-scoped cache ignores the namespace argument', () => {
    const ns = new WatchCache('/registry/namespaces/', false);
    const mk = (name: string, rv: number): CacheEntry => ({ key: `/registry/namespaces/${name}`, namespace: '', name, obj: { metadata: { name } }, json: '{}', rv });
    ns.init([mk('default', 1), mk('kube-system', 2)], 2);
    expect(ns.list('default').map((e) => e.name)).toEqual(['default', 'kube-system']);
  });
});

describe('WatchCache.watch', () => {
  it('from a revision replays only the events after it, then live events', () => {
    const c = cacheWith([], 10);
    c.apply(ev('ADDED', entry('a', 'x', 11)));
    c.apply(ev('MODIFIED', entry('a', 'x', 12), entry('a', 'x', 11)));
    c.apply(ev('ADDED', entry('a', 'y', 13)));
    c.advance(13);
    const r = recorder();
    c.watch(r.w, 11, false);
    expect(r.seen).toEqual(['MODIFIED a/x@12', 'ADDED a/y@13']);
    c.apply(ev('DELETED', entry('a', 'x', 14), entry('a', 'x', 12)));
    expect(r.seen).toEqual(['MODIFIED a/x@12', 'ADDED a/y@13', 'DELETED a/x@14']);
  });

  it('from the current revision sends nothing old', () => {
    const c = cacheWith([entry('a', 'x', 5)], 10);
    const r = recorder();
    c.watch(r.w, 10, false);
    expect(r.seen).toEqual([]);
  });

  it('from a revision the cache has not reached yet skips events up to that revision', () => {
    // A client that wrote at revision 12 and watches from it before the cache saw the write
    // must not get its own write back (upstream's cacheWatcher sends only rv > the watch's).
    const c = cacheWith([], 10);
    const r = recorder();
    c.watch(r.w, 12, false);
    c.apply(ev('ADDED', entry('a', 'x', 11)));
    c.apply(ev('ADDED', entry('a', 'y', 12)));
    c.apply(ev('ADDED', entry('a', 'z', 13)));
    expect(r.seen).toEqual(['ADDED a/z@13']);
  });

  it('with initial state sends the current objects as ADDED, then live events', () => {
    const c = cacheWith([entry('a', 'x', 3), entry('b', 'y', 4), entry('a', 'w', 5)], 5);
    const r = recorder('a');
    c.watch(r.w, 0, true);
    expect(r.seen).toEqual(['ADDED a/w@5', 'ADDED a/x@3']);
    c.apply(ev('ADDED', entry('b', 'other', 6)));
    c.apply(ev('MODIFIED', entry('a', 'x', 7), entry('a', 'x', 3)));
    expect(r.seen).toEqual(['ADDED a/w@5', 'ADDED a/x@3', 'MODIFIED a/x@7']);
  });

  it('initial state honours the filter', () => {
    const c = cacheWith([entry('a', 'x', 3, { app: 'web' }), entry('a', 'y', 4, { app: 'db' })], 4);
    const r = recorder('', (o) => o.metadata?.labels?.app === 'web');
    c.watch(r.w, 0, true);
    expect(r.seen).toEqual(['ADDED a/x@3']);
  });

  it('throws TooOldError for a revision before the cache was loaded', () => {
    const c = cacheWith([entry('a', 'x', 5)], 20);
    const r = recorder();
    expect(() => c.watch(r.w, 19, false)).toThrow(TooOldError);
    expect(() => c.watch(r.w, 20, false)).not.toThrow();
  });

  it('throws TooOldError once the window has dropped the events after the revision', () => {
    const c = cacheWith([], 0, 3);
    for (let rv = 1; rv <= 6; rv++) c.apply(ev('ADDED', entry('a', `o${rv}`, rv)));
    c.advance(6);
    // The window holds revisions 4, 5 and 6: a watch from 3 is complete, one from 2 is not.
    const ok = recorder();
    c.watch(ok.w, 3, false);
    expect(ok.seen).toEqual(['ADDED a/o4@4', 'ADDED a/o5@5', 'ADDED a/o6@6']);
    let err: unknown;
    try {
      c.watch(recorder().w, 2, false);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TooOldError);
    expect(err).toMatchObject({ requested: 2, oldest: 3 });
    expect((err as Error).message).toBe('too old resource version: 2 (3)');
  });

  it('an unregistered watcher gets nothing more', () => {
    const c = cacheWith([], 1);
    const r = recorder();
    const stop = c.watch(r.w, 1, false);
    expect(c.watcherCount).toBe(1);
    stop();
    expect(c.watcherCount).toBe(0);
    c.apply(ev('ADDED', entry('a', 'x', 2)));
    c.advance(2);
    expect(r.seen).toEqual([]);
    expect(r.progress).toEqual([]);
  });

  it('a namespaced watcher sees only its namespace', () => {
    const c = cacheWith([], 1);
    const r = recorder('a');
    c.watch(r.w, 1, false);
    c.apply(ev('ADDED', entry('b', 'x', 2)));
    c.apply(ev('ADDED', entry('a', 'x', 3)));
    c.apply(ev('ADDED', entry('ab', 'x', 4)));
    expect(r.seen).toEqual(['ADDED a/x@3']);
  });
});

describe('WatchCache filter transitions', () => {
  const web = (o: KObject) => o.metadata?.labels?.app === 'web';

  it('MODIFIED into the selection is ADDED, out of it DELETED, inside it MODIFIED, outside nothing', () => {
    const c = cacheWith([entry('a', 'x', 1, { app: 'db' })], 1);
    const r = recorder('', web);
    c.watch(r.w, 1, false);
    const v1 = entry('a', 'x', 1, { app: 'db' });
    const v2 = entry('a', 'x', 2, { app: 'web' });
    const v3 = entry('a', 'x', 3, { app: 'web' }, { k: 'v' });
    const v4 = entry('a', 'x', 4, { app: 'db' });
    const v5 = entry('a', 'x', 5, { app: 'cache' });
    c.apply(ev('MODIFIED', v2, v1));
    c.apply(ev('MODIFIED', v3, v2));
    c.apply(ev('MODIFIED', v4, v3));
    c.apply(ev('MODIFIED', v5, v4));
    expect(r.seen).toEqual(['ADDED a/x@2', 'MODIFIED a/x@3', 'DELETED a/x@4']);
  });

  it('ADDED and DELETED pass only when the object matches', () => {
    const c = cacheWith([], 1);
    const r = recorder('', web);
    c.watch(r.w, 1, false);
    c.apply(ev('ADDED', entry('a', 'db', 2, { app: 'db' })));
    c.apply(ev('ADDED', entry('a', 'web', 3, { app: 'web' })));
    c.apply(ev('DELETED', entry('a', 'db', 4, { app: 'db' })));
    c.apply(ev('DELETED', entry('a', 'web', 5, { app: 'web' })));
    expect(r.seen).toEqual(['ADDED a/web@3', 'DELETED a/web@5']);
  });

  it('replayed events get the same transitions', () => {
    const c = cacheWith([], 1);
    c.apply(ev('ADDED', entry('a', 'x', 2, { app: 'db' })));
    c.apply(ev('MODIFIED', entry('a', 'x', 3, { app: 'web' }), entry('a', 'x', 2, { app: 'db' })));
    c.apply(ev('MODIFIED', entry('a', 'x', 4, { app: 'db' }), entry('a', 'x', 3, { app: 'web' })));
    c.advance(4);
    const r = recorder('', web);
    c.watch(r.w, 1, false);
    expect(r.seen).toEqual(['ADDED a/x@3', 'DELETED a/x@4']);
  });
});

describe('WatchCache.advance and waitFor', () => {
  it('waitFor resolves at once when the cache is fresh enough', async () => {
    const c = cacheWith([], 7);
    await expect(c.waitFor(7, 1000)).resolves.toBeUndefined();
    await expect(c.waitFor(3, 1000)).resolves.toBeUndefined();
  });

  it('waitFor resolves when the cache advances to the revision, not before', async () => {
    const c = cacheWith([], 1);
    const order: string[] = [];
    const p5 = c.waitFor(5, 60_000).then(() => order.push('5'));
    const p3 = c.waitFor(3, 60_000).then(() => order.push('3'));
    c.advance(2);
    await Promise.resolve();
    expect(order).toEqual([]);
    c.advance(4);
    await p3;
    expect(order).toEqual(['3']);
    c.advance(9);
    await p5;
    expect(order).toEqual(['3', '5']);
    expect(c.rv).toBe(9);
  });

  it('waitFor rejects with "Too large resource version" when the revision never comes', async () => {
    const c = cacheWith([], 1);
    await expect(c.waitFor(100, 1)).rejects.toThrow('Too large resource version: 100, current: 1');
  });

  it('advance never goes backwards and tells watchers about progress', () => {
    const c = cacheWith([], 5);
    const r = recorder();
    c.watch(r.w, 5, false);
    c.advance(4);
    c.advance(5);
    expect(c.rv).toBe(5);
    expect(r.progress).toEqual([]);
    c.advance(8);
    expect(c.rv).toBe(8);
    expect(r.progress).toEqual([8]);
  });
});
