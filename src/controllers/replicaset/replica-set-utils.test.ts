import { describe, expect, it } from 'vitest';
import type { ReplicaSet, ReplicaSetStatus } from 'kubernetes-types/apps/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { rcToReplicaSet, replicationControllerKind } from './kinds.js';
import { calculateStatus, podFromTemplate, slowStartBatch, statusUnchanged } from './replica-set-utils.js';

const NOW = Date.UTC(2025, 0, 1, 12);

describe('slowStartBatch', () => {
  const run = async (count: number, failAt?: number) => {
    const batches: number[] = [];
    let calls = 0;
    let current = 0;
    const res = await slowStartBatch(count, 1, async () => {
      const n = ++calls;
      current++; // a batch starts all its calls at once …
      await new Promise((r) => setImmediate(r));
      if (current) batches.push(current); // … and the first to finish records its size
      current = 0;
      if (n === failAt) throw new Error(`call ${n} failed`);
    });
    return { res, calls, batches };
  };

  it('calls 1, 2, 4, … until count', async () => {
    const { res, calls, batches } = await run(10);
    expect(res).toEqual({ successes: 10 });
    expect(calls).toBe(10);
    expect(batches).toEqual([1, 2, 4, 3]);
  });

  it('stops after the batch with the first failure', async () => {
    const { res, calls, batches } = await run(20, 2); // the batch of 2 fails: no batch of 4
    expect(calls).toBe(3);
    expect(batches).toEqual([1, 2]);
    expect(res.successes).toBe(2);
    expect((res.error as Error).message).toBe('call 2 failed');
  });

  it('does nothing for 0', async () => {
    expect((await run(0)).res).toEqual({ successes: 0 });
  });
});

function rs(status: Partial<ReplicaSetStatus> = {}): ReplicaSet {
  return {
    metadata: { name: 'web', generation: 2 },
    spec: { replicas: 3, minReadySeconds: 30, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web', tier: 'fe' } } } },
    status: status as ReplicaSetStatus,
  };
}

function pod(labels: Record<string, string>, readyAgoMs?: number): Pod {
  return {
    metadata: { labels },
    status: readyAgoMs === undefined ? {} : { conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: new Date(NOW - readyAgoMs).toISOString() }] },
  };
}

describe('calculateStatus', () => {
  it('counts replicas, fully labeled, ready and available pods', () => {
    const pods = [pod({ app: 'web', tier: 'fe' }, 60_000), pod({ app: 'web', tier: 'fe' }, 10_000), pod({ app: 'web' })];
    expect(calculateStatus(rs(), pods, [pod({ app: 'web' })], undefined, NOW)).toEqual({
      replicas: 3, fullyLabeledReplicas: 2, readyReplicas: 2, availableReplicas: 1, terminatingReplicas: 1,
    });
  });

  it('sets ReplicaFailure once, with FailedCreate or FailedDelete, and removes it on success', () => {
    const short = calculateStatus(rs(), [pod({ app: 'web' })], undefined, new Error('quota'), NOW);
    expect(short.conditions).toEqual([{ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: 'quota', lastTransitionTime: '2025-01-01T12:00:00Z' }]);
    const four = Array.from({ length: 4 }, () => pod({ app: 'web' }));
    expect(calculateStatus(rs(), four, undefined, new Error('nope'), NOW).conditions![0]!.reason).toBe('FailedDelete');
    // An existing failure condition is kept as it is (same transition time).
    const again = calculateStatus(rs(short), [], undefined, new Error('other'), NOW + 5000);
    expect(again.conditions).toEqual(short.conditions);
    expect(calculateStatus(rs(short), [], undefined, undefined, NOW).conditions).toBeUndefined();
  });

  it('statusUnchanged compares counts, conditions and the observed generation', () => {
    const cur = { replicas: 1, fullyLabeledReplicas: 1, readyReplicas: 0, availableReplicas: 0, observedGeneration: 2 };
    expect(statusUnchanged(rs(cur), { ...cur })).toBe(true);
    expect(statusUnchanged(rs(cur), { ...cur, readyReplicas: 1 })).toBe(false);
    expect(statusUnchanged(rs({ ...cur, observedGeneration: 1 }), { ...cur })).toBe(false);
    expect(statusUnchanged(rs(cur), { ...cur, terminatingReplicas: 0 })).toBe(false);
  });
});

describe('podFromTemplate', () => {
  it('copies labels, annotations, finalizers and spec; sets generateName and the owner', () => {
    const ref = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: 'u1', controller: true, blockOwnerDeletion: true };
    const p = podFromTemplate({ metadata: { labels: { app: 'web' }, annotations: { a: 'b' }, finalizers: ['f'] }, spec: { containers: [{ name: 'c' }] } }, 'web', ref);
    expect(p).toEqual({
      apiVersion: 'v1', kind: 'Pod',
      metadata: { generateName: 'web-', labels: { app: 'web' }, annotations: { a: 'b' }, finalizers: ['f'], ownerReferences: [ref] },
      spec: { containers: [{ name: 'c' }] },
    });
  });

  it('refuses a template without labels', () => {
    expect(() => podFromTemplate({ spec: { containers: [] } }, 'web')).toThrow('unable to create pods, no labels');
  });
});

describe('ReplicationController as a ReplicaSet', () => {
  it('turns the map selector into matchLabels and writes status back without terminatingReplicas', () => {
    const rc = { metadata: { name: 'old' }, spec: { selector: { app: 'old' }, template: { metadata: { labels: { app: 'old' } } } } };
    const asRS = rcToReplicaSet(rc);
    expect(asRS.spec).toMatchObject({ replicas: 1, selector: { matchLabels: { app: 'old' } } });
    expect(rcToReplicaSet({ metadata: { name: 'x' }, spec: {} }).spec!.selector).toBeUndefined();
    const out = replicationControllerKind.withStatus(rc, { replicas: 2, terminatingReplicas: 1 });
    expect(out.status).toEqual({ replicas: 2 });
    expect(rc).not.toHaveProperty('status');
  });
});
