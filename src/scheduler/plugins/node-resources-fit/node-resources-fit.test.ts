import { describe, expect, it } from 'vitest';
import { Code } from '../../framework/status.js';
import { makeNode, makePod, nodeInfo, runFilter, runScore } from '../../testing/wrappers.js';
import { NodeResourcesFit } from './index.js';

const node = (cpu: string, memory: string, pods = '110') => makeNode('n', { allocatable: { cpu, memory, pods } });

describe('NodeResourcesFit filter', () => {
  const used = [makePod('u', { nodeName: 'n', containers: [{ cpu: '5', memory: '19' }] })];
  const table = [
    { name: 'no requests fit', pod: makePod('p'), node: node('10', '20'), pods: used, want: { code: Code.Success, reasons: [] } },
    { name: 'fits in what is left', pod: makePod('p', { containers: [{ cpu: '5', memory: '1' }] }), node: node('10', '20'), pods: used, want: { code: Code.Success, reasons: [] } },
    { name: 'too much cpu', pod: makePod('p', { containers: [{ cpu: '6', memory: '1' }] }), node: node('10', '20'), pods: used, want: { code: Code.Unschedulable, reasons: ['Insufficient cpu'] } },
    { name: 'too much cpu and memory', pod: makePod('p', { containers: [{ cpu: '6', memory: '2' }] }), node: node('10', '20'), pods: used, want: { code: Code.Unschedulable, reasons: ['Insufficient cpu', 'Insufficient memory'] } },
    {
      name: 'init containers count by their maximum',
      pod: makePod('p', { containers: [{ cpu: '1', memory: '1' }], initContainers: [{ cpu: '6', memory: '1' }] }),
      node: node('10', '20'), pods: used,
      want: { code: Code.Unschedulable, reasons: ['Insufficient cpu'] },
    },
    { name: 'overhead counts', pod: makePod('p', { containers: [{ cpu: '4' }], overhead: { cpu: '2' } }), node: node('10', '20'), pods: used, want: { code: Code.Unschedulable, reasons: ['Insufficient cpu'] } },
    { name: 'more than the node has is unresolvable', pod: makePod('p', { containers: [{ cpu: '11' }] }), node: node('10', '20'), pods: [], want: { code: Code.UnschedulableAndUnresolvable, reasons: ['Insufficient cpu'] } },
    { name: 'pod count', pod: makePod('p'), node: node('10', '20', '1'), pods: used, want: { code: Code.Unschedulable, reasons: ['Too many pods'] } },
    { name: 'extended resources', pod: makePod('p', { containers: [{ 'example.com/gpu': '2' }] }), node: makeNode('n', { allocatable: { cpu: '1', memory: '1', pods: '10', 'example.com/gpu': '1' } }), pods: [], want: { code: Code.UnschedulableAndUnresolvable, reasons: ['Insufficient example.com/gpu'] } },
  ];
  for (const t of table) {
    it(t.name, () => {
      expect(runFilter(new NodeResourcesFit(), t.pod, nodeInfo(t.node, t.pods))).toEqual(t.want);
    });
  }

  it('ignores configured extended resources', () => {
    const pod = makePod('p', { containers: [{ 'example.com/gpu': '2' }] });
    expect(runFilter(new NodeResourcesFit({ ignoredResources: ['example.com/gpu'] }), pod, nodeInfo(node('1', '1'))).code).toBe(Code.Success);
  });
});

describe('NodeResourcesFit score', () => {
  // upstream's TestLeastAllocatedScoringStrategy / TestMostAllocatedScoringStrategy cases.
  const n1 = makeNode('n1', { allocatable: { cpu: '4', memory: '10000', pods: '110' } });
  const n2 = makeNode('n2', { allocatable: { cpu: '6', memory: '10000', pods: '110' } });
  const pod = makePod('p', { containers: [{ cpu: '1', memory: '2000' }, { cpu: '2', memory: '3000' }] });
  const onN1 = [makePod('a', { nodeName: 'n1', containers: [{ cpu: '0', memory: '0' }] })];

  it('LeastAllocated favours the emptier node', () => {
    // n1: cpu (4000-3000)*100/4000=25, mem (10000-5000)*100/10000=50 → 37; n2: 50, 50 → 50.
    expect(runScore(new NodeResourcesFit(), pod, [nodeInfo(n1, onN1), nodeInfo(n2)])).toEqual({ n1: 37, n2: 50 });
  });

  it('MostAllocated favours the fuller node', () => {
    // n1: 75, 50 → 62; n2: 50, 50 → 50.
    const fit = new NodeResourcesFit({ scoringStrategy: { type: 'MostAllocated' } });
    expect(runScore(fit, pod, [nodeInfo(n1, onN1), nodeInfo(n2)])).toEqual({ n1: 62, n2: 50 });
  });

  it('counts default requests for pods without any', () => {
    // 100m of 4000 → 97; 200Mi of 10000 bytes → over capacity → 0: (97+0)/2 = 48.
    expect(runScore(new NodeResourcesFit(), makePod('p'), [nodeInfo(n1)])).toEqual({ n1: 48 });
  });

  it('weights resources', () => {
    const fit = new NodeResourcesFit({ scoringStrategy: { resources: [{ name: 'cpu', weight: 3 }, { name: 'memory', weight: 1 }] } });
    // n1: (25*3 + 50)/4 = 31.
    expect(runScore(fit, pod, [nodeInfo(n1)])).toEqual({ n1: 31 });
  });
});
