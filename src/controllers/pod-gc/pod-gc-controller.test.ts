// gc() driven directly: pods and nodes go straight into the informers' caches (fake listers),
// writes into a recording fake API server; the quarantine runs on fake time.
import { describe, expect, it } from 'vitest';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { FakeClock, RestClient, SharedInformerFactory, resources, type EventRecorder } from '../../client/index.js';
import { FakeApiServer, type RecordedAction } from '../../client/testing/index.js';
import type { ControllerContext } from '../types.js';
import { PodGCController, type PodGCOptions } from './pod-gc-controller.js';

function setup(opts: PodGCOptions = {}) {
  const clock = new FakeClock();
  const api = new FakeApiServer({ clock });
  const client = new RestClient(api, { clock });
  const informers = new SharedInformerFactory(client, { clock });
  const recorder: EventRecorder = { event: () => {}, annotatedEvent: () => {} };
  const abort = new AbortController();
  const ctx: ControllerContext = { client, informers, clock, signal: abort.signal, recorder: () => recorder };
  const errors: unknown[] = [];
  const ctrl = new PodGCController(ctx, { onError: (e) => errors.push(e), ...opts });
  const podCache = informers.informerFor(resources.pods).getIndexer();
  const nodeCache = informers.informerFor(resources.nodes).getIndexer();
  // The API would drop a deletionTimestamp on create: the cache gets it as a watch would show it.
  const addPod = (p: Pod) => {
    const stored = api.seed(resources.pods, p);
    podCache.add({ ...stored, metadata: { ...stored.metadata, deletionTimestamp: p.metadata?.deletionTimestamp } });
  };
  const addNode = (n: Node) => nodeCache.add(api.seed(resources.nodes, n));
  const writes = () => api.writes().map(describeAction);
  return { clock, api, ctrl, addPod, addNode, writes, errors, abort, informers };
}

function describeAction(a: RecordedAction): string {
  if (a.verb === 'delete') return `delete ${a.namespace}/${a.name} grace=${(a.body as { gracePeriodSeconds?: number } | undefined)?.gracePeriodSeconds}`;
  if (a.verb === 'patch') {
    const body = (typeof a.body === 'string' ? JSON.parse(a.body) : a.body) as { status: { phase: string; conditions?: Array<{ type: string }> } };
    return `patch ${a.namespace}/${a.name}/${a.subresource} ${body.status.phase}${body.status.conditions ? ' +' + body.status.conditions.map((c) => c.type).join(',') : ''}`;
  }
  return `${a.verb} ${a.resource} ${a.namespace}/${a.name}`;
}

function pod(name: string, o: { phase?: string; node?: string; created?: string } = {}): Pod {
  return {
    metadata: { name, namespace: 'ns', creationTimestamp: o.created ?? '2025-01-01T00:00:00Z' },
    spec: { containers: [{ name: 'c', image: 'i' }], nodeName: o.node },
    status: { phase: o.phase ?? 'Running' },
  };
}

function node(name: string, o: { ready?: boolean; taints?: string[] } = {}): Node {
  return {
    metadata: { name },
    spec: { taints: (o.taints ?? []).map((key) => ({ key, effect: 'NoExecute' })) },
    status: { conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True' }] },
  };
}

describe('PodGCController.gc', () => {
  it('deletes the terminated pods beyond the threshold, oldest first, without patching them', async () => {
    const { ctrl, addPod, writes } = setup({ terminatedPodThreshold: 2 });
    addPod(pod('t3', { phase: 'Succeeded', created: '2025-01-01T00:00:03Z' }));
    addPod(pod('t1', { phase: 'Failed', created: '2025-01-01T00:00:01Z' }));
    addPod(pod('t4', { phase: 'Succeeded', created: '2025-01-01T00:00:04Z' }));
    addPod(pod('t2', { phase: 'Succeeded', created: '2025-01-01T00:00:02Z' }));
    addPod(pod('r0', { phase: 'Running', created: '2025-01-01T00:00:00Z' }));
    await ctrl.gc();
    expect(writes().sort()).toEqual(['delete ns/t1 grace=0', 'delete ns/t2 grace=0']);
  });

  it('keeps every terminated pod when the threshold is 0', async () => {
    const { ctrl, addPod, writes } = setup({ terminatedPodThreshold: 0 });
    addPod(pod('t1', { phase: 'Succeeded' }));
    await ctrl.gc();
    expect(writes()).toEqual([]);
  });

  it('deletes pods bound to a missing node only after the quarantine and a live GET answering NotFound', async () => {
    const { ctrl, clock, api, addPod, addNode, writes } = setup({ quarantineMs: 40_000 });
    addNode(node('here'));
    addPod(pod('on-here', { node: 'here' }));
    addPod(pod('orphan', { node: 'ghost' }));
    addPod(pod('late', { node: 'new-node' }));
    // The new node exists but the informer has not shown it yet.
    api.seed(resources.nodes, node('new-node'));

    await ctrl.gc();
    expect(writes()).toEqual([]);
    expect(ctrl.nodeQueue.waitingLen()).toBe(2);

    clock.step(39_000);
    await ctrl.gc();
    expect(writes()).toEqual([]);

    clock.step(1_000);
    api.clearActions();
    await ctrl.gc();
    const gets = api.actions.filter((a) => a.verb === 'get').map((a) => a.name).sort();
    expect(gets).toEqual(['ghost', 'new-node']);
    expect(writes()).toEqual(['patch ns/orphan/status Failed +DisruptionTarget', 'delete ns/orphan grace=0']);
    expect(api.get(resources.pods, 'ns', 'orphan')).toBeUndefined();
  });

  it('force-deletes a terminating pod on a node that is gone, and one on an out-of-service node', async () => {
    const { ctrl, clock, api, addPod, addNode, writes } = setup({ quarantineMs: 10 });
    addNode(node('oos', { ready: false, taints: ['node.kubernetes.io/out-of-service'] }));
    addNode(node('down', { ready: false }));
    const terminating = (p: Pod): Pod => ({ ...p, metadata: { ...p.metadata, deletionTimestamp: '2025-01-01T00:10:00Z', finalizers: ['keep'] } });
    addPod(terminating(pod('on-gone', { node: 'gone' })));
    addPod(terminating(pod('on-oos', { node: 'oos' })));
    addPod(terminating(pod('on-down', { node: 'down' })));
    await ctrl.gc();
    expect(writes()).toEqual(['patch ns/on-oos/status Failed', 'delete ns/on-oos grace=0']);
    // (The cache still shows on-oos, as the finalizer keeps it: it is asked for again.)
    api.clearActions();
    clock.step(10);
    await ctrl.gc();
    expect(writes().filter((w) => !w.includes('on-oos'))).toEqual(['patch ns/on-gone/status Failed +DisruptionTarget', 'delete ns/on-gone grace=0']);
  });

  it('force-deletes terminating pods that were never scheduled', async () => {
    const { ctrl, addPod, writes } = setup();
    addPod({ ...pod('unbound', { phase: 'Pending' }), metadata: { name: 'unbound', namespace: 'ns', deletionTimestamp: '2025-01-01T00:10:00Z', finalizers: ['keep'] } });
    addPod(pod('pending', { phase: 'Pending' }));
    await ctrl.gc();
    expect(writes()).toEqual(['patch ns/unbound/status Failed', 'delete ns/unbound grace=0']);
  });

  it('treats a pod already gone as done, and reports other failures', async () => {
    const { ctrl, api, addPod, errors } = setup({ terminatedPodThreshold: 1 });
    addPod(pod('a', { phase: 'Succeeded', created: '2025-01-01T00:00:01Z' }));
    addPod(pod('b', { phase: 'Succeeded', created: '2025-01-01T00:00:02Z' }));
    api.addReactor((a) => (a.verb === 'delete' ? { status: 404, body: { kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 404, reason: 'NotFound', message: 'pods "a" not found' } } : undefined));
    await ctrl.gc();
    expect(errors).toEqual([]);
    api.clearReactors();
    api.addReactor((a) => (a.verb === 'delete' ? { status: 500, body: { kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 500, reason: 'InternalError', message: 'boom' } } : undefined));
    await ctrl.gc();
    expect(errors.map((e) => (e as Error).message)).toEqual(['deleting pod ns/a: boom']);
  });
});

describe('PodGCController.run', () => {
  it('collects at start and then every period', async () => {
    const { ctrl, clock, addPod, writes, abort, informers, api } = setup({ terminatedPodThreshold: 1, gcCheckPeriodMs: 20_000 });
    informers.start();
    const running = ctrl.run(1);
    await informers.waitForCacheSync();
    await clock.advance(0);
    expect(writes()).toEqual([]);
    addPod(pod('a', { phase: 'Succeeded', created: '2025-01-01T00:00:01Z' }));
    addPod(pod('b', { phase: 'Succeeded', created: '2025-01-01T00:00:02Z' }));
    api.clearActions();
    await clock.advance(19_000);
    expect(writes()).toEqual([]);
    await clock.advance(1_000);
    expect(writes()).toEqual(['delete ns/a grace=0']);
    abort.abort();
    await running;
    await informers.shutdown();
  });
});
