import { describe, it, expect, afterEach } from 'vitest';
import { MemoryStore } from '../../storage/index.js';
import { CacheSet, toEntry } from './cache-set.js';
import type { CacheWatcher } from './watch-cache.js';

const cm = (name: string, data: Record<string, string> = {}) => JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data });

describe('CacheSet', () => {
  let store: MemoryStore;
  let caches: CacheSet;
  afterEach(async () => {
    caches?.stop();
    await store?.close();
  });

  it('loads what the store holds at start, with resourceVersion set from the mod revision', async () => {
    store = new MemoryStore();
    await store.create('/registry/configmaps/default/a', cm('a', { k: '1' }));
    await store.create('/registry/configmaps/kube-system/b', cm('b'));
    await store.create('/registry/secrets/default/s', '{"metadata":{"name":"s"}}');
    caches = new CacheSet(store);
    const c = caches.cacheFor('/registry/configmaps', true);
    await caches.start();
    expect(c.rv).toBe(3);
    expect(c.list('').map((e) => `${e.namespace}/${e.name}@${e.rv}`)).toEqual(['default/a@1', 'kube-system/b@2']);
    const a = c.get('/registry/configmaps/default/a')!;
    expect(a.obj.metadata!.resourceVersion).toBe('1');
    expect(JSON.parse(a.json)).toEqual({ ...a.obj });
  });

  it('cacheFor is idempotent, with or without the trailing slash', () => {
    store = new MemoryStore();
    caches = new CacheSet(store);
    expect(caches.cacheFor('/registry/pods', true)).toBe(caches.cacheFor('/registry/pods/', true));
  });

  it('every cache advances after a write to another prefix', async () => {
    store = new MemoryStore();
    caches = new CacheSet(store);
    const cms = caches.cacheFor('/registry/configmaps', true);
    const secrets = caches.cacheFor('/registry/secrets', true);
    await caches.start();
    const progress: number[] = [];
    const w: CacheWatcher = { namespace: '', onEvent: () => progress.push(-1), onProgress: (rv) => progress.push(rv) };
    cms.watch(w, cms.rv, false);
    const kv = await store.create('/registry/secrets/default/s', '{"metadata":{"name":"s"}}');
    // A "most recent" read of configmaps must not wait for a configmap write that never comes.
    await cms.waitFor(kv.modRevision, 60_000);
    expect(cms.rv).toBe(kv.modRevision);
    expect(secrets.rv).toBe(kv.modRevision);
    expect(cms.list('')).toEqual([]);
    expect(secrets.list('').map((e) => e.name)).toEqual(['s']);
    expect(progress).toEqual([kv.modRevision]);
  });

  it('turns store events into ADDED / MODIFIED / DELETED with the previous state', async () => {
    store = new MemoryStore();
    caches = new CacheSet(store);
    const c = caches.cacheFor('/registry/configmaps', true);
    await caches.start();
    const seen: string[] = [];
    c.watch({ namespace: '', filter: (o) => o.data?.k === '1', onEvent: (t, e, rv) => seen.push(`${t} ${e.name} ${e.obj.data?.k ?? ''} rv=${e.obj.metadata!.resourceVersion}/${rv}`) }, 0, false);
    const created = await store.create('/registry/configmaps/default/a', cm('a', { k: '1' }));
    const updated = await store.update('/registry/configmaps/default/a', cm('a', { k: '2' }), created.modRevision);
    const back = await store.update('/registry/configmaps/default/a', cm('a', { k: '1' }), updated.modRevision);
    const del = await store.delete('/registry/configmaps/default/a', back.modRevision);
    await c.waitFor(del.revision, 60_000);
    // The filter sees k=2 as leaving the selection (DELETED) and k=1 again as entering it (ADDED).
    expect(seen).toEqual([
      `ADDED a 1 rv=${created.modRevision}/${created.modRevision}`,
      `DELETED a 2 rv=${updated.modRevision}/${updated.modRevision}`,
      `ADDED a 1 rv=${back.modRevision}/${back.modRevision}`,
      // A deletion carries the last state with the deletion's revision as its resourceVersion.
      `DELETED a 1 rv=${del.revision}/${del.revision}`,
    ]);
    expect(c.get('/registry/configmaps/default/a')).toBeUndefined();
  });

  it('routes each key to the longest matching prefix: services/specs vs services/endpoints', async () => {
    store = new MemoryStore();
    caches = new CacheSet(store);
    // The broad prefix is registered first, so only longest-prefix routing keeps it from
    // swallowing the specs and endpoints keys.
    const broad = caches.cacheFor('/registry/services', false);
    const endpoints = caches.cacheFor('/registry/services/endpoints', true);
    const services = caches.cacheFor('/registry/services/specs', true);
    await caches.start();
    await store.create('/registry/services/specs/default/kubernetes', '{"metadata":{"name":"kubernetes"}}');
    await store.create('/registry/services/endpoints/default/kubernetes', '{"metadata":{"name":"kubernetes"},"subsets":[]}');
    const last = await store.create('/registry/services/other', '{"metadata":{"name":"other"}}');
    await broad.waitFor(last.modRevision, 60_000);
    expect(services.list('').map((e) => e.key)).toEqual(['/registry/services/specs/default/kubernetes']);
    expect(endpoints.list('').map((e) => e.key)).toEqual(['/registry/services/endpoints/default/kubernetes']);
    expect(endpoints.list('')[0].obj.subsets).toEqual([]);
    expect(broad.list('').map((e) => e.key)).toEqual(['/registry/services/other']);
    expect(services.get('/registry/services/specs/default/kubernetes')).toMatchObject({ namespace: 'default', name: 'kubernetes' });
  });

  it('ignores keys no cache owns', async () => {
    store = new MemoryStore();
    caches = new CacheSet(store);
    const c = caches.cacheFor('/registry/pods', true);
    await caches.start();
    const kv = await store.create('/registry/gizmos/x', '{}');
    await c.waitFor(kv.modRevision, 60_000);
    expect(c.list('')).toEqual([]);
    expect(caches.error).toBeUndefined();
  });
});

describe('toEntry', () => {
  it('splits namespace and name for namespaced caches and keeps the whole rest for cluster ones', () => {
    const store = new MemoryStore();
    const caches = new CacheSet(store);
    const pods = caches.cacheFor('/registry/pods', true);
    const nodes = caches.cacheFor('/registry/minions', false);
    const p = toEntry({ key: '/registry/pods/ns1/p1', value: '{"metadata":{"name":"p1"}}', createRevision: 3, modRevision: 4 }, pods);
    expect(p).toMatchObject({ namespace: 'ns1', name: 'p1', rv: 4 });
    expect(p.obj.metadata!.resourceVersion).toBe('4');
    const n = toEntry({ key: '/registry/minions/n1', value: '{}', createRevision: 1, modRevision: 1 }, nodes, 9);
    expect(n).toMatchObject({ namespace: '', name: 'n1', rv: 9 });
    expect(n.json).toBe('{"metadata":{"resourceVersion":"9"}}');
  });
});
