import { describe, expect, it } from 'vitest';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { deleteBefore, deletionCost, getPodsToDelete, isPodActive, isPodAvailable, isPodTerminating, rankByRelatedPodsOnSameNode, sortForDeletion } from './active-pods.js';

const NOW = Date.UTC(2025, 0, 1, 12);
const iso = (msAgo: number) => new Date(NOW - msAgo).toISOString().replace(/\.\d+Z$/, 'Z');

interface P {
  name: string;
  node?: string;
  phase?: string;
  ready?: boolean;
  readyAgo?: number;
  createdAgo?: number;
  restarts?: number;
  cost?: string;
  uid?: string;
}

function mk(p: P): Pod {
  return {
    metadata: {
      name: p.name,
      uid: p.uid ?? p.name,
      creationTimestamp: p.createdAgo === undefined ? undefined : iso(p.createdAgo),
      annotations: p.cost === undefined ? undefined : { 'controller.kubernetes.io/pod-deletion-cost': p.cost },
    },
    spec: { nodeName: p.node, containers: [] },
    status: {
      phase: p.phase,
      conditions: p.ready === undefined ? undefined : [{ type: 'Ready', status: p.ready ? 'True' : 'False', lastTransitionTime: p.readyAgo === undefined ? undefined : iso(p.readyAgo) }],
      containerStatuses: p.restarts === undefined ? undefined : [{ name: 'c', restartCount: p.restarts, ready: false, image: '', imageID: '' }],
    },
  };
}

const HOUR = 3_600_000;

describe('ActivePods ordering (deleteBefore)', () => {
  const cases: Array<{ name: string; first: P; second: P; rank?: [number, number] }> = [
    { name: 'unassigned before assigned', first: { name: 'a' }, second: { name: 'b', node: 'n1' } },
    { name: 'pending before unknown', first: { name: 'a', node: 'n', phase: 'Pending' }, second: { name: 'b', node: 'n', phase: 'Unknown' } },
    { name: 'unknown before running', first: { name: 'a', node: 'n', phase: 'Unknown' }, second: { name: 'b', node: 'n', phase: 'Running' } },
    { name: 'not ready before ready', first: { name: 'a', node: 'n', phase: 'Running', ready: false }, second: { name: 'b', node: 'n', phase: 'Running', ready: true } },
    { name: 'lower deletion cost first', first: { name: 'a', node: 'n', cost: '-5' }, second: { name: 'b', node: 'n', cost: '10' } },
    { name: 'doubled up (higher rank) first', first: { name: 'a', node: 'n' }, second: { name: 'b', node: 'm' }, rank: [3, 1] },
    { name: 'ready for less time first', first: { name: 'a', node: 'n', ready: true, readyAgo: 60_000 }, second: { name: 'b', node: 'n', ready: true, readyAgo: 10 * HOUR } },
    { name: 'more restarts first', first: { name: 'a', node: 'n', restarts: 5 }, second: { name: 'b', node: 'n', restarts: 1 } },
    { name: 'newer first', first: { name: 'a', node: 'n', createdAgo: 60_000 }, second: { name: 'b', node: 'n', createdAgo: 10 * HOUR } },
    { name: 'missing creation time first', first: { name: 'a', node: 'n' }, second: { name: 'b', node: 'n', createdAgo: 1000 } },
    { name: 'same log2 age bucket: by uid', first: { name: 'x', uid: 'a', node: 'n', createdAgo: 1_000_000 }, second: { name: 'y', uid: 'b', node: 'n', createdAgo: 1_000_100 } },
    { name: 'assignment wins over readiness', first: { name: 'a', ready: true, phase: 'Running' }, second: { name: 'b', node: 'n', phase: 'Pending' } },
  ];
  for (const t of cases) {
    it(t.name, () => {
      const a = { pod: mk(t.first), rank: t.rank?.[0] ?? 0 };
      const b = { pod: mk(t.second), rank: t.rank?.[1] ?? 0 };
      expect(deleteBefore(a, b, NOW)).toBe(true);
      expect(deleteBefore(b, a, NOW)).toBe(false);
    });
  }

  it('compares exact times without a reference time', () => {
    const a = { pod: mk({ name: 'b', uid: 'b', node: 'n', createdAgo: 1_000_000 }), rank: 0 };
    const b = { pod: mk({ name: 'a', uid: 'a', node: 'n', createdAgo: 1_000_100 }), rank: 0 };
    expect(deleteBefore(a, b)).toBe(true); // newer, although in the same log bucket
  });

  it('sorts a mixed set: unassigned < pending < not ready < ready, newer first', () => {
    const pods = [
      mk({ name: 'ready-old', node: 'n', phase: 'Running', ready: true, readyAgo: 5 * HOUR, createdAgo: 6 * HOUR }),
      mk({ name: 'pending', node: 'n', phase: 'Pending' }),
      mk({ name: 'not-ready', node: 'n', phase: 'Running', ready: false }),
      mk({ name: 'unassigned', phase: 'Pending' }),
      mk({ name: 'ready-new', node: 'n', phase: 'Running', ready: true, readyAgo: 60_000, createdAgo: 120_000 }),
    ];
    const order = sortForDeletion(pods.map((pod) => ({ pod, rank: 0 })), NOW).map((r) => r.pod.metadata!.name);
    expect(order).toEqual(['unassigned', 'pending', 'not-ready', 'ready-new', 'ready-old']);
  });
});

describe('ranking and victims', () => {
  it('ranks pods by active related pods on the same node', () => {
    const a = mk({ name: 'a', node: 'n1' });
    const b = mk({ name: 'b', node: 'n2' });
    const related = [a, b, mk({ name: 'c', node: 'n1' }), mk({ name: 'd', node: 'n1', phase: 'Failed' })];
    expect(rankByRelatedPodsOnSameNode([a, b], related).map((r) => r.rank)).toEqual([2, 1]);
  });

  it('prefers the doubled-up pod and takes all pods without sorting when all go', () => {
    const a = mk({ name: 'a', node: 'n1', phase: 'Running' });
    const b = mk({ name: 'b', node: 'n2', phase: 'Running' });
    const c = mk({ name: 'c', node: 'n2', phase: 'Running' });
    expect(getPodsToDelete([a, b, c], [a, b, c], 1, NOW)[0]!.metadata!.name).not.toBe('a');
    expect(getPodsToDelete([a, b, c], [a, b, c], 3, NOW)).toEqual([a, b, c]);
  });
});

describe('pod predicates', () => {
  it('active and terminating', () => {
    expect(isPodActive(mk({ name: 'a', phase: 'Running' }))).toBe(true);
    expect(isPodActive(mk({ name: 'a', phase: 'Succeeded' }))).toBe(false);
    const running = mk({ name: 'a', phase: 'Running' });
    const dying: Pod = { ...running, metadata: { ...running.metadata, deletionTimestamp: iso(0) } };
    expect(isPodActive(dying)).toBe(false);
    expect(isPodTerminating(dying)).toBe(true);
    expect(isPodTerminating({ ...dying, status: { phase: 'Failed' } })).toBe(false);
  });

  it('available after minReadySeconds of readiness', () => {
    const p = mk({ name: 'a', ready: true, readyAgo: 10_000 });
    expect(isPodAvailable(p, 0, NOW)).toBe(true);
    expect(isPodAvailable(p, 5, NOW)).toBe(true);
    expect(isPodAvailable(p, 10, NOW)).toBe(false);
    expect(isPodAvailable(mk({ name: 'b', ready: false }), 0, NOW)).toBe(false);
  });

  it('deletion cost parses int32 values only', () => {
    expect(deletionCost(mk({ name: 'a', cost: '42' }))).toBe(42);
    expect(deletionCost(mk({ name: 'a', cost: '-7' }))).toBe(-7);
    expect(deletionCost(mk({ name: 'a', cost: 'x' }))).toBe(0);
    expect(deletionCost(mk({ name: 'a', cost: '99999999999' }))).toBe(0);
    expect(deletionCost(mk({ name: 'a' }))).toBe(0);
  });
});
