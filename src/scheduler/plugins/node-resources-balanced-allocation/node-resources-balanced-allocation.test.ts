import { describe, expect, it } from 'vitest';
import { makeNode, makePod, nodeInfo, runScore } from '../../testing/wrappers.js';
import { BalancedAllocation } from './index.js';

describe('NodeResourcesBalancedAllocation', () => {
  const n1 = makeNode('n1', { allocatable: { cpu: '4', memory: '10000', pods: '110' } });
  const n2 = makeNode('n2', { allocatable: { cpu: '6', memory: '10000', pods: '110' } });

  it('favours the node whose cpu and memory fractions are closest', () => {
    const pod = makePod('p', { containers: [{ cpu: '3', memory: '5000' }] });
    // n1: cpu 3/4=0.75, mem 0.5 → std 0.125 → 87; n2: 0.5, 0.5 → 100.
    expect(runScore(new BalancedAllocation(), pod, [nodeInfo(n1), nodeInfo(n2)])).toEqual({ n1: 87, n2: 100 });
  });

  it('counts the pods already on the node', () => {
    const pod = makePod('p', { containers: [{ cpu: '1', memory: '2000' }] });
    const busy = nodeInfo(n2, [makePod('x', { nodeName: 'n2', containers: [{ cpu: '2', memory: '1000' }] })]);
    // n1: 0.25 vs 0.2 → 97; n2: 0.5 vs 0.3 → 90.
    expect(runScore(new BalancedAllocation(), pod, [nodeInfo(n1), busy])).toEqual({ n1: 97, n2: 90 });
  });

  it('skips best-effort pods', () => {
    expect(runScore(new BalancedAllocation(), makePod('p'), [nodeInfo(n1)])).toEqual({ n1: 0 });
  });
});
