import type { Pod } from 'kubernetes-types/core/v1.js';
import { describe, expect, it } from 'vitest';
import { Cache } from '../cache/cache.js';
import { Snapshot } from '../cache/snapshot.js';
import { makeNode, makePod } from '../testing/wrappers.js';
import { DomainAggregate, type Contribution } from './domain-aggregate.js';

const ZONE = 'topology.kubernetes.io/zone';
const contribution: Contribution = (ni) => {
  const zone = ni.node?.metadata?.labels?.[ZONE];
  if (zone === undefined) return undefined;
  return { domain: zone, pods: ni.pods.filter((p) => p.pod.metadata?.labels?.app === 'web').length };
};

/** The same counts from scratch. */
function recount(s: Snapshot) {
  const out = new Map<string, { nodes: number; pods: number }>();
  for (const ni of s.list()) {
    const c = contribution(ni);
    if (!c) continue;
    const d = out.get(c.domain) ?? { nodes: 0, pods: 0 };
    out.set(c.domain, { nodes: d.nodes + 1, pods: d.pods + c.pods });
  }
  return out;
}

describe('DomainAggregate', () => {
  it('stays equal to a recount through pods and nodes coming, moving and going', () => {
    const c = new Cache();
    const s = new Snapshot();
    const agg = new DomainAggregate(contribution);
    const pods = new Map<string, Pod>();
    let seed = 11;
    const rnd = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    const node = (i: number) => makeNode(`n${i}`, rnd(5) ? { labels: { [ZONE]: `z${i % 3}` } } : {});
    for (let i = 0; i < 5; i++) c.addNode(node(i));
    for (let step = 0; step < 400; step++) {
      const op = rnd(5);
      const name = `p${rnd(20)}`;
      const at = `n${rnd(6)}`;
      const labels = { app: rnd(2) ? 'web' : 'db' };
      if (op <= 1 && !pods.has(name)) {
        const p = makePod(name, { nodeName: at, labels });
        if (op === 0) c.addPod(p);
        else c.assumePod(p);
        pods.set(name, p);
      } else if (op === 2 && pods.has(name)) {
        c.removePod(pods.get(name)!);
        pods.delete(name);
      } else if (op === 3) {
        c.addNode(node(rnd(6)));
      } else if (op === 4 && rnd(3) === 0) {
        c.removeNode(makeNode(at));
      }
      c.updateSnapshot(s);
      // Not every cycle asks: the aggregate must catch up over several updates at once.
      if (rnd(3) === 0) expect(new Map(agg.sync(s))).toEqual(recount(s));
    }
  });

  it('recounts a snapshot that records no changes (built with Snapshot.of)', () => {
    const c = new Cache();
    c.addNode(makeNode('n1', { labels: { [ZONE]: 'a' } }));
    const s1 = new Snapshot();
    c.updateSnapshot(s1);
    const agg = new DomainAggregate(contribution);
    expect(agg.sync(s1).get('a')).toEqual({ nodes: 1, pods: 0 });
    const ni = c.nodeInfo('n1')!.snapshot();
    ni.addPod(makePod('w', { nodeName: 'n1', labels: { app: 'web' } }));
    expect(agg.sync(Snapshot.of([ni])).get('a')).toEqual({ nodes: 1, pods: 1 });
  });
});
