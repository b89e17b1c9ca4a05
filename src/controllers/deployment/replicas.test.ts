import { describe, expect, it } from 'vitest';
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import {
  equalIgnoreHash, findActiveOrLatest, findNewReplicaSet, findOldReplicaSets, isSaturated, maxSurge, maxUnavailable, newRSNewReplicas,
  proportionalSizes, resolveFenceposts, roundToInt32, scaledValueFromIntOrPercent,
} from './replicas.js';

function dep(replicas: number, surge: number | string = 1, unavailable: number | string = 0, type = 'RollingUpdate', statusReplicas = 0): Deployment {
  return {
    metadata: { name: 'foo', namespace: 'ns', generation: 1 },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'foo' } },
      strategy: type === 'RollingUpdate' ? { type, rollingUpdate: { maxSurge: surge, maxUnavailable: unavailable } } : { type },
      template: { metadata: { labels: { app: 'foo' } }, spec: { containers: [{ name: 'c', image: 'v2' }] } },
    },
    status: { replicas: statusReplicas },
  };
}

function rs(name: string, replicas: number, createdSec: number, opts: { available?: number; maxReplicas?: number; desired?: number; image?: string } = {}): ReplicaSet {
  const annotations: Record<string, string> = {};
  if (opts.maxReplicas !== undefined) annotations['deployment.kubernetes.io/max-replicas'] = String(opts.maxReplicas);
  if (opts.desired !== undefined) annotations['deployment.kubernetes.io/desired-replicas'] = String(opts.desired);
  return {
    metadata: { name, namespace: 'ns', uid: `uid-${name}`, creationTimestamp: new Date(Date.UTC(2025, 0, 1, 0, 0, createdSec)).toISOString(), annotations },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'foo' } },
      template: { metadata: { labels: { app: 'foo', 'pod-template-hash': name } }, spec: { containers: [{ name: 'c', image: opts.image ?? name }] } },
    },
    status: { replicas, availableReplicas: opts.available ?? replicas },
  };
}

describe('fenceposts', () => {
  // Upstream's TestResolveFenceposts.
  it.each([
    ['0%', '0%', 0, [0, 1]],
    ['39%', '39%', 10, [4, 3]],
    [undefined, '39%', 10, [0, 3]],
    ['39%', undefined, 10, [4, 0]],
    [undefined, undefined, 10, [0, 1]],
    [1, 0, 3, [1, 0]],
    ['25%', '25%', 3, [1, 0]],
    ['25%', '25%', 1, [1, 0]],
  ] as const)('maxSurge %j, maxUnavailable %j of %d → %j', (s, u, desired, want) => {
    expect(resolveFenceposts(s, u, desired)).toEqual(want);
  });

  it('rejects strings that are not percentages', () => {
    expect(() => resolveFenceposts('oops', '1%', 10)).toThrow('string is not a percentage');
    expect(() => scaledValueFromIntOrPercent('55', 10, true)).toThrow();
  });

  it('rounds surge up and unavailability down', () => {
    expect(scaledValueFromIntOrPercent('25%', 5, true)).toBe(2);
    expect(scaledValueFromIntOrPercent('25%', 5, false)).toBe(1);
  });

  // Upstream's TestMaxUnavailable.
  it.each([
    ['maxUnavailable less than replicas', dep(10, 0, 5), 5],
    ['maxUnavailable equal replicas', dep(10, 0, 10), 10],
    ['maxUnavailable greater than replicas', dep(5, 0, 10), 5],
    ['maxUnavailable with replicas is 0', dep(0, 0, 10), 0],
    ['maxUnavailable with Recreate deployment strategy', dep(10, 0, 5, 'Recreate'), 0],
    ['maxUnavailable less than replicas with percents', dep(10, 0, '50%'), 5],
    ['maxUnavailable equal replicas with percents', dep(10, 0, '100%'), 10],
    ['maxUnavailable greater than replicas with percents', dep(5, 0, '100%'), 5],
  ])('%s', (_n, d, want) => {
    expect(maxUnavailable(d)).toBe(want);
  });

  it('has no surge for Recreate', () => {
    expect(maxSurge(dep(10, 3, 0, 'Recreate'))).toBe(0);
    expect(maxSurge(dep(10, '25%', 0))).toBe(3);
  });
});

describe('new ReplicaSet size', () => {
  it('grows within maxSurge, never past spec.replicas', () => {
    const newRS = rs('new', 0, 2);
    const old = rs('old', 3, 1);
    expect(newRSNewReplicas(dep(3, 1, 0), [old, newRS], newRS)).toBe(1);
    expect(newRSNewReplicas(dep(3, 5, 0), [old, newRS], newRS)).toBe(3);
    const full = rs('new', 1, 2);
    expect(newRSNewReplicas(dep(3, 1, 0), [old, full], full)).toBe(1); // 4 pods already
    expect(newRSNewReplicas(dep(3, 1, 0, 'Recreate'), [old, newRS], newRS)).toBe(3);
  });

  it('is saturated when sized, annotated and available for spec.replicas', () => {
    expect(isSaturated(dep(3), rs('a', 3, 0, { desired: 3 }))).toBe(true);
    expect(isSaturated(dep(3), rs('a', 3, 0, { desired: 3, available: 2 }))).toBe(false);
    expect(isSaturated(dep(3), rs('a', 3, 0))).toBe(false);
    expect(isSaturated(dep(3), undefined)).toBe(false);
  });
});

describe('new and old ReplicaSets', () => {
  it('finds the new ReplicaSet by template, ignoring the hash label; the oldest when several match', () => {
    const d = dep(3);
    const a = rs('a', 1, 5, { image: 'v2' });
    const b = rs('b', 1, 3, { image: 'v2' });
    const old = rs('old', 1, 1, { image: 'v1' });
    expect(findNewReplicaSet(d, [a, old, b])?.metadata?.name).toBe('b');
    expect(findOldReplicaSets(d, [a, old, b]).map((x) => x.metadata?.name)).toEqual(['a', 'old']);
    expect(equalIgnoreHash(a.spec?.template, d.spec?.template)).toBe(true);
    expect(equalIgnoreHash(old.spec?.template, d.spec?.template)).toBe(false);
  });

  it('finds the one active ReplicaSet, or the newest when none is active', () => {
    expect(findActiveOrLatest(rs('n', 0, 3), [rs('o1', 2, 1), rs('o2', 0, 2)])?.metadata?.name).toBe('o1');
    expect(findActiveOrLatest(undefined, [rs('o1', 0, 1), rs('o2', 0, 2)])?.metadata?.name).toBe('o2');
    expect(findActiveOrLatest(rs('n', 0, 3), [rs('o1', 0, 1)])?.metadata?.name).toBe('n');
    expect(findActiveOrLatest(rs('n', 1, 3), [rs('o1', 2, 1)])).toBeUndefined();
  });
});

describe('proportional scaling', () => {
  it('rounds half away from zero', () => {
    expect([roundToInt32(2.5), roundToInt32(2.4), roundToInt32(-2.5), roundToInt32(-2.4)]).toEqual([3, 2, -3, -2]);
  });

  const sizes = (d: Deployment, list: ReplicaSet[]) => {
    const { sizes: m, op } = proportionalSizes(d, list);
    return { op, sizes: list.map((x) => m.get(x.metadata!.name!)) };
  };

  // Upstream's TestScale, proportional cases (maxSurge 0 keeps the arithmetic visible).
  it('5 → 10', () => {
    expect(sizes(dep(10, 0, 1), [rs('new', 2, 2, { maxReplicas: 5 }), rs('old', 3, 1, { maxReplicas: 5 })])).toEqual({ op: 'up', sizes: [4, 6] });
  });
  it('5 → 3', () => {
    expect(sizes(dep(3, 0, 1), [rs('new', 2, 2, { maxReplicas: 5 }), rs('old', 3, 1, { maxReplicas: 5 })])).toEqual({ op: 'down', sizes: [1, 2] });
  });
  it('9 → 4', () => {
    expect(sizes(dep(4, 0, 1), [rs('new', 8, 2, { maxReplicas: 9 }), rs('old', 1, 1, { maxReplicas: 9 })]).sizes).toEqual([4, 0]);
  });
  it('7 → 10', () => {
    const list = [rs('new', 2, 3, { maxReplicas: 7 }), rs('old1', 3, 1, { maxReplicas: 7 }), rs('old2', 2, 2, { maxReplicas: 7 })];
    expect(sizes(dep(10, 0, 1), list).sizes).toEqual([3, 4, 3]);
  });
  it('13 → 8', () => {
    const list = [rs('new', 2, 3, { maxReplicas: 13 }), rs('old1', 8, 1, { maxReplicas: 13 }), rs('old2', 3, 2, { maxReplicas: 13 })];
    expect(sizes(dep(8, 0, 1), list).sizes).toEqual([1, 5, 2]);
  });
  it('scales to zero', () => {
    expect(sizes(dep(0, 0, 1), [rs('new', 2, 2, { maxReplicas: 5 }), rs('old', 3, 1, { maxReplicas: 5 })]).sizes).toEqual([0, 0]);
  });
  it('falls back to status.replicas without the max-replicas annotation', () => {
    expect(sizes(dep(10, 0, 1, 'RollingUpdate', 5), [rs('new', 2, 2), rs('old', 3, 1)]).sizes).toEqual([4, 6]);
  });
  it('counts maxSurge in the new size (a rollout stalled at 8/5 resized 10 → 20)', () => {
    expect(sizes(dep(20, 3, 2), [rs('old', 8, 1, { maxReplicas: 13 }), rs('new', 5, 2, { maxReplicas: 13 })]).sizes).toEqual([14, 9]);
  });
});
