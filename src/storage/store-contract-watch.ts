// The watch half of the Store contract (see store-contract.ts).
import { describe, expect, it } from 'vitest';
import type { Store } from './interface.js';
import { brief, record, settle } from './store-contract-helpers.js';

export function describeWatchContract(getStore: () => Store): void {
  describe('watch', () => {
    it('replays history after a past revision, then streams live events in order', async () => {
      const store = getStore();
      await store.create('/w/a', 'a1'); // 1
      await store.create('/w/b', 'b1'); // 2
      await store.update('/w/a', 'a2', 1); // 3
      const rec = record(store, '/w/', 1);
      await store.delete('/w/b'); // 4
      await store.create('/other', 'x'); // 5
      await store.update('/w/a', 'a3', 3); // 6
      await rec.until(4);
      expect(brief(rec.events)).toEqual([
        '2 create /w/b=b1',
        '3 update /w/a=a2 (was a1@1)',
        '4 delete /w/b=b1 (was b1@2)',
        '6 update /w/a=a3 (was a2@3)',
      ]);
      expect(rec.events[2]).toEqual({
        type: 'delete',
        kv: { key: '/w/b', value: 'b1', createRevision: 2, modRevision: 4 },
        prevKv: { key: '/w/b', value: 'b1', createRevision: 2, modRevision: 2 },
        revision: 4,
      });
      expect(rec.events[0]!.prevKv).toBeUndefined();
      rec.watch.cancel();
    });

    it('watches from the current revision without replay', async () => {
      const store = getStore();
      await store.create('/w/a', 'a1');
      const rec = record(store, '/w/', await store.currentRevision());
      await store.update('/w/a', 'a2', 1);
      await rec.until(1);
      await settle();
      expect(brief(rec.events)).toEqual(['2 update /w/a=a2 (was a1@1)']);
      rec.watch.cancel();
    });

    it('delivers every event of concurrent writes exactly once, in revision order', async () => {
      const store = getStore();
      await store.create('/seed', 's'); // 1
      const rec = record(store, '/', 0);
      const writes: Promise<unknown>[] = [];
      for (let i = 0; i < 200; i++) writes.push(store.create(`/k/${i % 50}/${i}`, `${i}`));
      await Promise.all(writes);
      const more = Array.from({ length: 100 }, (_, i) => store.create(`/m/${i}`, `${i}`));
      await Promise.all(more);
      await rec.until(301);
      await settle();
      expect(rec.events.map((e) => e.revision)).toEqual(Array.from({ length: 301 }, (_, i) => i + 1));
      expect(rec.errors).toEqual([]);
      rec.watch.cancel();
    });

    it('keeps order when a watcher writes from inside its callback', async () => {
      const store = getStore();
      const seen: number[] = [];
      const echo = store.watch('/in/', { afterRevision: 0 }, (events) => {
        for (const e of events) if (e.type === 'create') void store.create(`/out/${e.kv.key.slice(4)}`, e.kv.value);
      }, () => {});
      const rec = record(store, '/', 0);
      const w2 = store.watch('/', { afterRevision: 0 }, (events) => seen.push(...events.map((e) => e.revision)), () => {});
      for (let i = 0; i < 5; i++) await store.create(`/in/${i}`, `${i}`);
      await rec.until(10);
      await settle();
      expect(seen).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
      expect(rec.events.map((e) => e.revision)).toEqual(seen);
      echo.cancel();
      w2.cancel();
      rec.watch.cancel();
    });

    it('stops delivering after cancel', async () => {
      const store = getStore();
      const rec = record(store, '/', 0);
      await store.create('/a', '1');
      await rec.until(1);
      rec.watch.cancel();
      await store.create('/b', '2');
      await settle();
      expect(rec.events).toHaveLength(1);
    });

    it('starts delivering only after watch() returned', async () => {
      const store = getStore();
      await store.create('/a', '1');
      let handle: unknown;
      let sawHandle = false;
      handle = store.watch('/', { afterRevision: 0 }, () => (sawHandle = handle !== undefined), () => {});
      await settle();
      expect(sawHandle).toBe(true);
    });

    it('waits for a future start revision', async () => {
      const store = getStore();
      const rec = record(store, '/', 2);
      for (let i = 1; i <= 4; i++) await store.create(`/f/${i}`, `${i}`);
      await rec.until(2);
      await settle();
      expect(rec.events.map((e) => e.revision)).toEqual([3, 4]);
      rec.watch.cancel();
    });

    it('ends a watch whose consumer throws, reporting the error', async () => {
      const store = getStore();
      const errors: Error[] = [];
      store.watch('/', { afterRevision: 0 }, () => {
        throw new Error('consumer failed');
      }, (err) => errors.push(err));
      await store.create('/a', '1');
      await settle();
      await store.create('/b', '2');
      await settle();
      expect(errors.map((e) => e.message)).toEqual(['consumer failed']);
    });
  });
}
