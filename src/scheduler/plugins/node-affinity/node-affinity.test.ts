import type { NodeSelectorTerm } from 'kubernetes-types/core/v1.js';
import { describe, expect, it } from 'vitest';
import { CycleState } from '../../framework/cycle-state.js';
import { PreFilterResult } from '../../framework/interface.js';
import { Code } from '../../framework/status.js';
import { makeNode, makePod, nodeInfo, runFilter, runScore } from '../../testing/wrappers.js';
import { nodeAffinity } from './index.js';

const required = (...nodeSelectorTerms: NodeSelectorTerm[]) => ({ nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms } } });
const NO = { code: Code.UnschedulableAndUnresolvable, reasons: ["node(s) didn't match Pod's node affinity/selector"] };
const OK = { code: Code.Success, reasons: [] };

describe('NodeAffinity filter', () => {
  const node = makeNode('n1', { labels: { zone: 'a', gen: '5' } });
  const table = [
    { name: 'no constraints', pod: makePod('p'), want: OK },
    { name: 'nodeSelector matches', pod: makePod('p', { nodeSelector: { zone: 'a' } }), want: OK },
    { name: 'nodeSelector does not match', pod: makePod('p', { nodeSelector: { zone: 'b' } }), want: NO },
    { name: 'In', pod: makePod('p', { affinity: required({ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a', 'b'] }] }) }), want: OK },
    { name: 'NotIn', pod: makePod('p', { affinity: required({ matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['a'] }] }) }), want: NO },
    { name: 'DoesNotExist', pod: makePod('p', { affinity: required({ matchExpressions: [{ key: 'gpu', operator: 'DoesNotExist' }] }) }), want: OK },
    { name: 'Gt', pod: makePod('p', { affinity: required({ matchExpressions: [{ key: 'gen', operator: 'Gt', values: ['4'] }] }) }), want: OK },
    { name: 'Lt', pod: makePod('p', { affinity: required({ matchExpressions: [{ key: 'gen', operator: 'Lt', values: ['4'] }] }) }), want: NO },
    { name: 'terms are ORed', pod: makePod('p', { affinity: required({ matchExpressions: [{ key: 'zone', operator: 'In', values: ['b'] }] }, { matchExpressions: [{ key: 'zone', operator: 'Exists' }] }) }), want: OK },
    { name: 'an empty term matches nothing', pod: makePod('p', { affinity: required({}) }), want: NO },
    { name: 'matchFields by name', pod: makePod('p', { affinity: required({ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }] }) }), want: OK },
    { name: 'nodeSelector and affinity both apply', pod: makePod('p', { nodeSelector: { zone: 'b' }, affinity: required({ matchExpressions: [{ key: 'zone', operator: 'Exists' }] }) }), want: NO },
  ];
  for (const t of table) it(t.name, () => expect(runFilter(nodeAffinity, t.pod, nodeInfo(node))).toEqual(t.want));

  it('PreFilter narrows to nodes named by matchFields', () => {
    const pod = makePod('p', { affinity: required({ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1', 'n2'] }] }) });
    const r = nodeAffinity.preFilter(new CycleState(), pod);
    expect(r).toBeInstanceOf(PreFilterResult);
    expect([...(r as PreFilterResult).nodeNames!]).toEqual(['n1', 'n2']);
    const conflict = makePod('p', { affinity: required({ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }, { key: 'metadata.name', operator: 'In', values: ['n2'] }] }) });
    expect(runFilter(nodeAffinity, conflict, nodeInfo(node))).toEqual({ code: Code.UnschedulableAndUnresolvable, reasons: ['pod affinity terms conflict'] });
  });
});

describe('NodeAffinity score', () => {
  it('sums the weights of matching preferred terms, normalized', () => {
    const pod = makePod('p', {
      affinity: {
        nodeAffinity: {
          preferredDuringSchedulingIgnoredDuringExecution: [
            { weight: 2, preference: { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] } },
            { weight: 6, preference: { matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] } },
          ],
        },
      },
    });
    const nodes = [nodeInfo(makeNode('a', { labels: { zone: 'a' } })), nodeInfo(makeNode('ssd', { labels: { disk: 'ssd' } })), nodeInfo(makeNode('both', { labels: { zone: 'a', disk: 'ssd' } })), nodeInfo(makeNode('none'))];
    expect(runScore(nodeAffinity, pod, nodes)).toEqual({ a: 25, ssd: 75, both: 100, none: 0 });
  });
});
