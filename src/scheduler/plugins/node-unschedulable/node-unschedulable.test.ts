import { describe, expect, it } from 'vitest';
import { Code } from '../../framework/status.js';
import { makeNode, makePod, nodeInfo, runFilter } from '../../testing/wrappers.js';
import { nodeUnschedulable } from './index.js';

describe('NodeUnschedulable', () => {
  const table = [
    { name: 'schedulable node', pod: makePod('p'), node: makeNode('n'), want: Code.Success },
    { name: 'cordoned node', pod: makePod('p'), node: makeNode('n', { unschedulable: true }), want: Code.UnschedulableAndUnresolvable },
    {
      name: 'cordoned node, pod tolerates the unschedulable taint',
      pod: makePod('p', { tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }] }),
      node: makeNode('n', { unschedulable: true }),
      want: Code.Success,
    },
  ];
  for (const t of table) {
    it(t.name, () => {
      const got = runFilter(nodeUnschedulable, t.pod, nodeInfo(t.node));
      expect(got.code).toBe(t.want);
      if (t.want !== Code.Success) expect(got.reasons).toEqual(['node(s) were unschedulable']);
    });
  }
});
