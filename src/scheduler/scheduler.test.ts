import type { Pod } from 'kubernetes-types/core/v1.js';
import { describe, expect, it } from 'vitest';
import { FakeClock, type EventRecorder } from '../client/index.js';
import { NodeAdd } from './framework/events.js';
import type { BindPlugin, Registry } from './framework/interface.js';
import { defaultProfile } from './framework/profile.js';
import { Status } from './framework/status.js';
import { inTreeRegistry } from './plugins/registry.js';
import { Scheduler } from './scheduler.js';
import { makeNode, makePod } from './testing/wrappers.js';

interface Recorded { type: string; reason: string; message: string; name?: string }

function setup(bindResult: () => Status | undefined = () => undefined) {
  const clock = new FakeClock();
  const events: Recorded[] = [];
  const patches: Array<{ pod: string; status: Record<string, unknown> }> = [];
  const bound: Array<{ pod: string; node: string }> = [];
  const recorder: EventRecorder = {
    event: (obj, type, reason, message) => events.push({ type, reason, message, name: (obj as { name?: string }).name }),
    annotatedEvent: () => undefined,
  };
  const binder: BindPlugin = {
    name: 'DefaultBinder',
    async bind(_s, pod, node) {
      const r = bindResult();
      if (!r) bound.push({ pod: pod.metadata!.name!, node });
      return r;
    },
  };
  const registry: Registry = inTreeRegistry();
  registry.set('DefaultBinder', () => binder);
  const s = new Scheduler(
    { clock, recorder, patchPodStatus: async (pod, p) => void patches.push({ pod: pod.metadata!.name!, status: p.status }) },
    { registry, profiles: [defaultProfile()], random: () => 0 },
  );
  return { s, clock, events, patches, bound };
}

const nodes = () => [
  makeNode('small', { allocatable: { cpu: '1', memory: '2Gi', pods: '110' } }),
  makeNode('tainted', { allocatable: { cpu: '8', memory: '16Gi', pods: '110' }, taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] }),
  makeNode('big', { allocatable: { cpu: '4', memory: '8Gi', pods: '110' } }),
];

async function scheduleAll(s: Scheduler, pods: Pod[]): Promise<void> {
  for (const p of pods) s.queue.add(p);
  for (let i = 0; i < pods.length; i++) await s.scheduleOne();
  await s.flushBindings();
}

describe('Scheduler', () => {
  it('binds pods to fitting nodes, counting assumed pods', async () => {
    const { s, bound, events } = setup();
    for (const n of nodes()) s.cache.addNode(n);
    await scheduleAll(s, [makePod('a', { containers: [{ cpu: '2' }] }), makePod('b', { containers: [{ cpu: '2' }] })]);
    expect(bound).toEqual([{ pod: 'a', node: 'big' }, { pod: 'b', node: 'big' }]);
    expect(events.map((e) => e.message)).toEqual(['Successfully assigned default/a to big', 'Successfully assigned default/b to big']);
    expect(s.cache.nodeInfo('big')!.requested.milliCPU).toBe(4000);
    expect(s.cache.isAssumedPod(makePod('a'))).toBe(true);
  });

  it('spreads small pods over the untainted nodes (LeastAllocated)', async () => {
    const { s, bound } = setup();
    for (const n of nodes()) s.cache.addNode(n);
    await scheduleAll(s, [makePod('a', { containers: [{ cpu: '100m', memory: '100Mi' }] }), makePod('b', { containers: [{ cpu: '100m', memory: '100Mi' }] }), makePod('c', { tolerations: [{ key: 'dedicated', operator: 'Exists' }], containers: [{ cpu: '100m' }] })]);
    expect(Object.fromEntries(bound.map((b) => [b.pod, b.node]))).toEqual({ a: 'big', b: 'big', c: 'tainted' });
  });

  it('reports an unschedulable pod with upstream’s message and the PodScheduled condition', async () => {
    const { s, events, patches, bound } = setup();
    for (const n of nodes()) s.cache.addNode(n);
    await scheduleAll(s, [makePod('huge', { containers: [{ cpu: '6' }] })]);
    expect(bound).toEqual([]);
    const msg = '0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, 2 Insufficient cpu. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.';
    expect(events).toEqual([{ type: 'Warning', reason: 'FailedScheduling', message: msg, name: 'huge' }]);
    expect(patches[0]!.status.conditions).toEqual([expect.objectContaining({ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: msg })]);
    expect(s.queue.pendingPods().unschedulable.map((p) => p.metadata?.name)).toEqual(['huge']);
  });

  it('retries an unschedulable pod when a fitting node is added', async () => {
    const { s, clock, bound } = setup();
    for (const n of nodes()) s.cache.addNode(n);
    await scheduleAll(s, [makePod('huge', { containers: [{ cpu: '6' }] })]);
    // A node too small for the pod and with the taint the pod does not tolerate helps neither plugin.
    const tooSmall = makeNode('medium', { allocatable: { cpu: '2', memory: '2Gi', pods: '10' }, taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] });
    s.cache.addNode(tooSmall);
    s.queue.moveAllToActiveOrBackoffQueue(NodeAdd, undefined, tooSmall);
    expect(s.queue.pendingPods().unschedulable).toHaveLength(1);
    const fits = makeNode('large', { allocatable: { cpu: '16', memory: '32Gi', pods: '110' } });
    s.cache.addNode(fits);
    s.queue.moveAllToActiveOrBackoffQueue(NodeAdd, undefined, fits);
    expect(s.queue.pendingPods().backoff).toHaveLength(1);
    clock.step(1000);
    await s.scheduleOne();
    await s.flushBindings();
    expect(bound).toEqual([{ pod: 'huge', node: 'large' }]);
  });

  it('says when there are no nodes', async () => {
    const { s, events, patches } = setup();
    await scheduleAll(s, [makePod('a')]);
    expect(events[0]!.message).toBe('no nodes available to schedule pods');
    expect(patches[0]!.status.conditions).toEqual([expect.objectContaining({ reason: 'Unschedulable' })]);
  });

  it('forgets the assumed pod and retries after a failed binding', async () => {
    let fail = true;
    const { s, clock, bound, events } = setup(() => (fail ? Status.error(new Error('etcd is down')) : undefined));
    s.cache.addNode(makeNode('n1'));
    await scheduleAll(s, [makePod('a', { containers: [{ cpu: '1' }] })]);
    expect(s.cache.nodeInfo('n1')!.pods).toHaveLength(0);
    expect(events[0]).toMatchObject({ reason: 'FailedScheduling', message: 'running Bind plugin "DefaultBinder": etcd is down' });
    expect(s.queue.pendingPods().backoff).toHaveLength(1);
    fail = false;
    clock.step(1000);
    await s.scheduleOne();
    await s.flushBindings();
    expect(bound).toEqual([{ pod: 'a', node: 'n1' }]);
  });

  it('does not re-patch an identical condition', async () => {
    const { s, clock, patches } = setup();
    s.cache.addNode(makeNode('n1', { allocatable: { cpu: '1', memory: '1Gi', pods: '10' } }));
    await scheduleAll(s, [makePod('a', { containers: [{ cpu: '2' }] })]);
    const msg = '0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.';
    expect(patches).toHaveLength(1);
    // The pod comes back with the condition written.
    const withCond: Pod = { ...makePod('a', { containers: [{ cpu: '2' }] }), status: { conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: msg }] } };
    s.queue.delete(withCond);
    s.queue.add(withCond);
    clock.step(1000);
    await s.scheduleOne();
    expect(patches).toHaveLength(1);
  });
});
