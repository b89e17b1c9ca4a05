import { describe, expect, it } from 'vitest';
import { record } from '../store-contract-helpers.js';
import { describeStoreContract } from '../store-contract.js';
import { MemoryStore } from './memory-store.js';

describeStoreContract('memory', () => new MemoryStore());
// A tiny event log sends most replays through the rebuild-from-history path.
describeStoreContract('memory (event log of 2)', () => new MemoryStore({ eventLogSize: 2 }));

describe('MemoryStore', () => {
  it('replays from history beyond the event log window, in revision order', async () => {
    const store = new MemoryStore({ eventLogSize: 4 });
    for (let i = 0; i < 20; i++) await store.create(`/k/${i % 3}/${i}`, `${i}`);
    for (let i = 0; i < 20; i += 2) await store.update(`/k/${i % 3}/${i}`, `u${i}`, i + 1);
    const rec = record(store, '/k/1/', 3);
    await rec.until(9);
    expect(rec.events.map((e) => `${e.revision}:${e.type}:${e.kv.key}`)).toEqual([
      '5:create:/k/1/4',
      '8:create:/k/1/7',
      '11:create:/k/1/10',
      '14:create:/k/1/13',
      '17:create:/k/1/16',
      '20:create:/k/1/19',
      '23:update:/k/1/4',
      '26:update:/k/1/10',
      '29:update:/k/1/16',
    ]);
    rec.watch.cancel();
    await store.close();
  });

  it('frees the history of deleted keys on compaction', async () => {
    const store = new MemoryStore();
    for (let i = 0; i < 100; i++) await store.create(`/d/${i}`, 'v');
    for (let i = 0; i < 100; i++) await store.delete(`/d/${i}`);
    await store.create('/keep', 'v');
    await store.compact(await store.currentRevision());
    expect((await store.range('')).kvs.map((kv) => kv.key)).toEqual(['/keep']);
    await store.create('/d/5', 'again');
    expect((await store.range('/d/')).kvs.map((kv) => kv.value)).toEqual(['again']);
    await store.close();
  });
});
