import { describe, expect, it } from 'vitest';
import { GroupCommit, type Outcome } from './group-commit.js';

describe('GroupCommit', () => {
  it('commits the writes of one tick in one call, settling each with its own outcome', async () => {
    const calls: string[][] = [];
    const gc = new GroupCommit<string, string>((ops) => {
      calls.push(ops);
      return ops.map((op): Outcome<string> => (op.startsWith('bad') ? { ok: false, error: new Error(op) } : { ok: true, value: op.toUpperCase() }));
    });
    const results = await Promise.allSettled(['a', 'bad1', 'b'].map((op) => gc.submit(op)));
    expect(calls).toEqual([['a', 'bad1', 'b']]);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual(['A', 'bad1', 'B']);
    await gc.submit('c');
    expect(calls).toHaveLength(2);
  });

  it('retries each write alone when the batch as a whole fails', async () => {
    const calls: string[][] = [];
    const gc = new GroupCommit<string, string>((ops) => {
      calls.push(ops);
      if (ops.includes('poison')) throw new Error('disk says no');
      return ops.map((op) => ({ ok: true, value: op }));
    });
    const results = await Promise.allSettled(['a', 'poison', 'b'].map((op) => gc.submit(op)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(calls).toEqual([['a', 'poison', 'b'], ['a'], ['poison'], ['b']]);
  });

  it('flush() commits what is queued at once', async () => {
    const committed: string[] = [];
    const gc = new GroupCommit<string, string>((ops) => {
      committed.push(...ops);
      return ops.map((op) => ({ ok: true, value: op }));
    });
    const p = gc.submit('x');
    gc.flush();
    expect(committed).toEqual(['x']);
    await expect(p).resolves.toBe('x');
  });
});
