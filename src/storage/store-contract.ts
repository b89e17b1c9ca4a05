// The Store contract, written once and run against every backend (memory, SQLite, later etcd):
// each backend's test file calls describeStoreContract with a factory for fresh stores.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CompactedError,
  ConflictError,
  FutureRevisionError,
  KeyExistsError,
  NotFoundError,
  StoreClosedError,
} from './errors.js';
import type { Store } from './interface.js';
import { brief, record, rejection, settle, type StoreFactory, watchError } from './store-contract-helpers.js';
import { describeWatchContract } from './store-contract-watch.js';

export type { StoreFactory } from './store-contract-helpers.js';

export function describeStoreContract(name: string, factory: StoreFactory): void {
  describe(`Store contract: ${name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await factory();
    });
    afterEach(async () => {
      await store.close();
    });

    describe('writes', () => {
      it('gives every write the next revision', async () => {
        expect(await store.currentRevision()).toBe(0);
        const a = await store.create('/a', '1');
        expect(a).toEqual({ key: '/a', value: '1', createRevision: 1, modRevision: 1 });
        const a2 = await store.update('/a', '2', 1);
        expect(a2).toEqual({ key: '/a', value: '2', createRevision: 1, modRevision: 2 });
        await store.create('/b', 'x');
        const del = await store.delete('/a', 2);
        expect(del).toEqual({ prev: { key: '/a', value: '2', createRevision: 1, modRevision: 4 }, revision: 4 });
        expect(await store.currentRevision()).toBe(4);
        expect((await store.get('/a')).kv).toBeNull();
        expect(await store.get('/b')).toEqual({ kv: { key: '/b', value: 'x', createRevision: 3, modRevision: 3 }, revision: 4 });
      });

      it('refuses to create a live key, and recreates a deleted one with a new createRevision', async () => {
        await store.create('/k', 'v1');
        const err = await rejection(store.create('/k', 'v2'));
        expect(err).toBeInstanceOf(KeyExistsError);
        expect(err.code).toBe('KeyExists');
        expect(await store.currentRevision()).toBe(1); // a refused write takes no revision
        await store.delete('/k');
        expect(await store.create('/k', 'v3')).toEqual({ key: '/k', value: 'v3', createRevision: 3, modRevision: 3 });
      });

      it('refuses an update or delete at a stale revision, reporting the current value', async () => {
        await store.create('/k', 'v1');
        await store.update('/k', 'v2', 1);
        const err = await rejection(store.update('/k', 'v3', 1));
        expect(err).toBeInstanceOf(ConflictError);
        expect(err.code).toBe('Conflict');
        expect((err as ConflictError).current).toEqual({ key: '/k', value: 'v2', createRevision: 1, modRevision: 2 });
        const delErr = await rejection(store.delete('/k', 1));
        expect(delErr).toBeInstanceOf(ConflictError);
        expect((delErr as ConflictError).current?.modRevision).toBe(2);
        expect((await store.get('/k')).kv?.value).toBe('v2');
      });

      it('answers NotFound for an update or delete of a missing key', async () => {
        expect(await rejection(store.update('/nope', 'v', 1))).toBeInstanceOf(NotFoundError);
        expect((await rejection(store.delete('/nope'))).code).toBe('NotFound');
        await store.create('/k', 'v');
        await store.delete('/k');
        expect(await rejection(store.update('/k', 'v', 1))).toBeInstanceOf(NotFoundError);
        expect(await store.currentRevision()).toBe(2);
      });

      it('commits 500 concurrent creates with distinct consecutive revisions', async () => {
        const n = 500;
        const kvs = await Promise.all(Array.from({ length: n }, (_, i) => store.create(`/c/${i}`, `v${i}`)));
        const revs = kvs.map((kv) => kv.modRevision).sort((a, b) => a - b);
        expect(revs).toEqual(Array.from({ length: n }, (_, i) => i + 1));
        expect(await store.count('/c/')).toBe(n);
      });

      it('lets exactly one of many concurrent conflicting updates win', async () => {
        const { modRevision } = await store.create('/k', 'v0');
        const results = await Promise.allSettled(
          Array.from({ length: 20 }, (_, i) => store.update('/k', `v${i + 1}`, modRevision)),
        );
        const won = results.filter((r) => r.status === 'fulfilled');
        expect(won).toHaveLength(1);
        for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(ConflictError);
        expect((await store.get('/k')).kv?.modRevision).toBe(modRevision + 1);
      });

      it('keeps the good writes of a batch when others in it fail', async () => {
        await store.create('/dup', 'x');
        const results = await Promise.allSettled([
          store.create('/ok/1', 'a'),
          store.create('/dup', 'y'),
          store.update('/missing', 'z', 1),
          store.create('/ok/2', 'b'),
          store.delete('/dup', 999),
          store.create('/ok/1', 'again'),
        ]);
        expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled', 'rejected', 'rejected']);
        expect((await store.range('/ok/')).kvs.map((kv) => [kv.key, kv.value, kv.modRevision])).toEqual([
          ['/ok/1', 'a', 2],
          ['/ok/2', 'b', 3],
        ]);
      });
    });

    describe('reads', () => {
      it('reads older snapshots at their revision', async () => {
        await store.create('/r/a', 'a1'); // 1
        await store.create('/r/b', 'b1'); // 2
        await store.update('/r/a', 'a2', 1); // 3
        await store.delete('/r/b'); // 4
        await store.create('/r/c', 'c1'); // 5
        const at = async (rev: number) => (await store.range('/r/', { revision: rev })).kvs.map((kv) => `${kv.key}=${kv.value}`);
        expect(await at(2)).toEqual(['/r/a=a1', '/r/b=b1']);
        expect(await at(3)).toEqual(['/r/a=a2', '/r/b=b1']);
        expect(await at(4)).toEqual(['/r/a=a2']);
        expect(await at(5)).toEqual(['/r/a=a2', '/r/c=c1']);
        expect((await store.get('/r/b', { revision: 3 })).kv).toEqual({ key: '/r/b', value: 'b1', createRevision: 2, modRevision: 2 });
        expect(await store.get('/r/b', { revision: 4 })).toEqual({ kv: null, revision: 4 });
        expect((await store.range('/r/', { revision: 2 })).revision).toBe(2);
      });

      it('pages a range with limit and startKey, reporting what remains', async () => {
        for (const k of ['e', 'a', 'd', 'b', 'c']) await store.create(`/p/${k}`, k);
        await store.delete('/p/b');
        const page1 = await store.range('/p/', { limit: 2 });
        expect(page1.kvs.map((kv) => kv.key)).toEqual(['/p/a', '/p/c']);
        expect(page1).toMatchObject({ more: true, remaining: 2, revision: 6 });
        // Writes between pages do not show up in pages read at the first page's revision.
        await store.create('/p/cc', 'new');
        await store.delete('/p/d');
        const page2 = await store.range('/p/', { limit: 2, startKey: '/p/c\0', revision: page1.revision });
        expect(page2.kvs.map((kv) => kv.key)).toEqual(['/p/d', '/p/e']);
        expect(page2).toMatchObject({ more: false, remaining: 0, revision: 6 });
        const all = await store.range('/p/', { limit: 0 });
        expect(all.kvs.map((kv) => kv.key)).toEqual(['/p/a', '/p/c', '/p/cc', '/p/e']);
        expect(all).toMatchObject({ more: false, remaining: 0, revision: 8 });
        expect((await store.range('/p/', { limit: 4 })).more).toBe(false);
        expect((await store.range('/p/', { startKey: '/p/cc' })).kvs.map((kv) => kv.key)).toEqual(['/p/cc', '/p/e']);
        expect((await store.range('/p/', { startKey: '/q' })).kvs).toEqual([]);
      });

      it('matches keys by prefix only', async () => {
        await store.create('/registry/pods/default/a', '1');
        await store.create('/registry/podsx/default/b', '2');
        await store.create('/registry/pods', '3');
        await store.create('/registry/pods/kube-system/c', '4');
        const pods = await store.range('/registry/pods/');
        expect(pods.kvs.map((kv) => kv.key)).toEqual(['/registry/pods/default/a', '/registry/pods/kube-system/c']);
        expect(await store.count('/registry/pods/')).toBe(2);
        expect(await store.count('/registry/pods/default/')).toBe(1);
        expect(await store.count('')).toBe(4);
        expect((await store.range('')).kvs).toHaveLength(4);
      });

      it('counts live keys only', async () => {
        await store.create('/n/a', '1');
        await store.create('/n/b', '2');
        await store.update('/n/a', '3', 1);
        await store.delete('/n/b');
        expect(await store.count('/n/')).toBe(1);
        expect(await store.count('/none/')).toBe(0);
      });

      it('refuses reads at a future revision', async () => {
        await store.create('/k', 'v');
        expect(await rejection(store.get('/k', { revision: 2 }))).toBeInstanceOf(FutureRevisionError);
        const err = await rejection(store.range('/', { revision: 5 }));
        expect(err.code).toBe('FutureRevision');
      });
    });

    describe('compaction', () => {
      it('drops history below the compaction point but keeps current values', async () => {
        await store.create('/c/a', 'a1'); // 1
        await store.create('/c/b', 'b1'); // 2
        await store.update('/c/a', 'a2', 1); // 3
        await store.delete('/c/b'); // 4
        await store.create('/c/d', 'd1'); // 5
        await store.update('/c/a', 'a3', 3); // 6
        await store.compact(4);
        expect(await store.compactedRevision()).toBe(4);
        const err = await rejection(store.get('/c/a', { revision: 3 }));
        expect(err).toBeInstanceOf(CompactedError);
        expect(err.code).toBe('Compacted');
        expect((err as CompactedError).compactedRevision).toBe(4);
        expect(await rejection(store.range('/c/', { revision: 2 }))).toBeInstanceOf(CompactedError);
        // Reading exactly at the compaction point still sees that snapshot.
        expect((await store.range('/c/', { revision: 4 })).kvs.map((kv) => `${kv.key}=${kv.value}`)).toEqual(['/c/a=a2']);
        expect((await store.range('/c/')).kvs.map((kv) => `${kv.key}=${kv.value}@${kv.createRevision}`)).toEqual([
          '/c/a=a3@1',
          '/c/d=d1@5',
        ]);
        // A deleted key can be created again once its tombstone is gone.
        expect((await store.create('/c/b', 'b2')).modRevision).toBe(7);
        await store.compact(4); // already compacted: nothing to do
        await store.compact(7);
        expect((await store.range('/c/')).kvs.map((kv) => kv.value)).toEqual(['a3', 'b2', 'd1']);
        expect(await store.currentRevision()).toBe(7);
      });

      it('refuses watches that start below the compaction point', async () => {
        for (let i = 0; i < 5; i++) await store.create(`/w/${i}`, `${i}`);
        await store.delete('/w/4'); // 6
        await store.compact(6);
        const err = await watchError(store, '/w/', 5);
        expect(err).toBeInstanceOf(CompactedError);
        expect((err as CompactedError).compactedRevision).toBe(6);
        const rec = record(store, '/w/', 6);
        await store.update('/w/0', 'x', 1);
        await rec.until(1);
        expect(brief(rec.events)).toEqual(['7 update /w/0=x (was 0@1)']);
        rec.watch.cancel();
      });

      it('delivers events after the compaction point with their previous values', async () => {
        await store.create('/e/a', 'a1'); // 1
        await store.update('/e/a', 'a2', 1); // 2
        await store.update('/e/a', 'a3', 2); // 3
        await store.delete('/e/a'); // 4
        await store.compact(2);
        const rec = record(store, '/e/', 2);
        await rec.until(2);
        expect(brief(rec.events)).toEqual(['3 update /e/a=a3 (was a2@2)', '4 delete /e/a=a3 (was a3@3)']);
        rec.watch.cancel();
      });

      it('refuses to compact a future revision', async () => {
        await store.create('/k', 'v');
        expect(await rejection(store.compact(3))).toBeInstanceOf(FutureRevisionError);
      });
    });

    describeWatchContract(() => store);

    it('refuses calls after close', async () => {
      const other = await factory();
      await other.close();
      expect(await rejection(other.create('/k', 'v'))).toBeInstanceOf(StoreClosedError);
      expect(await rejection(other.get('/k'))).toBeInstanceOf(StoreClosedError);
      expect(await watchError(other, '/', 0)).toBeInstanceOf(StoreClosedError);
      await other.close(); // closing twice is harmless
      await settle();
    });
  });
}
