import { describe, expect, it } from 'vitest';
import type { Lease } from 'kubernetes-types/coordination/v1.js';
import type { Node, NodeCondition } from 'kubernetes-types/core/v1.js';
import { computeZoneState, decideNodeHealth, zoneKey, type NodeHealth } from './node-health.js';

const T0 = Date.UTC(2025, 0, 1);
const iso = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
const GRACE = { monitorGraceMs: 40_000, startupGraceMs: 60_000 };

function node(conditions?: NodeCondition[], created = T0): Node {
  return { metadata: { name: 'n1', uid: 'u1', creationTimestamp: iso(created) }, status: conditions ? { conditions } : {} };
}
const ready = (heartbeat: number, status = 'True'): NodeCondition => ({ type: 'Ready', status, reason: 'KubeletReady', lastHeartbeatTime: iso(heartbeat), lastTransitionTime: iso(T0) });
const lease = (renew: number): Lease => ({ metadata: { name: 'n1', namespace: 'kube-node-lease' }, spec: { holderIdentity: 'n1', renewTime: new Date(renew).toISOString() } });

describe('decideNodeHealth', () => {
  it('starts the grace period when it first sees a node, and marks it Unknown once it has passed', () => {
    const n = node([ready(T0), { type: 'MemoryPressure', status: 'False', lastHeartbeatTime: iso(T0), lastTransitionTime: iso(T0) }]);
    const first = decideNodeHealth(n, undefined, undefined, T0 + 1000, GRACE);
    expect(first.statusUpdate).toBeUndefined();
    expect(first.health.probeTimestamp).toBe(T0 + 1000);

    const within = decideNodeHealth(n, undefined, first.health, T0 + 41_000, GRACE);
    expect(within.statusUpdate).toBeUndefined();

    const late = decideNodeHealth(n, undefined, within.health, T0 + 41_001, GRACE);
    expect(late.observedReady.status).toBe('True');
    expect(late.currentReady).toMatchObject({ status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastTransitionTime: iso(T0 + 41_001) });
    const byType = Object.fromEntries(late.statusUpdate!.conditions!.map((c) => [c.type, c]));
    expect(byType.MemoryPressure).toMatchObject({ status: 'Unknown', reason: 'NodeStatusUnknown' });
    // Conditions the kubelet never posted are added as never updated.
    expect(byType.DiskPressure).toMatchObject({ status: 'Unknown', reason: 'NodeStatusNeverUpdated', message: 'Kubelet never posted node status.', lastHeartbeatTime: iso(T0) });
    expect(byType.PIDPressure).toMatchObject({ status: 'Unknown' });
    expect(byType.NetworkUnavailable).toBeUndefined();
    // The input node is not changed.
    expect(n.status!.conditions![0]!.status).toBe('True');
  });

  it('a new heartbeat or a renewed lease is a fresh signal', () => {
    let h: NodeHealth = decideNodeHealth(node([ready(T0)]), lease(T0), undefined, T0, GRACE).health;
    // Heartbeat moves: probe time is now.
    h = decideNodeHealth(node([ready(T0 + 30_000)]), lease(T0), h, T0 + 30_000, GRACE).health;
    expect(h.probeTimestamp).toBe(T0 + 30_000);
    // Only the lease moves (the kubelet posts status rarely): still fresh.
    const d = decideNodeHealth(node([ready(T0 + 30_000)]), lease(T0 + 60_000), h, T0 + 60_000, GRACE);
    expect(d.health.probeTimestamp).toBe(T0 + 60_000);
    expect(decideNodeHealth(node([ready(T0 + 30_000)]), lease(T0 + 60_000), d.health, T0 + 100_000, GRACE).statusUpdate).toBeUndefined();
    // Neither moves for longer than the grace period.
    expect(decideNodeHealth(node([ready(T0 + 30_000)]), lease(T0 + 60_000), d.health, T0 + 100_001, GRACE).currentReady?.status).toBe('Unknown');
  });

  it('gives a node that never posted status the startup grace period, counted from its creation', () => {
    const n = node(undefined, T0);
    const d = decideNodeHealth(n, undefined, undefined, T0 + 59_000, GRACE);
    expect(d.observedReady).toMatchObject({ status: 'Unknown', lastHeartbeatTime: iso(T0) });
    expect(d.currentReady).toBeUndefined();
    const late = decideNodeHealth(n, undefined, d.health, T0 + 60_001, GRACE);
    expect(late.currentReady).toMatchObject({ status: 'Unknown', reason: 'NodeStatusNeverUpdated' });
  });

  it('writes nothing when the node is already Unknown', () => {
    const unknown = { ...ready(T0, 'Unknown'), reason: 'NodeStatusUnknown' };
    const n = node([unknown, { type: 'MemoryPressure', status: 'Unknown' }, { type: 'DiskPressure', status: 'Unknown' }, { type: 'PIDPressure', status: 'Unknown' }]);
    const h = decideNodeHealth(n, undefined, undefined, T0, GRACE).health;
    expect(decideNodeHealth(n, undefined, h, T0 + 100_000, GRACE).statusUpdate).toBeUndefined();
  });
});

describe('zones', () => {
  it('keys nodes by region and zone labels', () => {
    expect(zoneKey({ metadata: {} })).toBe('');
    expect(zoneKey({ metadata: { labels: { 'topology.kubernetes.io/region': 'r', 'topology.kubernetes.io/zone': 'z' } } })).toBe('r:\x00:z');
  });

  it('computes the zone state from Ready conditions', () => {
    const c = (status: string): NodeCondition => ({ type: 'Ready', status });
    expect(computeZoneState([c('True'), c('Unknown')], 0.55).state).toBe('Normal');
    expect(computeZoneState([c('Unknown'), undefined], 0.55)).toEqual({ notReady: 2, state: 'FullDisruption' });
    expect(computeZoneState([c('True'), c('False'), c('Unknown'), c('Unknown')], 0.55).state).toBe('PartialDisruption');
    expect(computeZoneState([c('True'), c('True'), c('False'), c('Unknown'), c('Unknown')], 0.55).state).toBe('PartialDisruption');
    expect(computeZoneState([c('True'), c('True'), c('True'), c('Unknown'), c('Unknown'), c('Unknown')], 0.55).state).toBe('Normal');
  });
});
