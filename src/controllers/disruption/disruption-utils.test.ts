import { describe, expect, it } from 'vitest';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1.js';
import {
  DELETION_TIMEOUT_MS, buildDisruptedPodMap, conditionsAreUpToDate, countHealthyPods, disruptionsAllowed, expectedPodCount,
  failSafeStatus, nextStatus, scaledValue, staleDisruptionCondition, type ScaleFinder,
} from './disruption-utils.js';

const T0 = Date.parse('2025-01-01T00:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

function pod(name: string, o: { ready?: boolean; owner?: string; terminating?: boolean; cond?: Record<string, string> } = {}): Pod {
  return {
    metadata: {
      name, namespace: 'ns',
      ...(o.owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: o.owner, uid: `uid-${o.owner}`, controller: true }] } : {}),
      ...(o.terminating ? { deletionTimestamp: iso(T0) } : {}),
    },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True' }, ...(o.cond ? [o.cond as never] : [])] },
  };
}

const pdb = (spec: PodDisruptionBudget['spec'], status?: PodDisruptionBudget['status'], generation = 1): PodDisruptionBudget => ({
  metadata: { name: 'b', namespace: 'ns', generation }, spec, status,
});

const scales = (m: Record<string, number>): ScaleFinder => async (p) => {
  const ref = p.metadata?.ownerReferences?.[0];
  return ref && m[ref.name] !== undefined ? { uid: ref.uid, scale: m[ref.name] } : undefined;
};

describe('scaledValue (GetScaledValueFromIntOrPercent)', () => {
  it.each([
    [3, 10, true, 3],
    ['50%', 3, true, 2],
    ['50%', 3, false, 1],
    ['34%', 3, true, 2],
    ['33%', 3, true, 1],
    ['100%', 7, true, 7],
    ['0%', 7, true, 0],
  ] as const)('%s of %s (roundUp %s) = %s', (v, total, up, want) => {
    expect(scaledValue(v, total, up)).toBe(want);
  });

  it('rejects a string that is not a percentage', () => {
    expect(() => scaledValue('5', 10, true)).toThrow(/not a percentage/);
  });
});

describe('expectedPodCount', () => {
  const three = [pod('a', { owner: 'rs' }), pod('b', { owner: 'rs' }), pod('c', { owner: 'rs' })];

  it.each([
    ['minAvailable int: expected = pods', { minAvailable: 2 }, { rs: 5 }, 3, 2],
    ['minAvailable percent: expected = scale, rounded up', { minAvailable: '50%' }, { rs: 5 }, 5, 3],
    ['maxUnavailable int', { maxUnavailable: 1 }, { rs: 4 }, 4, 3],
    ['maxUnavailable percent rounds unavailability up', { maxUnavailable: '30%' }, { rs: 4 }, 4, 2],
    ['maxUnavailable above scale: desired 0', { maxUnavailable: 9 }, { rs: 4 }, 4, 0],
    ['neither set', {}, { rs: 4 }, 0, 0],
  ] as const)('%s', async (_n, spec, sc, expected, desired) => {
    const r = await expectedPodCount(pdb(spec as never), three, scales(sc));
    expect(r.expectedCount).toBe(expected);
    expect(r.desiredHealthy).toBe(desired);
  });

  it('counts each controller once and sums distinct controllers', async () => {
    const pods = [pod('a', { owner: 'x' }), pod('b', { owner: 'x' }), pod('c', { owner: 'y' })];
    expect((await expectedPodCount(pdb({ maxUnavailable: 0 }), pods, scales({ x: 2, y: 5 }))).expectedCount).toBe(7);
  });

  it('reports unmanaged pods without counting them', async () => {
    const r = await expectedPodCount(pdb({ maxUnavailable: 1 }), [pod('a', { owner: 'x' }), pod('lone')], scales({ x: 3 }));
    expect(r).toEqual({ expectedCount: 3, desiredHealthy: 2, unmanagedPods: ['lone'] });
  });

  it('fails when a controller cannot be found', async () => {
    await expect(expectedPodCount(pdb({ maxUnavailable: 1 }), [pod('a', { owner: 'gone' })], scales({}))).rejects.toThrow('found no controllers for pod "a"');
  });
});

describe('healthy pods and disrupted pods', () => {
  it('counts ready pods that are neither terminating nor recently disrupted', () => {
    const pods = [pod('a'), pod('b', { ready: false }), pod('c', { terminating: true }), pod('d'), pod('e')];
    expect(countHealthyPods(pods, { d: iso(T0 - 1000), e: iso(T0 - DELETION_TIMEOUT_MS - 1000) }, T0)).toBe(2);
  });

  it('keeps recent entries of live pods, expires old ones, and says when to look again', () => {
    const p = pdb({ minAvailable: 1 }, {
      currentHealthy: 0, desiredHealthy: 0, disruptionsAllowed: 0, expectedPods: 0,
      disruptedPods: { a: iso(T0 - 60_000), b: iso(T0 - DELETION_TIMEOUT_MS - 1000), c: iso(T0), gone: iso(T0) },
    });
    const r = buildDisruptedPodMap([pod('a'), pod('b'), pod('c', { terminating: true })], p, T0);
    expect(r.disruptedPods).toEqual({ a: iso(T0 - 60_000) });
    expect(r.recheckAt).toBe(T0 - 60_000 + DELETION_TIMEOUT_MS);
    expect(r.expired.map((x) => x.metadata?.name)).toEqual(['b']);
  });

  it.each([
    [3, 2, 3, 1],
    [2, 2, 3, 0],
    [1, 2, 3, 0],
    [3, 0, 0, 0],
  ])('disruptionsAllowed(current %s, desired %s, expected %s) = %s', (c, d, e, want) => {
    expect(disruptionsAllowed(c, d, e)).toBe(want);
  });
});

describe('status', () => {
  const computed = { currentHealthy: 3, desiredHealthy: 2, expectedPods: 3, disruptedPods: {} };

  it('computes a new status with the DisruptionAllowed condition', () => {
    const st = nextStatus(pdb({ minAvailable: 2 }, { currentHealthy: 0, desiredHealthy: 0, disruptionsAllowed: 0, expectedPods: 0 }, 2), computed, iso(T0))!;
    expect(st).toMatchObject({ currentHealthy: 3, desiredHealthy: 2, expectedPods: 3, disruptionsAllowed: 1, observedGeneration: 2 });
    expect(st.conditions).toEqual([{ type: 'DisruptionAllowed', status: 'True', reason: 'SufficientPods', message: '', observedGeneration: 2, lastTransitionTime: iso(T0) }]);
    expect(st.disruptedPods).toBeUndefined();
  });

  it('is unchanged when up to date, and moves the transition time only on a status change', () => {
    const p = pdb({ minAvailable: 2 }, undefined, 2);
    p.status = nextStatus(p, computed, iso(T0));
    expect(conditionsAreUpToDate(p)).toBe(true);
    expect(nextStatus(p, computed, iso(T0 + 5000))).toBeUndefined();
    const down = nextStatus(p, { ...computed, currentHealthy: 2 }, iso(T0 + 5000))!;
    expect(down.disruptionsAllowed).toBe(0);
    expect(down.conditions![0]).toMatchObject({ status: 'False', reason: 'InsufficientPods', lastTransitionTime: iso(T0 + 5000) });
    // A generation not yet observed is an update even with the same numbers.
    const bumped = { ...p, metadata: { ...p.metadata, generation: 3 } };
    expect(nextStatus(bumped, computed, iso(T0))?.observedGeneration).toBe(3);
  });

  it('fails safe: no disruptions, SyncFailed with the error', () => {
    const p = pdb({ maxUnavailable: 1 }, { currentHealthy: 3, desiredHealthy: 2, disruptionsAllowed: 1, expectedPods: 3, observedGeneration: 1 });
    const st = failSafeStatus(p, 'found no controllers for pod "a"', iso(T0));
    expect(st.disruptionsAllowed).toBe(0);
    expect(st.conditions).toEqual([{ type: 'DisruptionAllowed', status: 'False', reason: 'SyncFailed', message: 'found no controllers for pod "a"', observedGeneration: 1, lastTransitionTime: iso(T0) }]);
  });
});

describe('staleDisruptionCondition', () => {
  const cond = (reason: string, at: number) => ({ type: 'DisruptionTarget', status: 'True', reason, lastTransitionTime: iso(at) });

  it('is stale after the timeout for a pod still alive', () => {
    expect(staleDisruptionCondition(pod('a', { cond: cond('EvictionByEvictionAPI', T0 - 30_000) }), T0, 120_000)).toEqual({ stale: true, afterMs: 90_000 });
    expect(staleDisruptionCondition(pod('a', { cond: cond('EvictionByEvictionAPI', T0 - 300_000) }), T0, 120_000)).toEqual({ stale: true, afterMs: 0 });
  });

  it('never for terminating pods, kubelet conditions or pods without one', () => {
    expect(staleDisruptionCondition(pod('a', { terminating: true, cond: cond('EvictionByEvictionAPI', T0) }), T0).stale).toBe(false);
    expect(staleDisruptionCondition(pod('a', { cond: cond('TerminationByKubelet', T0) }), T0).stale).toBe(false);
    expect(staleDisruptionCondition(pod('a'), T0).stale).toBe(false);
  });
});
