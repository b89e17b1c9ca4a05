import { describe, it, expect } from 'vitest';
import { InflightLimiter } from './limits.js';

describe('InflightLimiter', () => {
  it('defaults to kube-apiserver limits: 400 read-only and 200 mutating', () => {
    const l = new InflightLimiter();
    const ro = Array.from({ length: 400 }, () => l.acquire('readOnly'));
    expect(ro.every((r) => r !== undefined)).toBe(true);
    expect(l.acquire('readOnly')).toBeUndefined();
    const mu = Array.from({ length: 200 }, () => l.acquire('mutating'));
    expect(mu.every((r) => r !== undefined)).toBe(true);
    expect(l.acquire('mutating')).toBeUndefined();
    expect(l.inUse('readOnly')).toBe(400);
    expect(l.inUse('mutating')).toBe(200);
  });

  it('counts the two kinds separately', () => {
    const l = new InflightLimiter({ readOnly: 1, mutating: 1 });
    expect(l.acquire('readOnly')).toBeDefined();
    expect(l.acquire('readOnly')).toBeUndefined();
    expect(l.acquire('mutating')).toBeDefined();
    expect(l.acquire('mutating')).toBeUndefined();
  });

  it('a released slot can be taken again', () => {
    const l = new InflightLimiter({ readOnly: 2, mutating: 1 });
    const a = l.acquire('readOnly')!;
    l.acquire('readOnly');
    expect(l.acquire('readOnly')).toBeUndefined();
    a();
    expect(l.inUse('readOnly')).toBe(1);
    expect(l.acquire('readOnly')).toBeDefined();
    expect(l.inUse('readOnly')).toBe(2);
  });

  it('releasing twice frees one slot only', () => {
    const l = new InflightLimiter({ readOnly: 2, mutating: 1 });
    const a = l.acquire('readOnly')!;
    l.acquire('readOnly');
    a();
    a();
    expect(l.inUse('readOnly')).toBe(1);
    expect(l.acquire('readOnly')).toBeDefined();
    expect(l.acquire('readOnly')).toBeUndefined();
  });

  it('a limit of 0 refuses everything', () => {
    const l = new InflightLimiter({ readOnly: 0, mutating: 0 });
    expect(l.acquire('readOnly')).toBeUndefined();
    expect(l.acquire('mutating')).toBeUndefined();
  });
});
