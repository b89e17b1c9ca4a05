// sync(key) driven directly: objects go straight into the informers' caches (fake listers), pod
// writes into a recording PodControl, status writes into a fake API server; time is fake.
import { describe, expect, it } from 'vitest';
import type { ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { ObjectReference, Pod, PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import { ApiError, FakeClock, RestClient, SharedInformerFactory, resources, type EventRecorder } from '../../client/index.js';
import { FakeApiServer } from '../../client/testing/index.js';
import type { ControllerContext } from '../types.js';
import { replicaSetKind } from './kinds.js';
import type { PodControl } from './pod-control.js';
import { ReplicaSetController } from './replica-set-controller.js';

const T0 = Date.UTC(2025, 0, 1);

class RecordingPodControl implements PodControl {
  readonly actions: string[] = [];
  /** Makes createPod fail with this error (after recording the attempt). */
  createError: unknown;
  async createPod(namespace: string, template: PodTemplateSpec | undefined, parent: ObjectReference, ref: OwnerReference): Promise<void> {
    this.actions.push(`create ${namespace} ${parent.name} owner=${ref.kind}/${ref.name}`);
    if (this.createError) throw this.createError;
  }
  async deletePod(namespace: string, name: string): Promise<void> {
    this.actions.push(`delete ${namespace}/${name}`);
  }
  async patchPod(namespace: string, name: string, patch: unknown): Promise<void> {
    this.actions.push(`patch ${namespace}/${name} ${JSON.stringify(patch)}`);
  }
}

function setup() {
  const clock = new FakeClock(T0);
  const api = new FakeApiServer({ clock });
  const client = new RestClient(api, { clock });
  const informers = new SharedInformerFactory(client, { clock });
  const recorder: EventRecorder = { event: () => {}, annotatedEvent: () => {} };
  const ctx: ControllerContext = { client, informers, clock, signal: new AbortController().signal, recorder: () => recorder };
  const podControl = new RecordingPodControl();
  const ctrl = new ReplicaSetController<ReplicaSet>(ctx, replicaSetKind, { podControl, onError: () => {} });
  const rsCache = informers.informerFor(resources.replicaSets).getIndexer();
  const podCache = informers.informerFor(resources.pods).getIndexer();
  const addRS = (rs: ReplicaSet) => {
    const stored = api.seed(resources.replicaSets, rs);
    rsCache.add(stored);
    return stored;
  };
  return { clock, api, ctrl, podControl, rsCache, podCache, addRS };
}

function rs(name: string, replicas: number): ReplicaSet {
  return {
    metadata: { name, namespace: 'ns' },
    spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'i' }] } } },
  };
}

function pod(name: string, owner: ReplicaSet | undefined, extra: Partial<Pod['metadata']> = {}, status: Pod['status'] = {}): Pod {
  const app = owner?.metadata?.name ?? 'none';
  return {
    metadata: {
      name, namespace: 'ns', uid: `uid-${name}`, resourceVersion: '1', labels: { app }, creationTimestamp: '2025-01-01T00:00:00Z',
      ownerReferences: owner ? [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: owner.metadata!.name!, uid: owner.metadata!.uid!, controller: true }] : undefined,
      ...extra,
    },
    spec: { containers: [] },
    status,
  };
}

describe('ReplicaSetController.sync', () => {
  it('creates the missing pods in slow-start batches and then waits for them (expectations)', async () => {
    const { ctrl, podControl, addRS, api } = setup();
    addRS(rs('web', 3));
    await ctrl.sync('ns/web');
    expect(podControl.actions).toEqual(Array(3).fill('create ns web owner=ReplicaSet/web'));
    // The informer has not shown the pods yet: a second sync must not create more.
    podControl.actions.length = 0;
    await ctrl.sync('ns/web');
    expect(podControl.actions).toEqual([]);
    expect(ctrl.expectations.get('ns/web')).toMatchObject({ add: 3, del: 0 });
    expect(api.get(resources.replicaSets, 'ns', 'web')!.status).toMatchObject({ replicas: 0, observedGeneration: 1 });
  });

  it('creates again once the expected creations were observed', async () => {
    const { ctrl, podControl, addRS, podCache } = setup();
    const web = addRS(rs('web', 2));
    await ctrl.sync('ns/web');
    podCache.add(pod('web-a', web));
    ctrl.expectations.creationObserved('ns/web');
    ctrl.expectations.creationObserved('ns/web');
    podControl.actions.length = 0;
    await ctrl.sync('ns/web');
    expect(podControl.actions).toEqual(['create ns web owner=ReplicaSet/web']);
  });

  it('caps creations at the burst and stops a slow start at the first failure, with ReplicaFailure', async () => {
    const { ctrl, podControl, addRS, api } = setup();
    addRS(rs('quota', 10));
    podControl.createError = new ApiError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code: 403, reason: 'Forbidden', message: 'exceeded quota' });
    await expect(ctrl.sync('ns/quota')).rejects.toThrow('exceeded quota');
    expect(podControl.actions).toHaveLength(1); // batch of 1 failed: no batch of 2
    expect(ctrl.expectations.satisfiedExpectations('ns/quota')).toBe(true);
    const st = api.get(resources.replicaSets, 'ns', 'quota')!.status!;
    expect(st.conditions).toEqual([{ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: 'exceeded quota', lastTransitionTime: '2025-01-01T00:00:00Z' }]);

    // Success afterwards removes the condition.
    podControl.createError = undefined;
    podControl.actions.length = 0;
    await ctrl.sync('ns/quota');
    expect(podControl.actions).toHaveLength(10);
    expect(api.get(resources.replicaSets, 'ns', 'quota')!.status!.conditions).toBeUndefined();
  });

  it('deletes the best-ranked surplus pods and expects exactly those deletions', async () => {
    const { ctrl, podControl, addRS, podCache } = setup();
    const web = addRS(rs('web', 1));
    const ready = { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2025-01-01T00:00:00Z' }] } as Pod['status'];
    podCache.add({ ...pod('running', web), spec: { nodeName: 'n1', containers: [] }, status: ready });
    podCache.add({ ...pod('pending', web), spec: { nodeName: 'n1', containers: [] }, status: { phase: 'Pending' } });
    podCache.add(pod('unassigned', web));
    await ctrl.sync('ns/web');
    expect(podControl.actions.sort()).toEqual(['delete ns/pending', 'delete ns/unassigned']);
    expect(ctrl.expectations.get('ns/web')).toMatchObject({ add: 0, del: 2 });
    ctrl.expectations.deletionObserved('ns/web', 'ns/pending');
    ctrl.expectations.deletionObserved('ns/web', 'ns/pending'); // counted once
    expect(ctrl.expectations.satisfiedExpectations('ns/web')).toBe(false);
  });

  it('adopts matching orphans and releases owned pods that no longer match', async () => {
    const { ctrl, podControl, addRS, podCache } = setup();
    const web = addRS(rs('web', 2));
    podCache.add(pod('orphan', undefined, { labels: { app: 'web' } }));
    podCache.add(pod('strayed', web, { labels: { app: 'other' } }));
    podCache.add(pod('mine', web));
    podCache.add(pod('dying-orphan', undefined, { labels: { app: 'web' }, deletionTimestamp: '2025-01-01T00:00:00Z' }));
    await ctrl.sync('ns/web');
    const uid = web.metadata!.uid;
    expect(podControl.actions).toEqual([
      `patch ns/orphan {"metadata":{"ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"web","uid":"${uid}","controller":true,"blockOwnerDeletion":true}],"uid":"uid-orphan"}}`,
      `patch ns/strayed {"metadata":{"ownerReferences":[{"$patch":"delete","uid":"${uid}"}],"uid":"uid-strayed"}}`,
    ]);
  });

  it('counts terminating pods and computes ready/available with minReadySeconds on the injected clock', async () => {
    const { ctrl, addRS, podCache, api, clock, rsCache } = setup();
    const spec = rs('web', 2);
    spec.spec!.minReadySeconds = 10;
    const web = addRS(spec);
    const readySince = (t: number) => ({ phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: new Date(t).toISOString() }] }) as Pod['status'];
    podCache.add(pod('a', web, {}, readySince(T0 - 60_000)));
    podCache.add(pod('b', web, {}, readySince(T0 - 5_000)));
    podCache.add(pod('c', web, { deletionTimestamp: '2025-01-01T00:00:00Z' }));
    await ctrl.sync('ns/web');
    expect(api.get(resources.replicaSets, 'ns', 'web')!.status).toMatchObject({ replicas: 2, fullyLabeledReplicas: 2, readyReplicas: 2, availableReplicas: 1, terminatingReplicas: 1 });
    // Ready == replicas but not all available: looked at again after minReadySeconds.
    expect(ctrl.queue.waitingLen()).toBe(1);
    clock.step(10_000);
    // The status write bumped the resourceVersion: the cache follows, as a watch would.
    rsCache.update(api.get(resources.replicaSets, 'ns', 'web')!);
    await ctrl.sync('ns/web');
    expect(api.get(resources.replicaSets, 'ns', 'web')!.status).toMatchObject({ availableReplicas: 2 });
  });

  it('forgets a deleted ReplicaSet', async () => {
    const { ctrl } = setup();
    ctrl.expectations.expectCreations('ns/gone', 3);
    await ctrl.sync('ns/gone');
    expect(ctrl.expectations.get('ns/gone')).toBeUndefined();
  });
});
