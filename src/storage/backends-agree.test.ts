// Randomised cross-check: the same seeded sequence of writes, reads, compactions and watches must
// give identical answers from every backend (here memory and SQLite).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Store, WatchEvent } from './interface.js';
import { MemoryStore } from './memory/memory-store.js';
import { SqliteStore } from './sqlite/sqlite-store.js';
import { record } from './store-contract-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'k8ts-agree-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** mulberry32: a tiny seeded PRNG, so a failure replays exactly. */
function prng(seed: number): (n: number) => number {
  let a = seed;
  return (n) => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (((t ^ (t >>> 14)) >>> 0) / 4294967296) * n;
  };
}

/** Runs one step on a store and describes its outcome as a string. */
async function step(store: Store, rand: (n: number) => number, known: Map<string, number>): Promise<string> {
  const key = `/r/${['a', 'b', 'ab', 'a/b'][Math.floor(rand(4))]}/${Math.floor(rand(12))}`;
  const outcome = (p: Promise<unknown>) =>
    p.then(
      (v) => JSON.stringify(v),
      (err: Error & { code?: string }) => `error ${err.code ?? err.message}`,
    );
  const r = rand(10);
  if (r < 3) return outcome(store.create(key, `c${Math.floor(rand(1000))}`));
  // Stale expectations on purpose now and then, to exercise conflicts.
  const expected = rand(4) < 1 ? Math.floor(rand(50)) : (known.get(key) ?? 1);
  if (r < 6) return outcome(store.update(key, `u${Math.floor(rand(1000))}`, expected));
  if (r < 7.5) return outcome(store.delete(key, rand(2) < 1 ? undefined : expected));
  const current = await store.currentRevision();
  // Mostly readable revisions; sometimes compacted or future ones, which must fail alike.
  const compacted = await store.compactedRevision();
  const outOfReach = rand(2) < 1 ? current + 1 + Math.floor(rand(2)) : Math.floor(rand(compacted));
  const revision = rand(10) < 1 ? outOfReach : compacted + Math.floor(rand(current - compacted + 1));
  if (r < 9) return outcome(store.range(`/r/${rand(2) < 1 ? 'a' : 'a/'}`, { revision, limit: Math.floor(rand(4)) }));
  if (r < 9.8) return outcome(store.get(key, { revision }));
  return outcome(store.compact(Math.floor(rand(current + 1))).then(() => store.compactedRevision()));
}

async function run(store: Store, seed: number): Promise<{ log: string[]; events: WatchEvent[] }> {
  const rand = prng(seed);
  const known = new Map<string, number>();
  const watch = record(store, '/r/a', 0);
  let late: ReturnType<typeof record> | undefined;
  const log: string[] = [];
  for (let i = 0; i < 1500; i++) {
    // A second watch joins later from an old revision: its replay comes from history.
    if (i === 1000) late = record(store, '/r/', await store.compactedRevision());
    const out = await step(store, rand, known);
    log.push(out);
    // Remember what creates and updates returned, so most later updates expect the right revision.
    if (out.startsWith('{"key"')) {
      const kv = JSON.parse(out) as { key: string; modRevision: number };
      known.set(kv.key, kv.modRevision);
    }
  }
  const total = (await store.range('/r/a')).revision;
  await new Promise((resolve) => setTimeout(resolve, 20));
  watch.watch.cancel();
  late!.watch.cancel();
  log.push(`final revision ${total}`, `errors ${[...watch.errors, ...late!.errors].join()}`);
  return { log, events: [...watch.events, ...late!.events] };
}

describe('backends agree', () => {
  it.each([1, 2, 3])('on a random history (seed %i)', async (seed) => {
    const memory = new MemoryStore({ eventLogSize: 50 });
    const sqlite = SqliteStore.open(join(dir, `seed-${seed}.db`));
    const [m, s] = [await run(memory, seed), await run(sqlite, seed)];
    expect(s.log).toEqual(m.log);
    expect(s.events).toEqual(m.events);
    // The history exercised what it should.
    for (const outcome of ['error Conflict', 'error KeyExists', 'error NotFound', 'error Compacted', 'error FutureRevision']) {
      expect(m.log, outcome).toContain(outcome);
    }
    expect(m.events.length).toBeGreaterThan(300);
    await Promise.all([memory.close(), sqlite.close()]);
  });
});
