// The ReplicaSet and ReplicationController controllers against a real API server in this process.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { Pod, ReplicationController } from 'kubernetes-types/core/v1.js';
import { resources } from '../../client/index.js';
import { eventually, startTestCluster, type TestCluster } from '../testing/cluster.js';
import { replicaSetControllerFactory, replicationControllerFactory } from './index.js';

const NS = 'default';
let c: TestCluster;

beforeAll(async () => {
  c = await startTestCluster();
  await c.run({ replicaset: replicaSetControllerFactory, replicationcontroller: replicationControllerFactory });
});
afterAll(async () => {
  await c?.stop();
});

const pods = () => c.admin.resource(resources.pods).namespace(NS);
const rss = () => c.admin.resource(resources.replicaSets).namespace(NS);

function replicaSet(name: string, replicas: number, app = name): ReplicaSet {
  return {
    metadata: { name, namespace: NS },
    spec: {
      replicas,
      selector: { matchLabels: { app } },
      template: { metadata: { labels: { app } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
    },
  };
}

async function podsOf(uid: string | undefined): Promise<Pod[]> {
  const list = await pods().list();
  return list.items.filter((p) => !p.metadata?.deletionTimestamp && p.metadata?.ownerReferences?.some((r) => r.uid === uid && r.controller));
}

async function setReady(pod: Pod, ready: boolean, nodeName?: string): Promise<void> {
  const name = pod.metadata!.name!;
  if (nodeName) {
    await pods().createSubresource(name, 'binding', { apiVersion: 'v1', kind: 'Binding', metadata: { name }, target: { kind: 'Node', name: nodeName } });
  }
  const fresh = await pods().get(name);
  const lastTransitionTime = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const conditions = [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime }];
  await pods().updateStatus({ ...fresh, status: { ...fresh.status, phase: 'Running', conditions } });
}

describe('ReplicaSet controller', () => {
  it('creates replicas pods owned by the ReplicaSet, then scales down to the best-ranked victims', async () => {
    const rs = await rss().create(replicaSet('web', 3));
    const uid = rs.metadata!.uid;
    const owned = await eventually(async () => {
      const p = await podsOf(uid);
      return p.length === 3 && p;
    });
    for (const p of owned) {
      expect(p.metadata!.generateName).toBe('web-');
      expect(p.metadata!.name!.startsWith('web-')).toBe(true);
      expect(p.metadata!.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid, controller: true, blockOwnerDeletion: true }]);
      expect(p.metadata!.labels).toEqual({ app: 'web' });
    }
    await eventually(async () => (await rss().get('web')).status?.replicas === 3);

    // One ready pod on a node; the other two are unassigned and not ready: they go first.
    const [keep] = owned;
    await setReady(keep!, true, 'node-a');
    await eventually(async () => (await rss().get('web')).status?.readyReplicas === 1);
    await rss().patch('web', { spec: { replicas: 1 } });
    const left = await eventually(async () => {
      const p = await podsOf(uid);
      return p.length === 1 && p;
    });
    expect(left[0]!.metadata!.name).toBe(keep!.metadata!.name);
    const st = await eventually(async () => {
      const s = (await rss().get('web')).status;
      return s?.replicas === 1 && s.observedGeneration === 2 && s;
    });
    expect(st).toMatchObject({ replicas: 1, fullyLabeledReplicas: 1, readyReplicas: 1, availableReplicas: 1, observedGeneration: 2 });

    const evs = await c.admin.resource(resources.events).namespace(NS).list();
    const reasons = evs.items.filter((e) => e.involvedObject?.name === 'web' && e.source?.component === 'replicaset-controller').map((e) => e.reason);
    expect(reasons).toContain('SuccessfulCreate');
    expect(reasons).toContain('SuccessfulDelete');
  });

  it('never creates more pods than replicas while its writes are in flight', async () => {
    const rs = await rss().create(replicaSet('many', 25));
    let max = 0;
    await eventually(async () => {
      const n = (await podsOf(rs.metadata!.uid)).length;
      max = Math.max(max, n);
      return n === 25 && (await rss().get('many')).status?.replicas === 25;
    });
    await new Promise((r) => setTimeout(r, 200));
    expect((await podsOf(rs.metadata!.uid)).length).toBe(25);
    expect(max).toBeLessThanOrEqual(25);
    const all = (await pods().list()).items.filter((p) => p.metadata?.labels?.app === 'many');
    expect(all).toHaveLength(25);
  });

  it('replaces a deleted pod', async () => {
    const rs = await rss().create(replicaSet('repl', 2));
    const uid = rs.metadata!.uid;
    const before = await eventually(async () => {
      const p = await podsOf(uid);
      return p.length === 2 && p;
    });
    await pods().delete(before[0]!.metadata!.name!);
    const after = await eventually(async () => {
      const p = await podsOf(uid);
      return p.length === 2 && !p.some((x) => x.metadata!.name === before[0]!.metadata!.name) && p;
    });
    expect(after.map((p) => p.metadata!.name)).toContain(before[1]!.metadata!.name);
  });

  it('adopts a matching orphan instead of creating a pod', async () => {
    await pods().create({ metadata: { name: 'orphan-1', namespace: NS, labels: { app: 'adopt' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
    // Let the controllers' pod cache see the orphan first (watches of two resources are not ordered).
    await eventually(() => c.ctx.informers.lister(resources.pods).namespace(NS).get('orphan-1'));
    const rs = await rss().create(replicaSet('adopt', 2));
    const owned = await eventually(async () => {
      const p = await podsOf(rs.metadata!.uid);
      return p.length === 2 && p;
    });
    const orphan = owned.find((p) => p.metadata!.name === 'orphan-1');
    expect(orphan?.metadata?.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'adopt', uid: rs.metadata!.uid, controller: true, blockOwnerDeletion: true }]);
  });

  it('releases a relabeled pod and creates a replacement', async () => {
    const rs = await rss().create(replicaSet('rel', 2));
    const uid = rs.metadata!.uid;
    const before = await eventually(async () => {
      const p = await podsOf(uid);
      return p.length === 2 && p;
    });
    const victim = before[0]!.metadata!.name!;
    await pods().patch(victim, { metadata: { labels: { app: 'elsewhere' } } });
    await eventually(async () => {
      const p = await podsOf(uid);
      return p.length === 2 && !p.some((x) => x.metadata!.name === victim);
    });
    const released = await eventually(async () => {
      const p = await pods().get(victim);
      return !p.metadata?.ownerReferences?.length && p;
    });
    expect(released.metadata!.labels).toEqual({ app: 'elsewhere' });
  });

  it('follows pod Ready conditions in status.readyReplicas', async () => {
    const rs = await rss().create(replicaSet('ready', 2));
    const owned = await eventually(async () => {
      const p = await podsOf(rs.metadata!.uid);
      return p.length === 2 && p;
    });
    await setReady(owned[0]!, true);
    await eventually(async () => (await rss().get('ready')).status?.readyReplicas === 1);
    await setReady(owned[1]!, true);
    await eventually(async () => {
      const s = (await rss().get('ready')).status;
      return s?.readyReplicas === 2 && s.availableReplicas === 2;
    });
    await setReady(owned[0]!, false);
    await eventually(async () => (await rss().get('ready')).status?.readyReplicas === 1);
  });

  it('runs a ReplicationController the same way', async () => {
    const rcs = c.admin.resource(resources.replicationControllers).namespace(NS);
    const rc: ReplicationController = {
      metadata: { name: 'legacy', namespace: NS },
      spec: { replicas: 2, selector: { app: 'legacy' }, template: { metadata: { labels: { app: 'legacy' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
    };
    const created = await rcs.create(rc);
    const owned = await eventually(async () => {
      const p = await podsOf(created.metadata!.uid);
      return p.length === 2 && p;
    });
    expect(owned[0]!.metadata!.ownerReferences).toEqual([{ apiVersion: 'v1', kind: 'ReplicationController', name: 'legacy', uid: created.metadata!.uid, controller: true, blockOwnerDeletion: true }]);
    await setReady(owned[0]!, true);
    await eventually(async () => {
      const s = (await rcs.get('legacy')).status;
      return s?.replicas === 2 && s.readyReplicas === 1 && s.fullyLabeledReplicas === 2 && s.observedGeneration === 1;
    });
    await rcs.patch('legacy', { spec: { replicas: 1 } });
    const left = await eventually(async () => {
      const p = await podsOf(created.metadata!.uid);
      return p.length === 1 && p;
    });
    expect(left[0]!.metadata!.name).toBe(owned[0]!.metadata!.name);
  });
});
