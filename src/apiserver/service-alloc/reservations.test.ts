import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../storage/index.js';
import { realClock } from '../../util/clock.js';
import { RangeFullError } from './errors.js';
import { parseNodePortRange, parseServiceCIDR } from './ranges.js';
import { Reservations } from './reservations.js';

const owner = (name: string) => ({ namespace: 'default', name, uid: `uid-${name}` });

describe('Reservations', () => {
  it('hands out distinct values under concurrency, then says the range is full', async () => {
    const store = new MemoryStore();
    const res = new Reservations(store, '/registry/ranges/serviceips', parseServiceCIDR('10.0.0.0/26'), realClock);
    const got = await Promise.all(Array.from({ length: 62 }, (_, i) => res.next((v) => res.reserve(v, owner(`s${i}`)))));
    expect(new Set(got).size).toBe(62);
    await expect(res.next((v) => res.reserve(v, owner('late')))).rejects.toBeInstanceOf(RangeFullError);
  });

  it('prefers the upper band and falls back to the static band when it is full', async () => {
    const store = new MemoryStore();
    const range = parseNodePortRange('30000-30031'); // 32 ports, 16 static
    const res = new Reservations(store, '/p', range, realClock);
    const first = [];
    for (let i = 0; i < 16; i++) first.push(await res.next((v) => res.reserve(v, owner(`a${i}`))));
    expect(first.every((p) => p >= 30016)).toBe(true);
    expect(await res.next((v) => res.reserve(v, owner('b')))).toBeLessThan(30016);
  });

  it('persists in the store: a new instance sees what is taken', async () => {
    const store = new MemoryStore();
    const a = new Reservations(store, '/p', parseNodePortRange('30000-30002'), realClock);
    expect(await a.reserve(30001, owner('x'))).toBe(true);
    const b = new Reservations(store, '/p', parseNodePortRange('30000-30002'), realClock);
    expect(await b.reserve(30001, owner('y'))).toBe(false);
    expect(await b.isFree(30000)).toBe(true);
    const taken = [await b.next((v) => b.reserve(v, owner('z'))), await b.next((v) => b.reserve(v, owner('w')))].sort();
    expect(taken).toEqual([30000, 30002]);
    expect((await b.list()).map((r) => [r.value, r.owner?.name])).toEqual([['30000', expect.any(String)], ['30001', 'x'], ['30002', expect.any(String)]]);
  });

  it('releases only for the owner', async () => {
    const store = new MemoryStore();
    const res = new Reservations(store, '/p', parseNodePortRange('30000-30002'), realClock);
    await res.reserve(30000, owner('x'));
    await res.release(30000, 'someone-else');
    expect(await res.isFree(30000)).toBe(false);
    await res.release(30000, 'uid-x');
    expect(await res.isFree(30000)).toBe(true);
    await res.release(30000, 'uid-x'); // already free: fine
  });
});
