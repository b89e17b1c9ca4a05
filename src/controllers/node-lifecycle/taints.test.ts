import { describe, expect, it } from 'vitest';
import type { Taint, Toleration } from 'kubernetes-types/core/v1.js';
import { getMatchingTolerations, getMinTolerationTime, swapTaints, taintSetDiff, toleratesTaint } from './taints.js';

const unreachable: Taint = { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' };
const notReady: Taint = { key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' };

describe('toleratesTaint', () => {
  const cases: { name: string; tol: Toleration; taint: Taint; want: boolean }[] = [
    { name: 'Exists with the key', tol: { key: unreachable.key, operator: 'Exists' }, taint: unreachable, want: true },
    { name: 'Exists without key tolerates all', tol: { operator: 'Exists' }, taint: unreachable, want: true },
    { name: 'effect must match when set', tol: { key: unreachable.key, operator: 'Exists', effect: 'NoSchedule' }, taint: unreachable, want: false },
    { name: 'Equal (default) compares values', tol: { key: 'k', value: 'v' }, taint: { key: 'k', value: 'v', effect: 'NoExecute' }, want: true },
    { name: 'Equal with another value', tol: { key: 'k', operator: 'Equal', value: 'w' }, taint: { key: 'k', value: 'v', effect: 'NoExecute' }, want: false },
    { name: 'other key', tol: { key: 'other', operator: 'Exists' }, taint: unreachable, want: false },
    { name: 'unknown operator', tol: { key: unreachable.key, operator: 'Gt' }, taint: unreachable, want: false },
  ];
  for (const c of cases) it(c.name, () => expect(toleratesTaint(c.tol, c.taint)).toBe(c.want));
});

describe('getMatchingTolerations / getMinTolerationTime', () => {
  it('needs a toleration for every taint', () => {
    const tol: Toleration = { key: unreachable.key, operator: 'Exists', tolerationSeconds: 30 };
    expect(getMatchingTolerations([unreachable], [tol])).toEqual({ allTolerated: true, used: [tol] });
    expect(getMatchingTolerations([unreachable, notReady], [tol])).toEqual({ allTolerated: false, used: [] });
    expect(getMatchingTolerations([], undefined)).toEqual({ allTolerated: true, used: [] });
  });

  it('takes the shortest tolerationSeconds; none means forever, ≤ 0 means now', () => {
    expect(getMinTolerationTime([{ tolerationSeconds: 30 }, { tolerationSeconds: 10 }, {}])).toBe(10_000);
    expect(getMinTolerationTime([{}, {}])).toBe(-1);
    expect(getMinTolerationTime([{ tolerationSeconds: 0 }, { tolerationSeconds: 10 }])).toBe(0);
    expect(getMinTolerationTime([{ tolerationSeconds: -5 }])).toBe(0);
    expect(getMinTolerationTime([])).toBe(0);
  });
});

describe('taint sets', () => {
  it('diffs by key and effect', () => {
    const want: Taint[] = [{ key: 'a', effect: 'NoSchedule' }, { key: 'b', effect: 'NoSchedule' }];
    const have: Taint[] = [{ key: 'b', effect: 'NoSchedule', timeAdded: 'x' }, { key: 'c', effect: 'NoSchedule' }];
    expect(taintSetDiff(want, have)).toEqual({ add: [{ key: 'a', effect: 'NoSchedule' }], remove: [{ key: 'c', effect: 'NoSchedule' }] });
  });

  it('swaps with timeAdded, keeps others, and answers undefined when nothing changes', () => {
    const other: Taint = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' };
    const t = '2025-01-01T00:00:00Z';
    expect(swapTaints([other, notReady], [unreachable], [notReady], t)).toEqual([other, { ...unreachable, timeAdded: t }]);
    expect(swapTaints([other, { ...unreachable, timeAdded: 'earlier' }], [unreachable], [notReady], t)).toBeUndefined();
    expect(swapTaints(undefined, [], [unreachable], t)).toBeUndefined();
    expect(swapTaints([unreachable], [], [unreachable, notReady], t)).toEqual([]);
  });
});
