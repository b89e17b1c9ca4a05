import { describe, expect, it } from 'vitest';
import { SortedKeys } from './sorted-keys.js';

describe('SortedKeys', () => {
  it('keeps keys sorted across small and large bursts of additions', () => {
    const index = new SortedKeys();
    const all: string[] = [];
    const add = (key: string) => {
      index.add(key);
      all.push(key);
    };
    for (const k of ['m', 'c', 'x']) add(k);
    expect(index.keys()).toEqual(['c', 'm', 'x']);
    for (let i = 0; i < 100; i++) add(`k${(i * 37) % 100}`);
    expect(index.keys()).toEqual([...all].sort());
    expect(index.lowerBound('k5')).toBe(index.keys().indexOf('k5'));
    expect(index.lowerBound('zz')).toBe(index.size);
  });

  it('drops keys on retain', () => {
    const index = new SortedKeys();
    for (const k of ['a', 'b', 'c', 'd']) index.add(k);
    index.retain((k) => k !== 'b');
    index.add('bb');
    expect(index.keys()).toEqual(['a', 'bb', 'c', 'd']);
  });
});
