import { describe, expect, it } from 'vitest';
import { RestartBackoff } from './backoff.js';

function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('RestartBackoff', () => {
  it('restarts at once, then waits 10 s doubling to 5 min', () => {
    const c = clock();
    const b = new RestartBackoff(c);
    const waits: number[] = [];
    let finishedAt = c.now();
    expect(b.isInBackOffSince('p/c', finishedAt)).toBe(false);
    b.next('p/c');
    for (let i = 0; i < 7; i++) {
      finishedAt = c.now();
      let waited = 0;
      while (b.isInBackOffSince('p/c', finishedAt)) {
        c.advance(1_000);
        waited += 1_000;
      }
      waits.push(waited / 1000);
      b.next('p/c');
    }
    expect(waits).toEqual([10, 20, 40, 80, 160, 300, 300]);
  });

  it('starts over after the container ran for 10 minutes', () => {
    const c = clock();
    const b = new RestartBackoff(c);
    b.next('k');
    b.next('k');
    b.next('k');
    expect(b.get('k')).toBe(40_000);
    c.advance(10 * 60_000 + 1);
    expect(b.get('k')).toBe(0);
    expect(b.isInBackOffSince('k', c.now())).toBe(false);
    b.next('k');
    expect(b.get('k')).toBe(10_000);
  });

  it('forgets a pod and reports when a restart is due', () => {
    const c = clock();
    const b = new RestartBackoff(c);
    b.next('uid1/a');
    b.next('uid2/a');
    expect(b.dueAt('uid1/a', 5_000)).toBe(15_000);
    b.forgetPrefix('uid1/');
    expect(b.get('uid1/a')).toBe(0);
    expect(b.get('uid2/a')).toBe(10_000);
  });
});
