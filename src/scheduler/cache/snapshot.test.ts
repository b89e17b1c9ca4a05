import type { Pod } from 'kubernetes-types/core/v1.js';
import { describe, expect, it } from 'vitest';
import { memoSlot, type NodeInfo } from '../framework/types.js';
import { makeNode, makePod } from '../testing/wrappers.js';
import { Cache } from './cache.js';
import { Snapshot } from './snapshot.js';

const anti = { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'x' } }, topologyKey: 'kubernetes.io/hostname' }] } };
const preferred = { podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, podAffinityTerm: { labelSelector: { matchLabels: { app: 'x' } }, topologyKey: 'zone' } }] } };

/** What a snapshot holds, comparable with toEqual (the affinity lists as sorted names). */
function view(s: Snapshot) {
  const names = (xs: NodeInfo[]) => xs.map((n) => n.name).sort();
  return {
    nodes: names(s.list()),
    affinity: names(s.havePodsWithAffinityList()),
    anti: names(s.havePodsWithRequiredAntiAffinityList()),
    perNode: Object.fromEntries(s.list().map((n) => [n.name, { pods: n.pods.map((p) => p.pod.metadata!.name).sort(), cpu: n.requested.milliCPU, gen: n.generation }])),
  };
}

/** A snapshot built from scratch out of the cache's current NodeInfos. */
function fresh(c: Cache, names: string[]): Snapshot {
  return Snapshot.of(names.map((n) => c.nodeInfo(n)).filter((n): n is NodeInfo => !!n?.node).map((n) => n.snapshot()));
}

describe('Snapshot kept up to date incrementally', () => {
  it('matches a snapshot built from scratch after every add, update and delete', () => {
    const c = new Cache();
    const s = new Snapshot();
    const names = ['n0', 'n1', 'n2', 'n3'];
    const pods = new Map<string, Pod>();
    let seed = 7;
    const rnd = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    for (const n of names.slice(0, 3)) c.addNode(makeNode(n));
    for (let step = 0; step < 300; step++) {
      const op = rnd(6);
      const node = names[rnd(names.length)]!;
      const name = `p${rnd(12)}`;
      const affinity = [undefined, anti, preferred][rnd(3)];
      if (op <= 1 && !pods.has(name)) {
        const p = makePod(name, { nodeName: node, containers: [{ cpu: `${1 + rnd(3)}` }], affinity, labels: { app: 'x' } });
        if (op === 0) c.addPod(p);
        else c.assumePod(p);
        pods.set(name, p);
      } else if (op === 2 && pods.has(name)) {
        const p = makePod(name, { nodeName: node, containers: [{ cpu: '1' }], affinity, labels: { app: 'x' } });
        c.updatePod(pods.get(name)!, p);
        pods.set(name, p);
      } else if (op === 3 && pods.has(name)) {
        c.removePod(pods.get(name)!);
        c.forgetPod(pods.get(name)!);
        pods.delete(name);
      } else if (op === 4) {
        c.addNode(makeNode(node, { labels: { zone: `z${rnd(2)}` } }));
      } else if (op === 5 && rnd(4) === 0) {
        c.removeNode(makeNode(node));
      }
      c.updateSnapshot(s);
      expect(view(s)).toEqual(view(fresh(c, names)));
    }
  });

  it('keeps NodeInfo objects stable across updates, so lists handed out stay live', () => {
    const c = new Cache();
    const s = new Snapshot();
    c.addNode(makeNode('n1'));
    c.updateSnapshot(s);
    const before = s.get('n1');
    c.addPod(makePod('a', { nodeName: 'n1', affinity: anti }));
    c.updateSnapshot(s);
    expect(s.get('n1')).toBe(before);
    expect(s.havePodsWithRequiredAntiAffinityList()).toEqual([before]);
  });
});

describe('NodeInfo.memoize', () => {
  it('remembers a value until the node or its pods change, also in a snapshot copy', () => {
    const c = new Cache();
    const s = new Snapshot();
    c.addNode(makeNode('n1'));
    c.addPod(makePod('a', { nodeName: 'n1', labels: { app: 'x' } }));
    c.updateSnapshot(s);
    const slot = memoSlot('test/count');
    let computed = 0;
    const count = (ni: NodeInfo) => (computed++, ni.pods.length);
    const ni = s.get('n1')!;
    expect(ni.memoize(slot, count)).toBe(1);
    expect(ni.memoize(slot, count)).toBe(1);
    expect(computed).toBe(1);
    // Another pod arrives: the snapshot's NodeInfo is refreshed and the memo dropped.
    c.addPod(makePod('b', { nodeName: 'n1' }));
    c.updateSnapshot(s);
    expect(ni.memoize(slot, count)).toBe(2);
    expect(computed).toBe(2);
    // A copy changed by a nominated pod (as preemption and filters do) does not keep the memo.
    const copy = ni.snapshot();
    copy.addPod(makePod('c', { nodeName: 'n1' }));
    expect(copy.memoize(slot, count)).toBe(3);
    expect(ni.memoize(slot, count)).toBe(2);
  });
});
