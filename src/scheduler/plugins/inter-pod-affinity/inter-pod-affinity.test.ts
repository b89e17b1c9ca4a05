import type { Affinity, Pod } from 'kubernetes-types/core/v1.js';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../client/index.js';
import { Snapshot } from '../../cache/snapshot.js';
import { CycleState } from '../../framework/cycle-state.js';
import type { Handle } from '../../framework/interface.js';
import { makeNode, makePod, nodeInfo, runScore } from '../../testing/wrappers.js';
import { InterPodAffinity } from './index.js';

const ZONE = 'topology.kubernetes.io/zone';
const term = (app: string, topologyKey = ZONE) => ({ topologyKey, labelSelector: { matchLabels: { app } } });

function cluster(pods: Record<string, Pod[]>) {
  const zones: Record<string, string> = { a1: 'a', a2: 'a', b1: 'b' };
  const infos = Object.keys(zones).map((n) => nodeInfo(makeNode(n, { labels: { [ZONE]: zones[n]! } }), pods[n] ?? []));
  const snapshot = Snapshot.of(infos);
  const handle = { clock: new FakeClock(), snapshot: () => snapshot, nominator: () => ({ nominatedPodsForNode: () => [] }), framework: () => { throw new Error('unused'); }, schedulerName: 'default-scheduler' } as Handle;
  return { infos, plugin: new InterPodAffinity(handle) };
}

function feasible(pods: Record<string, Pod[]>, pod: Pod): Record<string, string> {
  const { infos, plugin } = cluster(pods);
  const state = new CycleState();
  const pre = plugin.preFilter(state, pod, infos);
  if (pre?.code === 'Skip') return Object.fromEntries(infos.map((n) => [n.name, 'ok']));
  return Object.fromEntries(infos.map((n) => [n.name, plugin.filter(state, pod, n)?.reasons[0] ?? 'ok']));
}

const withAffinity = (name: string, affinity: Affinity, labels: Record<string, string> = {}) => makePod(name, { affinity, labels });

describe('InterPodAffinity filter', () => {
  const db = (node: string) => makePod(`db-${node}`, { nodeName: node, labels: { app: 'db' } });

  it('required affinity: only the zone of a matching pod', () => {
    const pod = withAffinity('web', { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('db')] } });
    expect(feasible({ b1: [db('b1')] }, pod)).toEqual({ a1: "node(s) didn't match pod affinity rules", a2: "node(s) didn't match pod affinity rules", b1: 'ok' });
  });

  it('required affinity to itself lets the first pod of a group in anywhere', () => {
    const pod = withAffinity('web', { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('web')] } }, { app: 'web' });
    expect(feasible({}, pod)).toEqual({ a1: 'ok', a2: 'ok', b1: 'ok' });
  });

  it('required anti-affinity: not in the zone of a matching pod', () => {
    const pod = withAffinity('web', { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('db')] } });
    expect(feasible({ a2: [db('a2')] }, pod)).toEqual({ a1: "node(s) didn't match pod anti-affinity rules", a2: "node(s) didn't match pod anti-affinity rules", b1: 'ok' });
  });

  it("existing pods' anti-affinity keeps matching pods away", () => {
    const loner = makePod('loner', { nodeName: 'a1', labels: { app: 'loner' }, affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('web', 'kubernetes.io/hostname')] } } });
    expect(feasible({ a1: [loner] }, makePod('web', { labels: { app: 'web' } }))).toEqual({ a1: "node(s) didn't satisfy existing pods anti-affinity rules", a2: 'ok', b1: 'ok' });
  });
});

describe('InterPodAffinity score', () => {
  it('favours domains with preferred pods and away from anti-preferred ones', () => {
    const pod = withAffinity('web', {
      podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 10, podAffinityTerm: term('cache') }] },
      podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 5, podAffinityTerm: term('batch', 'kubernetes.io/hostname') }] },
    });
    const { infos, plugin } = cluster({ a1: [makePod('c', { nodeName: 'a1', labels: { app: 'cache' } }), makePod('b', { nodeName: 'a1', labels: { app: 'batch' } })] });
    // a1: +10 −5 = 5, a2: +10, b1: 0 → normalized over [0, 10].
    expect(runScore(plugin, pod, infos)).toEqual({ a1: 50, a2: 100, b1: 0 });
  });
});
