import { describe, expect, it } from 'vitest';
import { Heap } from './heap.js';

interface Item { k: string; v: number }
const heap = () => new Heap<Item>((i) => i.k, (a, b) => a.v < b.v);

describe('Heap', () => {
  it('pops in order', () => {
    const h = heap();
    for (const [k, v] of [['a', 5], ['b', 1], ['c', 3], ['d', 4], ['e', 2]] as const) h.addOrUpdate({ k, v });
    const out: string[] = [];
    for (let x = h.pop(); x; x = h.pop()) out.push(x.k);
    expect(out).toEqual(['b', 'e', 'c', 'd', 'a']);
  });

  it('updates and deletes by key', () => {
    const h = heap();
    for (let i = 0; i < 50; i++) h.addOrUpdate({ k: `p${i}`, v: (i * 37) % 50 });
    h.addOrUpdate({ k: 'p10', v: -1 });
    expect(h.peek()!.k).toBe('p10');
    h.delete('p10');
    h.delete('p0');
    expect(h.has('p0')).toBe(false);
    expect(h.length).toBe(48);
    const vals: number[] = [];
    for (let x = h.pop(); x; x = h.pop()) vals.push(x.v);
    expect(vals).toEqual([...vals].sort((a, b) => a - b));
  });
});
