import { describe, it, expect } from 'vitest';
import { Queue } from './queue.js';

describe('Queue', () => {
  it('hands items out in order and de-duplicates items not yet processed', async () => {
    const q = new Queue<string>();
    q.add('a');
    q.add('b');
    q.add('a');
    expect(q.len()).toBe(2);
    expect(await q.get()).toEqual({ shutdown: false, item: 'a' });
    expect(await q.get()).toEqual({ shutdown: false, item: 'b' });
    expect(q.len()).toBe(0);
  });

  it('never gives an item to two workers at once; re-added while processing → processed again after done', async () => {
    const q = new Queue<string>();
    q.add('a');
    const first = await q.get();
    expect(first).toEqual({ shutdown: false, item: 'a' });
    q.add('a'); // while processing
    q.add('a'); // still only once more
    expect(q.len()).toBe(0);
    let second: unknown;
    void q.get().then((r) => (second = r));
    await Promise.resolve();
    expect(second).toBeUndefined();
    q.done('a');
    await Promise.resolve();
    expect(second).toEqual({ shutdown: false, item: 'a' });
    q.done('a');
    expect(q.len()).toBe(0);
  });

  it('wakes a waiting worker when an item arrives, first waiter first', async () => {
    const q = new Queue<number>();
    const got: Array<[string, unknown]> = [];
    void q.get().then((r) => got.push(['w1', r]));
    void q.get().then((r) => got.push(['w2', r]));
    q.add(1);
    q.add(2);
    await Promise.resolve();
    await Promise.resolve();
    expect(got).toEqual([
      ['w1', { shutdown: false, item: 1 }],
      ['w2', { shutdown: false, item: 2 }],
    ]);
  });

  it('shutDown wakes idle workers, refuses new items, still hands out queued ones', async () => {
    const q = new Queue<string>();
    const idle = q.get();
    q.shutDown();
    expect(await idle).toEqual({ shutdown: true });
    const q2 = new Queue<string>();
    q2.add('x');
    q2.shutDown();
    q2.add('y');
    expect(await q2.get()).toEqual({ shutdown: false, item: 'x' });
    expect(await q2.get()).toEqual({ shutdown: true });
    expect(q2.shuttingDown()).toBe(true);
  });

  it('shutDownWithDrain waits for items being processed', async () => {
    const q = new Queue<string>();
    q.add('a');
    const got = await q.get();
    let drained = false;
    const d = q.shutDownWithDrain().then(() => (drained = true));
    await Promise.resolve();
    expect(drained).toBe(false);
    if (!got.shutdown) q.done(got.item);
    await d;
    expect(drained).toBe(true);
  });

  it('keeps order across many items (compaction of the backing array)', async () => {
    const q = new Queue<number>();
    for (let i = 0; i < 5000; i++) q.add(i);
    for (let i = 0; i < 5000; i++) {
      const r = await q.get();
      expect(r).toEqual({ shutdown: false, item: i });
      q.done(i);
    }
  });
});
