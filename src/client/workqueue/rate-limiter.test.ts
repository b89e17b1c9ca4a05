import { describe, it, expect } from 'vitest';
import { FakeClock } from '../clock.js';
import { TokenBucket } from '../flowcontrol.js';
import { BucketRateLimiter, ItemExponentialFailureRateLimiter, ItemFastSlowRateLimiter, MaxOfRateLimiter, defaultControllerRateLimiter } from './rate-limiter.js';

describe('rate limiters', () => {
  it('per-item exponential back-off: 5 ms doubling, capped at 1000 s, reset by forget', () => {
    const rl = new ItemExponentialFailureRateLimiter<string>(5, 1000_000);
    expect([1, 2, 3, 4, 5].map(() => rl.when('a'))).toEqual([5, 10, 20, 40, 80]);
    expect(rl.when('b')).toBe(5);
    expect(rl.numRequeues('a')).toBe(5);
    for (let i = 0; i < 30; i++) rl.when('a');
    expect(rl.when('a')).toBe(1000_000);
    rl.forget('a');
    expect(rl.numRequeues('a')).toBe(0);
    expect(rl.when('a')).toBe(5);
  });

  it('fast then slow', () => {
    const rl = new ItemFastSlowRateLimiter<string>(5, 10_000, 3);
    expect([1, 2, 3, 4, 5].map(() => rl.when('a'))).toEqual([5, 5, 5, 10_000, 10_000]);
  });

  it('token bucket: burst 100 free, then spaced 1/qps apart; refills over time', () => {
    const clock = new FakeClock();
    const rl = new BucketRateLimiter<string>(new TokenBucket(10, 100, clock));
    for (let i = 0; i < 100; i++) expect(rl.when(`i${i}`)).toBe(0);
    expect(rl.when('x')).toBeCloseTo(100);
    expect(rl.when('y')).toBeCloseTo(200);
    clock.step(10_000); // refills (up to the burst)
    expect(rl.when('z')).toBe(0);
  });

  it('the controller default is the max of both', () => {
    const clock = new FakeClock();
    const rl = defaultControllerRateLimiter<string>(clock);
    expect(rl.when('a')).toBe(5);
    expect(rl.when('a')).toBe(10);
    for (let i = 0; i < 98; i++) rl.when(`o${i}`);
    // the bucket's burst is spent: the overall limit dominates the per-item one
    expect(rl.when('b')).toBeCloseTo(100);
    const max = new MaxOfRateLimiter<string>(new ItemExponentialFailureRateLimiter(1, 100), new ItemExponentialFailureRateLimiter(3, 100));
    expect(max.when('q')).toBe(3);
    expect(max.numRequeues('q')).toBe(1);
    max.forget('q');
    expect(max.numRequeues('q')).toBe(0);
  });
});
