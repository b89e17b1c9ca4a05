import { describe, expect, it } from 'vitest';
import { FakeClock } from '../client/index.js';
import { EndpointPicker } from './endpoint-picker.js';
import type { Endpoint } from './service-map.js';

const ep = (n: number): Endpoint => ({ ip: `10.1.0.${n}`, port: 80, ready: true, serving: true, terminating: false, isLocal: true });
const pickN = (p: EndpointPicker, n: number, client = '1.1.1.1') => Array.from({ length: n }, () => p.pick(client)?.ip.split('.')[3]).join(',');

describe('EndpointPicker', () => {
  it('spreads picks round-robin and has nothing to give without endpoints', () => {
    const p = new EndpointPicker(new FakeClock());
    expect(p.pick('1.1.1.1')).toBeUndefined();
    p.update([ep(1), ep(2), ep(3)], 0);
    expect(pickN(p, 6)).toBe('1,2,3,1,2,3');
  });

  it('keeps its place when the same set comes again, and stays in range when it shrinks', () => {
    const p = new EndpointPicker(new FakeClock());
    p.update([ep(1), ep(2), ep(3)], 0);
    expect(pickN(p, 2)).toBe('1,2');
    p.update([ep(1), ep(2), ep(3)], 0);
    expect(pickN(p, 1)).toBe('3');
    p.update([ep(1), ep(2)], 0);
    expect(pickN(p, 3)).toBe('1,2,1');
  });

  it('sends a client back to its endpoint while the affinity lasts', () => {
    const clock = new FakeClock();
    const p = new EndpointPicker(clock);
    p.update([ep(1), ep(2), ep(3)], 10);
    expect(pickN(p, 3, 'a')).toBe('1,1,1');
    expect(pickN(p, 2, 'b')).toBe('2,2');
    clock.step(10_000); // exactly the timeout after the last use: still sticky
    expect(pickN(p, 1, 'a')).toBe('1');
    clock.step(10_001);
    expect(pickN(p, 1, 'a')).toBe('3');
  });

  it('forgets affinities to endpoints that left', () => {
    const p = new EndpointPicker(new FakeClock());
    p.update([ep(1), ep(2)], 100);
    expect(pickN(p, 1, 'a')).toBe('1');
    p.update([ep(2), ep(3)], 100);
    expect(pickN(p, 2, 'a')).not.toContain('1');
    expect(pickN(p, 2, 'a').split(',')[0]).toBe(pickN(p, 1, 'a'));
  });

  it('retries past endpoints already tried', () => {
    const p = new EndpointPicker(new FakeClock());
    p.update([ep(1), ep(2), ep(3)], 0);
    const first = p.pick('a')!;
    const tried = new Set([`${first.ip}:80`]);
    const second = p.retry('a', tried)!;
    expect(second.ip).not.toBe(first.ip);
    tried.add(`${second.ip}:80`);
    const third = p.retry('a', tried)!;
    tried.add(`${third.ip}:80`);
    expect(new Set([first.ip, second.ip, third.ip]).size).toBe(3);
    expect(p.retry('a', tried)).toBeUndefined();
  });
});
