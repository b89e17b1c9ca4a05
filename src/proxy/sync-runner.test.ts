import { describe, expect, it } from 'vitest';
import { FakeClock } from '../client/index.js';
import { SyncRunner } from './sync-runner.js';

function setup(fail = () => false) {
  const clock = new FakeClock();
  const runs: number[] = [];
  const errors: unknown[] = [];
  const runner = new SyncRunner(async () => {
    runs.push(clock.now() - start);
    if (fail()) throw new Error('boom');
  }, { clock, minIntervalMs: 1000, retryMs: 5000, onError: (e) => errors.push(e) });
  const start = clock.now();
  return { clock, runs, errors, runner };
}

describe('SyncRunner', () => {
  it('runs the first request at once and turns a burst into one more run after the minimum interval', async () => {
    const { clock, runs, runner } = setup();
    runner.request();
    await clock.advance(0);
    expect(runs).toEqual([0]);
    for (let i = 0; i < 50; i++) {
      runner.request();
      await clock.advance(10);
    }
    await clock.advance(2000);
    expect(runs).toEqual([0, 1000]);
    await runner.stop();
  });

  it('does not lose a request made while a sync runs', async () => {
    const clock = new FakeClock();
    let release!: () => void;
    let calls = 0;
    const runner = new SyncRunner(() => {
      calls++;
      return calls === 1 ? new Promise<void>((r) => (release = r)) : Promise.resolve();
    }, { clock, minIntervalMs: 1000 });
    runner.request();
    await clock.advance(0);
    runner.request();
    await clock.advance(5000);
    expect(calls).toBe(1);
    release();
    await clock.advance(0);
    expect(calls).toBe(2); // the first started long enough ago
    await runner.stop();
  });

  it('retries a failed sync and reports the failure', async () => {
    let failing = true;
    const { clock, runs, errors, runner } = setup(() => failing);
    runner.request();
    await clock.advance(0);
    failing = false;
    await clock.advance(4999);
    expect(runs).toEqual([0]);
    await clock.advance(1);
    expect(runs).toEqual([0, 5000]);
    expect(errors).toHaveLength(1);
    await runner.stop();
  });

  it('runs periodically when asked to, and never after stop', async () => {
    const clock = new FakeClock();
    let calls = 0;
    const runner = new SyncRunner(async () => void calls++, { clock, minIntervalMs: 1000, periodMs: 30_000 });
    await clock.advance(60_000);
    expect(calls).toBe(2);
    await runner.stop();
    runner.request();
    await clock.advance(60_000);
    expect(calls).toBe(2);
  });
});
