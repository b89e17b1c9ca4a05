// The collector's decisions, table-driven.
import { describe, expect, it } from 'vitest';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import {
  compareByEvictionAndCreation, failedStatusPatch, isPodTerminated, orphanedPodCondition, terminatedPodsToDelete,
  terminatingOutOfServicePods, unknownNodeNames, unscheduledTerminatingPods,
} from './pod-gc-utils.js';

interface PodOpts {
  phase?: string;
  reason?: string;
  created?: string;
  node?: string;
  deleting?: boolean;
}

function pod(name: string, o: PodOpts = {}): Pod {
  return {
    metadata: {
      name, namespace: 'ns', uid: `uid-${name}`, creationTimestamp: o.created ?? '2025-01-01T00:00:00Z',
      deletionTimestamp: o.deleting ? '2025-01-01T01:00:00Z' : undefined,
    },
    spec: { containers: [], nodeName: o.node },
    status: { phase: o.phase, reason: o.reason },
  };
}

function node(name: string, ready: boolean, taints: string[] = []): Node {
  return {
    metadata: { name },
    spec: { taints: taints.map((key) => ({ key, effect: 'NoExecute' })) },
    status: { conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
  };
}

const names = (pods: Pod[]) => pods.map((p) => p.metadata?.name);

describe('isPodTerminated', () => {
  for (const [phase, want] of [['Succeeded', true], ['Failed', true], ['Running', false], ['Pending', false], ['Unknown', false], [undefined, false]] as const) {
    it(`${phase ?? 'no phase'} → ${want}`, () => expect(isPodTerminated(pod('p', { phase }))).toBe(want));
  }
});

describe('terminatedPodsToDelete', () => {
  const cases: Array<{ name: string; pods: Pod[]; threshold: number; want: string[] }> = [
    {
      name: 'under the threshold: nothing',
      pods: [pod('a', { phase: 'Succeeded' }), pod('b', { phase: 'Failed' })],
      threshold: 2, want: [],
    },
    {
      name: 'beyond it: the oldest terminated, running pods never',
      pods: [
        pod('new', { phase: 'Succeeded', created: '2025-01-01T00:00:03Z' }),
        pod('old', { phase: 'Failed', created: '2025-01-01T00:00:01Z' }),
        pod('running-oldest', { phase: 'Running', created: '2025-01-01T00:00:00Z' }),
        pod('mid', { phase: 'Succeeded', created: '2025-01-01T00:00:02Z' }),
      ],
      threshold: 1, want: ['old', 'mid'],
    },
    {
      name: 'evicted pods go first, whatever their age',
      pods: [
        pod('old', { phase: 'Succeeded', created: '2025-01-01T00:00:01Z' }),
        pod('evicted-new', { phase: 'Failed', reason: 'Evicted', created: '2025-01-01T00:00:09Z' }),
        pod('other', { phase: 'Failed', created: '2025-01-01T00:00:05Z' }),
      ],
      threshold: 1, want: ['evicted-new', 'old'],
    },
    {
      name: 'same creation time: by name',
      pods: [pod('c', { phase: 'Succeeded' }), pod('a', { phase: 'Succeeded' }), pod('b', { phase: 'Succeeded' })],
      threshold: 1, want: ['a', 'b'],
    },
    {
      name: 'a threshold of 0 turns the pass off',
      pods: [pod('a', { phase: 'Succeeded' })],
      threshold: 0, want: [],
    },
  ];
  for (const tc of cases) it(tc.name, () => expect(names(terminatedPodsToDelete(tc.pods, tc.threshold))).toEqual(tc.want));

  it('does not reorder the array it was given', () => {
    const pods = [pod('b', { phase: 'Succeeded' }), pod('a', { phase: 'Succeeded' })];
    terminatedPodsToDelete(pods, 1);
    expect(names(pods)).toEqual(['b', 'a']);
  });
});

describe('compareByEvictionAndCreation', () => {
  it('orders evicted, then creation time, then name', () => {
    const pods = [
      pod('z', { created: '2025-01-01T00:00:00Z' }),
      pod('y', { phase: 'Failed', reason: 'Evicted', created: '2025-01-02T00:00:00Z' }),
      pod('a', { created: '2025-01-01T00:00:05Z' }),
      pod('b', { created: '2025-01-01T00:00:00Z' }),
    ];
    expect(names([...pods].sort(compareByEvictionAndCreation))).toEqual(['y', 'b', 'z', 'a']);
  });
});

describe('terminatingOutOfServicePods', () => {
  const nodes = new Map([
    ['oos', node('oos', false, ['node.kubernetes.io/out-of-service'])],
    ['ready-oos', node('ready-oos', true, ['node.kubernetes.io/out-of-service'])],
    ['down', node('down', false)],
  ]);
  const cases: Array<{ name: string; pod: Pod; want: boolean }> = [
    { name: 'terminating on a not-ready out-of-service node', pod: pod('p', { node: 'oos', deleting: true }), want: true },
    { name: 'not terminating', pod: pod('p', { node: 'oos' }), want: false },
    { name: 'the node is ready', pod: pod('p', { node: 'ready-oos', deleting: true }), want: false },
    { name: 'the node is down but not declared out of service', pod: pod('p', { node: 'down', deleting: true }), want: false },
    { name: 'the node is unknown to the cache (left to the orphan pass)', pod: pod('p', { node: 'ghost', deleting: true }), want: false },
  ];
  for (const tc of cases) it(tc.name, () => expect(terminatingOutOfServicePods([tc.pod], (n) => nodes.get(n)).length === 1).toBe(tc.want));
});

describe('unscheduledTerminatingPods / unknownNodeNames', () => {
  it('picks terminating pods with no node', () => {
    const pods = [pod('a', { deleting: true }), pod('b', { deleting: true, node: 'n' }), pod('c')];
    expect(names(unscheduledTerminatingPods(pods))).toEqual(['a']);
  });

  it('names the nodes bound pods name that the cache does not hold', () => {
    const pods = [pod('a', { node: 'n1' }), pod('b', { node: 'ghost' }), pod('c'), pod('d', { node: 'ghost' })];
    expect([...unknownNodeNames(pods, new Set(['n1']))]).toEqual(['ghost']);
  });
});

describe('failedStatusPatch', () => {
  const now = Date.UTC(2025, 5, 1, 12, 0, 0);
  it('is nothing for a pod that already finished', () => {
    expect(failedStatusPatch(pod('p', { phase: 'Succeeded' }), undefined, now)).toBeUndefined();
    expect(failedStatusPatch(pod('p', { phase: 'Failed' }), orphanedPodCondition(), now)).toBeUndefined();
  });

  it('moves a running pod to Failed, guarded by its uid', () => {
    expect(failedStatusPatch(pod('p', { phase: 'Running' }), undefined, now)).toEqual({ metadata: { uid: 'uid-p' }, status: { phase: 'Failed' } });
  });

  it('adds the DisruptionTarget condition, stamped now unless it already held', () => {
    expect(failedStatusPatch(pod('p', { phase: 'Running' }), orphanedPodCondition(), now)).toEqual({
      metadata: { uid: 'uid-p' },
      status: {
        phase: 'Failed',
        conditions: [{ type: 'DisruptionTarget', status: 'True', reason: 'DeletionByPodGC', message: 'PodGC: node no longer exists', lastTransitionTime: '2025-06-01T12:00:00Z' }],
      },
    });
    const had = pod('p', { phase: 'Running' });
    had.status!.conditions = [{ type: 'DisruptionTarget', status: 'True', lastTransitionTime: '2025-01-01T00:00:00Z' }];
    const patch = failedStatusPatch(had, orphanedPodCondition(), now) as { status: { conditions: Array<{ lastTransitionTime: string }> } };
    expect(patch.status.conditions[0]!.lastTransitionTime).toBe('2025-01-01T00:00:00Z');
  });
});
