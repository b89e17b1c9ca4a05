import type { Pod, TopologySpreadConstraint } from 'kubernetes-types/core/v1.js';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../client/index.js';
import { Snapshot } from '../../cache/snapshot.js';
import { CycleState } from '../../framework/cycle-state.js';
import type { Handle } from '../../framework/interface.js';
import { Code } from '../../framework/status.js';
import { makeNode, makePod, nodeInfo } from '../../testing/wrappers.js';
import { PodTopologySpread } from './index.js';

const spread = (maxSkew: number, topologyKey: string, whenUnsatisfiable: string, extra: Partial<TopologySpreadConstraint> = {}): TopologySpreadConstraint => ({
  maxSkew, topologyKey, whenUnsatisfiable, labelSelector: { matchLabels: { app: 'web' } }, ...extra,
});
const web = (name: string, o: { nodeName?: string; constraints?: TopologySpreadConstraint[] } = {}): Pod => {
  const p = makePod(name, { labels: { app: 'web' }, nodeName: o.nodeName });
  return o.constraints ? { ...p, spec: { ...p.spec!, topologySpreadConstraints: o.constraints } } : p;
};

function cluster(podsByNode: Record<string, number>) {
  const zones: Record<string, string> = { a1: 'a', a2: 'a', b1: 'b', c1: 'c' };
  const infos = Object.keys(zones).map((n) =>
    nodeInfo(makeNode(n, { labels: { 'topology.kubernetes.io/zone': zones[n]! } }), Array.from({ length: podsByNode[n] ?? 0 }, (_, i) => web(`${n}-${i}`, { nodeName: n }))),
  );
  const snapshot = Snapshot.of(infos);
  const handle = { clock: new FakeClock(), snapshot: () => snapshot, nominator: () => ({ nominatedPodsForNode: () => [] }), framework: () => { throw new Error('unused'); }, schedulerName: 'default-scheduler' } as Handle;
  return { infos, plugin: new PodTopologySpread(handle) };
}

describe('PodTopologySpread filter', () => {
  const table: Array<{ name: string; counts: Record<string, number>; c: TopologySpreadConstraint; want: Record<string, boolean> }> = [
    { name: 'zones a:2 b:1 c:0, maxSkew 1 → only c', counts: { a1: 1, a2: 1, b1: 1 }, c: spread(1, 'topology.kubernetes.io/zone', 'DoNotSchedule'), want: { a1: false, a2: false, b1: false, c1: true } },
    { name: 'maxSkew 2 → b and c', counts: { a1: 1, a2: 1, b1: 1 }, c: spread(2, 'topology.kubernetes.io/zone', 'DoNotSchedule'), want: { a1: false, a2: false, b1: true, c1: true } },
    { name: 'by hostname', counts: { a1: 1, a2: 0, b1: 1, c1: 1 }, c: spread(1, 'kubernetes.io/hostname', 'DoNotSchedule'), want: { a1: false, a2: true, b1: false, c1: false } },
    { name: 'balanced zones all fit', counts: { a1: 1, b1: 1, c1: 1 }, c: spread(1, 'topology.kubernetes.io/zone', 'DoNotSchedule'), want: { a1: true, a2: true, b1: true, c1: true } },
    { name: 'minDomains above the domain count treats the minimum as 0', counts: { a1: 1, b1: 1, c1: 1 }, c: spread(1, 'topology.kubernetes.io/zone', 'DoNotSchedule', { minDomains: 5 }), want: { a1: false, a2: false, b1: false, c1: false } },
  ];
  for (const t of table) {
    it(t.name, () => {
      const { infos, plugin } = cluster(t.counts);
      const pod = web('new', { constraints: [t.c] });
      const state = new CycleState();
      expect(plugin.preFilter(state, pod, infos)).toBeUndefined();
      const got = Object.fromEntries(infos.map((ni) => [ni.name, plugin.filter(state, pod, ni) === undefined]));
      expect(got).toEqual(t.want);
      const failed = infos.find((ni) => !t.want[ni.name]);
      if (failed) {
        expect(plugin.filter(state, pod, failed)).toMatchObject({ code: Code.Unschedulable, reasons: ["node(s) didn't match pod topology spread constraints"] });
      }
    });
  }

  it('nodes without the topology key are unresolvable', () => {
    const { plugin } = cluster({});
    const pod = web('new', { constraints: [spread(1, 'rack', 'DoNotSchedule')] });
    const state = new CycleState();
    const ni = nodeInfo(makeNode('x'));
    plugin.preFilter(state, pod, [ni]);
    expect(plugin.filter(state, pod, ni)).toMatchObject({ code: Code.UnschedulableAndUnresolvable, reasons: ["node(s) didn't match pod topology spread constraints (missing required label)"] });
  });

  it('skips pods without DoNotSchedule constraints', () => {
    const { infos, plugin } = cluster({});
    expect(plugin.preFilter(new CycleState(), web('new'), infos)?.code).toBe(Code.Skip);
  });
});

describe('PodTopologySpread score', () => {
  it('favours the emptier domains', () => {
    const { infos, plugin } = cluster({ a1: 2, a2: 1, b1: 1 });
    const pod = web('new', { constraints: [spread(1, 'topology.kubernetes.io/zone', 'ScheduleAnyway')] });
    const state = new CycleState();
    expect(plugin.preScore(state, pod, infos)).toBeUndefined();
    const scores = infos.map((ni) => ({ name: ni.name, score: plugin.score(state, pod, ni) }));
    plugin.scoreExtensions().normalizeScore(state, pod, scores);
    const by = Object.fromEntries(scores.map((s) => [s.name, s.score]));
    expect(by.c1).toBe(100);
    expect(by.b1).toBeGreaterThan(by.a1!);
    expect(by.a1).toBe(by.a2);
  });
});
