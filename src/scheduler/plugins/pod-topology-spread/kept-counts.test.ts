// The plugin keeps per-domain counts across cycles when it filters the whole snapshot (the
// scheduler's case). These tests drive it over a cache-kept snapshot through many changes and
// check every answer against the same plugin made to count from scratch (a copy of the list).
import type { Pod, TopologySpreadConstraint } from 'kubernetes-types/core/v1.js';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../client/index.js';
import { Cache } from '../../cache/cache.js';
import { Snapshot } from '../../cache/snapshot.js';
import { CycleState } from '../../framework/cycle-state.js';
import type { Handle } from '../../framework/interface.js';
import { makeNode, makePod } from '../../testing/wrappers.js';
import { PodTopologySpread } from './index.js';

const ZONE = 'topology.kubernetes.io/zone';
const spread = (key: string, whenUnsatisfiable: string): TopologySpreadConstraint => ({ maxSkew: 1, topologyKey: key, whenUnsatisfiable, labelSelector: { matchLabels: { app: 'web' } } });

function withConstraints(name: string, cs: TopologySpreadConstraint[]): Pod {
  const p = makePod(name, { labels: { app: 'web' } });
  return { ...p, spec: { ...p.spec!, topologySpreadConstraints: cs } };
}

describe('PodTopologySpread kept counts', () => {
  it('answer as a recount does, through pods and nodes changing', () => {
    const cache = new Cache();
    const snapshot = new Snapshot();
    // The recounting twin sees a snapshot that records no changes (built anew each step).
    let copy = Snapshot.of([]);
    const handle = (s: () => Snapshot) => ({ clock: new FakeClock(), snapshot: s, nominator: () => ({ nominatedPodsForNode: () => [] }), framework: () => { throw new Error('unused'); }, schedulerName: 'default-scheduler' }) as Handle;
    const kept = new PodTopologySpread(handle(() => snapshot));
    const fresh = new PodTopologySpread(handle(() => copy));
    const pods = new Map<string, Pod>();
    let seed = 5;
    const rnd = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    const node = (i: number) => makeNode(`n${i}`, rnd(6) ? { labels: { [ZONE]: `z${i % 3}` } } : {});
    for (let i = 0; i < 6; i++) cache.addNode(node(i));
    const incoming = [
      withConstraints('a', [spread(ZONE, 'DoNotSchedule')]),
      withConstraints('b', [spread(ZONE, 'DoNotSchedule'), spread('kubernetes.io/hostname', 'DoNotSchedule')]),
      withConstraints('c', [spread(ZONE, 'ScheduleAnyway'), spread('kubernetes.io/hostname', 'ScheduleAnyway')]),
    ];
    for (let step = 0; step < 200; step++) {
      const name = `p${rnd(25)}`;
      const op = rnd(4);
      if (op <= 1 && !pods.has(name)) {
        const p = makePod(name, { nodeName: `n${rnd(7)}`, labels: { app: rnd(3) ? 'web' : 'db' } });
        cache.addPod(p);
        pods.set(name, p);
      } else if (op === 2 && pods.has(name)) {
        cache.removePod(pods.get(name)!);
        pods.delete(name);
      } else if (op === 3 && rnd(3) === 0) {
        cache.addNode(node(rnd(7)));
      }
      cache.updateSnapshot(snapshot);
      const all = snapshot.list();
      copy = Snapshot.of(all);
      for (const pod of incoming) {
        const s1 = new CycleState();
        const s2 = new CycleState();
        const pre1 = kept.preFilter(s1, pod, all);
        expect(pre1).toEqual(fresh.preFilter(s2, pod, [...copy.list()]));
        if (!pre1) expect(all.map((ni) => kept.filter(s1, pod, ni)?.code)).toEqual(all.map((ni) => fresh.filter(s2, pod, ni)?.code));
        const filtered = all.filter((ni) => rnd(2));
        const ps1 = kept.preScore(s1, pod, filtered);
        expect(ps1).toEqual(fresh.preScore(s2, pod, [...filtered]));
        if (!ps1) expect(filtered.map((ni) => kept.score(s1, pod, ni))).toEqual(filtered.map((ni) => fresh.score(s2, pod, ni)));
      }
    }
  });
});
