// The node lifecycle decisions driven directly: objects live in a fake API server, the informer
// caches are refreshed from it by hand, time is fake, and the passes (monitorNodeHealth, the
// NoExecute tainting pass, the per-node NoSchedule pass) are called one by one.
import { describe, expect, it } from 'vitest';
import type { Lease } from 'kubernetes-types/coordination/v1.js';
import type { Node, Pod, Taint } from 'kubernetes-types/core/v1.js';
import { FakeClock, RestClient, SharedInformerFactory, resources, type KubeObject, type ResourceType } from '../../client/index.js';
import { FakeApiServer } from '../../client/testing/index.js';
import type { ControllerContext } from '../types.js';
import { NodeLifecycleController, type NodeLifecycleOptions } from './node-lifecycle-controller.js';

const T0 = Date.UTC(2025, 0, 1);
const iso = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

function setup(opts: NodeLifecycleOptions = {}) {
  const clock = new FakeClock(T0);
  const api = new FakeApiServer({ clock });
  const client = new RestClient(api, { clock });
  const informers = new SharedInformerFactory(client, { clock });
  const events: string[] = [];
  const ctx: ControllerContext = {
    client, informers, clock, signal: new AbortController().signal,
    recorder: (component) => ({
      event: (obj, type, reason, message) => void events.push(`${component} ${(obj as KubeObject).metadata?.name ?? (obj as { name?: string }).name} ${type} ${reason}: ${message}`),
      annotatedEvent: () => {},
    }),
  };
  const ctrl = new NodeLifecycleController(ctx, { taintEviction: false, onError: (e) => { throw e; }, ...opts });
  const refresh = () => {
    const types: ResourceType<KubeObject>[] = [resources.nodes, resources.leases, resources.pods] as ResourceType<KubeObject>[];
    for (const r of types) informers.informerFor(r).getIndexer().replace(api.list(r), String(api.rv));
  };
  /** Posts a kubelet heartbeat: Ready condition (status) with a fresh heartbeat, and a renewed lease. */
  const heartbeat = (name: string, status = 'True', lease = true) => {
    const n = api.get(resources.nodes, '', name)!;
    const prev = n.status?.conditions?.find((c) => c.type === 'Ready');
    const transition = prev?.status === status ? prev.lastTransitionTime : iso(clock.now());
    updateStatus(resources.nodes, { ...n, status: { ...n.status, conditions: [{ type: 'Ready', status, reason: 'KubeletReady', lastHeartbeatTime: iso(clock.now()), lastTransitionTime: transition }] } });
    if (lease) renewLease(name);
  };
  const renewLease = (name: string) => {
    const l = api.get(resources.leases, 'kube-node-lease', name);
    const spec = { holderIdentity: name, leaseDurationSeconds: 40, renewTime: new Date(clock.now()).toISOString() };
    if (l) void client.resource(resources.leases).namespace('kube-node-lease').update({ ...l, spec });
    else api.seed(resources.leases, { metadata: { name, namespace: 'kube-node-lease' }, spec } as Lease);
  };
  const updateStatus = <T extends KubeObject>(r: ResourceType<T>, o: T) => void client.resource(r).namespace(o.metadata?.namespace).updateStatus(o);
  const addNode = (name: string, labels: Record<string, string> = {}) => {
    api.seed(resources.nodes, { metadata: { name, labels }, spec: {}, status: {} } as Node);
    heartbeat(name);
  };
  const node = (name: string) => api.get(resources.nodes, '', name)!;
  const taints = (name: string) => (node(name).spec?.taints ?? []).map((t: Taint) => `${t.key}:${t.effect}`).sort();
  const ready = (name: string) => node(name).status?.conditions?.find((c) => c.type === 'Ready');
  /** One monitor pass, then the NoExecute tainting pass and every node's NoSchedule pass. */
  const pass = async () => {
    await settle();
    refresh();
    await ctrl.monitorNodeHealth();
    refresh();
    await ctrl.noExecute.doNoExecuteTaintingPass();
    refresh();
    for (const n of api.list(resources.nodes)) await ctrl.syncNode(n.metadata!.name!);
    refresh();
  };
  return { clock, api, client, ctrl, events, heartbeat, renewLease, addNode, node, taints, ready, pass, refresh, updateStatus };
}

const settle = () => new Promise<void>((r) => setImmediate(r));

describe('NodeLifecycleController', () => {
  it('marks a node whose lease and heartbeat stop Unknown after the grace period, taints it, and untaints it when it is back', async () => {
    const c = setup();
    c.addNode('dead');
    c.addNode('alive');
    await c.pass();
    expect(c.events).toContain('node-controller dead Normal RegisteredNode: Registered Node dead in Controller');

    // 40 s without a signal from "dead" is still within the grace period.
    c.clock.step(40_000);
    c.heartbeat('alive');
    await c.pass();
    expect(c.ready('dead')?.status).toBe('True');

    c.clock.step(1_000);
    c.renewLease('alive');
    await c.pass();
    expect(c.ready('dead')).toMatchObject({ status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastTransitionTime: iso(T0 + 41_000) });
    expect(c.ready('alive')?.status).toBe('True');
    expect(c.events).toContain('node-controller dead Normal NodeNotReady: Node dead status is now: NodeNotReady');
    // The NoSchedule taint follows the condition at once; the NoExecute one the next pass.
    expect(c.taints('dead')).toEqual(['node.kubernetes.io/unreachable:NoSchedule']);

    c.clock.step(5_000);
    c.renewLease('alive');
    await c.pass();
    expect(c.taints('dead')).toEqual(['node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/unreachable:NoSchedule']);
    expect(c.node('dead').spec!.taints!.find((t: Taint) => t.effect === 'NoExecute')!.timeAdded).toBe(iso(T0 + 46_000));
    expect(c.taints('alive')).toEqual([]);

    // The kubelet comes back.
    c.clock.step(5_000);
    c.heartbeat('dead');
    c.renewLease('alive');
    await c.pass();
    expect(c.taints('dead')).toEqual([]);
  });

  it('taints a NotReady node not-ready, and swaps to unreachable when it then goes silent', async () => {
    const c = setup();
    c.addNode('sick');
    c.addNode('ok');
    await c.pass();
    c.clock.step(5_000);
    c.heartbeat('sick', 'False');
    c.heartbeat('ok');
    await c.pass();
    expect(c.taints('sick')).toEqual(['node.kubernetes.io/not-ready:NoExecute', 'node.kubernetes.io/not-ready:NoSchedule']);

    c.clock.step(41_000);
    c.heartbeat('ok');
    await c.pass(); // goes Unknown
    await c.pass(); // the taint follows
    expect(c.taints('sick')).toEqual(['node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/unreachable:NoSchedule']);
  });

  it('adds no NoExecute taint when every node is down (full disruption), only the NoSchedule one', async () => {
    const c = setup();
    c.addNode('only');
    await c.pass();
    c.clock.step(41_000);
    await c.pass();
    await c.pass();
    expect(c.ready('only')?.status).toBe('Unknown');
    expect(c.taints('only')).toEqual(['node.kubernetes.io/unreachable:NoSchedule']);
    expect(c.ctrl.noExecute.zoneStates.get('')).toBe('FullDisruption');
  });

  it('taints nodes NoExecute one at a time per zone (eviction rate)', async () => {
    const c = setup({ evictionLimiterQPS: 0.1 });
    for (const n of ['a', 'b', 'c', 'd']) c.addNode(n);
    await c.pass();
    c.clock.step(41_000);
    c.heartbeat('c');
    c.heartbeat('d');
    await c.pass();
    await c.pass();
    const noExec = () => ['a', 'b'].filter((n) => c.taints(n).includes('node.kubernetes.io/unreachable:NoExecute'));
    expect(noExec()).toHaveLength(1);
    c.clock.step(5_000);
    await c.ctrl.noExecute.doNoExecuteTaintingPass();
    expect(noExec()).toHaveLength(1);
    c.clock.step(5_000);
    await c.ctrl.noExecute.doNoExecuteTaintingPass();
    expect(noExec()).toHaveLength(2);
  });

  it('keeps the unschedulable taint in line with spec.unschedulable (cordon / uncordon)', async () => {
    const c = setup();
    c.api.seed(resources.nodes, { metadata: { name: 'n1' }, spec: { unschedulable: true, taints: [{ key: 'dedicated', value: 'x', effect: 'NoSchedule' }] } } as Node);
    c.refresh();
    await c.ctrl.syncNode('n1');
    expect(c.taints('n1')).toEqual(['dedicated:NoSchedule', 'node.kubernetes.io/unschedulable:NoSchedule']);
    await c.client.resource(resources.nodes).patch('n1', { spec: { unschedulable: false } });
    c.refresh();
    await c.ctrl.syncNode('n1');
    expect(c.taints('n1')).toEqual(['dedicated:NoSchedule']);
  });

  it('reconciles the beta OS and arch labels', async () => {
    const c = setup();
    c.api.seed(resources.nodes, { metadata: { name: 'n1', labels: { 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', 'beta.kubernetes.io/arch': 'arm64' } } } as Node);
    c.refresh();
    await c.ctrl.syncNode('n1');
    expect(c.node('n1').metadata!.labels).toMatchObject({ 'beta.kubernetes.io/os': 'linux', 'beta.kubernetes.io/arch': 'amd64' });
  });

  it('marks the pods of a node that goes silent not Ready, and pods bound to it later too', async () => {
    const c = setup();
    c.addNode('n1');
    c.addNode('n2');
    const readyPod = (name: string, nodeName: string): Pod => ({
      metadata: { name, namespace: 'ns' }, spec: { nodeName, containers: [] },
      status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: iso(T0) }] },
    });
    c.api.seed(resources.pods, readyPod('p1', 'n1'));
    c.api.seed(resources.pods, readyPod('p2', 'n2'));
    await c.pass();
    c.clock.step(41_000);
    c.heartbeat('n2');
    await c.pass();
    const podReady = (name: string) => c.api.get(resources.pods, 'ns', name)!.status!.conditions!.find((x) => x.type === 'Ready');
    expect(podReady('p1')).toEqual({ type: 'Ready', status: 'False', lastTransitionTime: iso(T0 + 41_000) });
    expect(podReady('p2')?.status).toBe('True');
    expect(c.events).toContain('node-controller p1 Warning NodeNotReady: Node is not ready');

    c.api.seed(resources.pods, readyPod('late', 'n1'));
    c.refresh();
    await c.ctrl.processPod('ns/late');
    expect(podReady('late')?.status).toBe('False');
  });
});
