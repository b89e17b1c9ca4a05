import { describe, expect, it } from 'vitest';
import { makeNode, makePod } from '../testing/wrappers.js';
import { Cache } from './cache.js';
import { Snapshot } from './snapshot.js';

describe('Cache', () => {
  it('counts requested resources of the pods on a node, assumed ones included', () => {
    const c = new Cache();
    c.addNode(makeNode('n1'));
    c.addPod(makePod('a', { nodeName: 'n1', containers: [{ cpu: '1', memory: '1Gi' }], hostPorts: [{ port: 80 }] }));
    c.assumePod(makePod('b', { nodeName: 'n1', containers: [{ cpu: '500m' }], overhead: { cpu: '100m' } }));
    const ni = c.nodeInfo('n1')!;
    expect(ni.requested.milliCPU).toBe(1600);
    expect(ni.requested.memory).toBe(2 ** 30);
    expect(ni.nonZeroRequested.memory).toBe(2 ** 30 + 200 * 2 ** 20);
    expect(ni.usedPorts.checkConflict('', 'TCP', 80)).toBe(true);
    expect(ni.pods).toHaveLength(2);
    expect(c.isAssumedPod(makePod('b'))).toBe(true);
  });

  it('confirms an assumed pod on the node the API reports', () => {
    const c = new Cache();
    c.addNode(makeNode('n1'));
    c.addNode(makeNode('n2'));
    c.assumePod(makePod('a', { nodeName: 'n1', containers: [{ cpu: '1' }] }));
    c.finishBinding(makePod('a'));
    c.addPod(makePod('a', { nodeName: 'n2', containers: [{ cpu: '1' }] }));
    expect(c.isAssumedPod(makePod('a'))).toBe(false);
    expect(c.nodeInfo('n1')!.requested.milliCPU).toBe(0);
    expect(c.nodeInfo('n2')!.requested.milliCPU).toBe(1000);
  });

  it('forgets an assumed pod whose binding failed', () => {
    const c = new Cache();
    c.addNode(makeNode('n1'));
    c.assumePod(makePod('a', { nodeName: 'n1', containers: [{ cpu: '1' }] }));
    c.forgetPod(makePod('a', { nodeName: 'n1' }));
    expect(c.nodeInfo('n1')!.pods).toHaveLength(0);
    expect(c.podCount()).toBe(0);
    expect(() => c.assumePod(makePod('a', { nodeName: 'n1' }))).not.toThrow();
    expect(() => c.assumePod(makePod('a', { nodeName: 'n1' }))).toThrow(/can't be assumed/);
  });

  it('snapshots copy only changed nodes and leave the cache untouched', () => {
    const c = new Cache();
    c.addNode(makeNode('n1'));
    c.addNode(makeNode('n2'));
    const s = new Snapshot();
    c.updateSnapshot(s);
    expect(s.list().map((n) => n.name)).toEqual(['n1', 'n2']);
    const n2 = s.get('n2');
    c.addPod(makePod('a', { nodeName: 'n1', containers: [{ cpu: '1' }], affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: {} }] } } }));
    c.updateSnapshot(s);
    expect(s.get('n2')).toBe(n2);
    expect(s.get('n1')!.requested.milliCPU).toBe(1000);
    expect(s.havePodsWithRequiredAntiAffinityList().map((n) => n.name)).toEqual(['n1']);
    s.get('n1')!.addPod(makePod('x', { nodeName: 'n1', containers: [{ cpu: '1' }] }));
    expect(c.nodeInfo('n1')!.requested.milliCPU).toBe(1000);
    c.removeNode(makeNode('n2'));
    c.updateSnapshot(s);
    expect(s.list().map((n) => n.name)).toEqual(['n1']);
  });

  it('keeps pods of a removed node until they are deleted', () => {
    const c = new Cache();
    c.addNode(makeNode('n1'));
    c.addPod(makePod('a', { nodeName: 'n1' }));
    c.removeNode(makeNode('n1'));
    expect(c.nodeCount()).toBe(0);
    expect(c.nodeInfo('n1')!.pods).toHaveLength(1);
    c.removePod(makePod('a', { nodeName: 'n1' }));
    expect(c.nodeInfo('n1')).toBeUndefined();
  });
});
