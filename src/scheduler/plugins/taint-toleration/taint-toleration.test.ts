import type { Taint } from 'kubernetes-types/core/v1.js';
import { describe, expect, it } from 'vitest';
import { Code } from '../../framework/status.js';
import { makeNode, makePod, nodeInfo, runFilter, runScore } from '../../testing/wrappers.js';
import { taintToleration } from './index.js';

const taint = (key: string, value: string, effect: string): Taint => ({ key, value, effect });

describe('TaintToleration filter', () => {
  const table = [
    { name: 'no taints', pod: makePod('p'), taints: [], want: { code: Code.Success, reasons: [] } },
    { name: 'untolerated NoSchedule', pod: makePod('p'), taints: [taint('dedicated', 'user1', 'NoSchedule')], want: { code: Code.UnschedulableAndUnresolvable, reasons: ['node(s) had untolerated taint {dedicated: user1}'] } },
    { name: 'tolerated by Equal', pod: makePod('p', { tolerations: [{ key: 'dedicated', value: 'user1', effect: 'NoSchedule' }] }), taints: [taint('dedicated', 'user1', 'NoSchedule')], want: { code: Code.Success, reasons: [] } },
    { name: 'value differs', pod: makePod('p', { tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'user2', effect: 'NoSchedule' }] }), taints: [taint('dedicated', 'user1', 'NoSchedule')], want: { code: Code.UnschedulableAndUnresolvable, reasons: ['node(s) had untolerated taint {dedicated: user1}'] } },
    { name: 'tolerated by Exists without effect', pod: makePod('p', { tolerations: [{ key: 'dedicated', operator: 'Exists' }] }), taints: [taint('dedicated', 'user1', 'NoExecute')], want: { code: Code.Success, reasons: [] } },
    { name: 'PreferNoSchedule does not filter', pod: makePod('p'), taints: [taint('dedicated', 'user1', 'PreferNoSchedule')], want: { code: Code.Success, reasons: [] } },
    { name: 'empty value', pod: makePod('p'), taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }], want: { code: Code.UnschedulableAndUnresolvable, reasons: ['node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }'] } },
  ];
  for (const t of table) it(t.name, () => expect(runFilter(taintToleration, t.pod, nodeInfo(makeNode('n', { taints: t.taints })))).toEqual(t.want));
});

describe('TaintToleration score', () => {
  it('lowers nodes with untolerated PreferNoSchedule taints', () => {
    const pod = makePod('p', { tolerations: [{ key: 'cpu-type', operator: 'Equal', value: 'arm64', effect: 'PreferNoSchedule' }] });
    const nodes = [
      nodeInfo(makeNode('none')),
      nodeInfo(makeNode('tolerated', { taints: [taint('cpu-type', 'arm64', 'PreferNoSchedule')] })),
      nodeInfo(makeNode('one', { taints: [taint('disk-type', 'ssd', 'PreferNoSchedule')] })),
      nodeInfo(makeNode('two', { taints: [taint('disk-type', 'ssd', 'PreferNoSchedule'), taint('x', 'y', 'PreferNoSchedule')] })),
    ];
    expect(runScore(taintToleration, pod, nodes)).toEqual({ none: 100, tolerated: 100, one: 50, two: 0 });
  });
});
