import { describe, it, expect } from 'vitest';
import { FakeClock } from '../clock.js';
import { DelayingQueue } from './delaying-queue.js';
import { RateLimitingQueue } from './rate-limiting-queue.js';
import { ItemExponentialFailureRateLimiter } from './rate-limiter.js';

describe('DelayingQueue', () => {
  it('adds items when their time comes, earliest first; a re-add keeps the earlier time', () => {
    const clock = new FakeClock();
    const q = new DelayingQueue<string>({ clock });
    q.addAfter('late', 300);
    q.addAfter('early', 100);
    q.addAfter('late', 1000); // later than already waiting: ignored
    q.addAfter('now', 0);
    expect(q.len()).toBe(1);
    expect(q.waitingLen()).toBe(2);
    clock.step(99);
    expect(q.len()).toBe(1);
    clock.step(1);
    expect(q.len()).toBe(2);
    q.addAfter('late', 50); // earlier than waiting: moved up
    clock.step(50);
    expect(q.len()).toBe(3);
    expect(q.waitingLen()).toBe(0);
    clock.step(1000);
    expect(q.len()).toBe(3);
  });

  it('orders many timers correctly (heap)', async () => {
    const clock = new FakeClock();
    const q = new DelayingQueue<number>({ clock });
    const delays = Array.from({ length: 200 }, (_, i) => ((i * 7919) % 200) + 1);
    delays.forEach((d, i) => q.addAfter(i, d));
    clock.step(1000);
    const order: number[] = [];
    while (q.len()) {
      const r = await q.get();
      if (!r.shutdown) {
        order.push(delays[r.item]!);
        q.done(r.item);
      }
    }
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(order).toHaveLength(200);
  });

  it('shutDown cancels the timer', () => {
    const clock = new FakeClock();
    const q = new DelayingQueue<string>({ clock });
    q.addAfter('a', 10);
    q.shutDown();
    expect(clock.pending()).toBe(0);
    clock.step(100);
    expect(q.len()).toBe(0);
  });
});

describe('RateLimitingQueue', () => {
  it('retries with per-item exponential back-off and forgets on success', async () => {
    const clock = new FakeClock();
    const q = new RateLimitingQueue<string>({ clock, rateLimiter: new ItemExponentialFailureRateLimiter(5, 1000_000) });
    // a worker that fails three times, then succeeds
    let attempts = 0;
    const seenAt: number[] = [];
    const start = clock.now();
    const worker = (async () => {
      for (;;) {
        const n = await q.get();
        if (n.shutdown) return;
        seenAt.push(clock.now() - start);
        attempts++;
        if (attempts <= 3) q.addRateLimited(n.item);
        else q.forget(n.item);
        q.done(n.item);
      }
    })();
    q.add('key');
    await clock.advance(1000);
    expect(seenAt).toEqual([0, 5, 15, 35]);
    expect(q.numRequeues('key')).toBe(0);
    q.shutDown();
    await worker;
  });

  it('uses the controller default limiter (5 ms first retry) when none is given', () => {
    const clock = new FakeClock();
    const q = new RateLimitingQueue<string>({ clock });
    q.addRateLimited('a');
    expect(q.len()).toBe(0);
    clock.step(5);
    expect(q.len()).toBe(1);
    expect(q.numRequeues('a')).toBe(1);
  });
});
