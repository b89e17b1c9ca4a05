import { describe, expect, it, vi } from 'vitest';
import { compactKeeping } from './auto-compaction.js';
import { MemoryStore } from './memory/memory-store.js';

describe('auto-compaction', () => {
  it('compacts to current - keep, and only forward', async () => {
    const store = new MemoryStore();
    for (let i = 0; i < 10; i++) await store.create(`/k/${i}`, 'v');
    expect(await compactKeeping(store, 20)).toBeUndefined();
    expect(await compactKeeping(store, 4)).toBe(6);
    expect(await compactKeeping(store, 4)).toBeUndefined();
    expect(await store.compactedRevision()).toBe(6);
    await store.close();
  });

  it('runs periodically until stopped', async () => {
    const store = new MemoryStore();
    const stop = store.startAutoCompaction(5, 2);
    for (let i = 0; i < 10; i++) await store.create(`/k/${i}`, 'v');
    await vi.waitFor(async () => expect(await store.compactedRevision()).toBe(8), { timeout: 5000 });
    stop();
    for (let i = 10; i < 20; i++) await store.create(`/k/${i}`, 'v');
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(await store.compactedRevision()).toBe(8);
    await store.close();
  });
});
