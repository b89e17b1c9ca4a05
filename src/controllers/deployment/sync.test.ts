// The strategies against a recording fake API: objects seeded in the fake server (the listers
// read it), one call, then assertions on the writes and events.
import { describe, expect, it } from 'vitest';
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { ObjectReference } from 'kubernetes-types/core/v1.js';
import { RestClient, resources, type EventRecorder, type KubeObject } from '../../client/index.js';
import { FakeApiServer } from '../../client/testing/index.js';
import type { DeploymentSyncContext } from './context.js';
import { computeHash } from './hash.js';
import { rolloutRecreate } from './recreate.js';
import { rollback } from './rollback.js';
import { rolloutRolling } from './rolling.js';

const NS = 'ns';
const T0 = Date.UTC(2025, 0, 1);

function setup() {
  const api = new FakeApiServer();
  const events: string[] = [];
  const recorder: EventRecorder = {
    event: (_o: KubeObject | ObjectReference, type, reason, message) => void events.push(`${type} ${reason} ${message}`),
    annotatedEvent: () => undefined,
  };
  const lister = <T extends KubeObject>(r: Parameters<FakeApiServer['list']>[0]) => ({
    namespace: (ns: string) => ({
      list: () => api.list(r, ns) as unknown as T[],
      get: (name: string) => api.get(r, ns, name) as unknown as T | undefined,
    }),
  });
  const c: DeploymentSyncContext = {
    client: new RestClient(api),
    rsLister: lister(resources.replicaSets),
    podLister: lister(resources.pods),
    recorder,
    clock: { now: () => T0 },
    enqueueAfter: () => undefined,
    enqueueRateLimited: () => undefined,
  };
  const writes = () => api.writes().map((a) => `${a.verb} ${a.resource}${a.subresource ? '/' + a.subresource : ''} ${a.name}`.trim());
  return { api, c, events, writes };
}

const setStatus = (c: DeploymentSyncContext, rs: ReplicaSet) => c.client.resource(resources.replicaSets).namespace(NS).updateStatus(rs);

function deployment(image: string, opts: { replicas?: number; surge?: number; unavailable?: number; type?: string } = {}): Deployment {
  const type = opts.type ?? 'RollingUpdate';
  return {
    metadata: { name: 'web', namespace: NS, uid: 'd-uid', generation: 1 },
    spec: {
      replicas: opts.replicas ?? 3,
      selector: { matchLabels: { app: 'web' } },
      strategy: type === 'RollingUpdate' ? { type, rollingUpdate: { maxSurge: opts.surge ?? 1, maxUnavailable: opts.unavailable ?? 0 } } : { type },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image }] } },
    },
    status: {},
  };
}

function replicaSet(d: Deployment, image: string, revision: number, replicas: number, available: number, createdSec = revision): ReplicaSet {
  const template = structuredClone(d.spec!.template);
  template.spec!.containers[0]!.image = image;
  const hash = computeHash(template);
  template.metadata!.labels = { ...template.metadata!.labels, 'pod-template-hash': hash };
  return {
    metadata: {
      name: `web-${hash}`, namespace: NS, uid: `rs-${image}`, generation: 1,
      creationTimestamp: new Date(T0 + createdSec * 1000).toISOString(),
      labels: template.metadata!.labels,
      annotations: { 'deployment.kubernetes.io/revision': String(revision), 'deployment.kubernetes.io/desired-replicas': String(d.spec!.replicas), 'deployment.kubernetes.io/max-replicas': String(d.spec!.replicas! + 1) },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'd-uid', controller: true }],
    },
    spec: { replicas, selector: { matchLabels: { app: 'web', 'pod-template-hash': hash } }, template },
    status: { replicas, readyReplicas: available, availableReplicas: available, observedGeneration: 1 },
  };
}

describe('rolloutRolling', () => {
  it('creates the first ReplicaSet at full size, then records revision 1 and NewReplicaSetCreated', async () => {
    const { api, c, events, writes } = setup();
    const d = api.seed(resources.deployments, deployment('nginx:1'));
    await rolloutRolling(c, structuredClone(d), []);
    const hash = computeHash(d.spec!.template);
    // The revision annotation is patched when a status write does not keep it (as this fake).
    expect(writes()).toEqual(['create replicasets', 'update deployments/status web', 'patch deployments web', 'update deployments/status web']);
    const rs = api.get(resources.replicaSets, NS, `web-${hash}`)!;
    expect(rs.spec!.replicas).toBe(3);
    expect(rs.metadata!.labels).toEqual({ app: 'web', 'pod-template-hash': hash });
    expect(events).toEqual([`Normal ScalingReplicaSet Scaled up replica set web-${hash} from 0 to 3`]);
    const stored = api.get(resources.deployments, NS, 'web')!;
    expect(stored.metadata!.annotations!['deployment.kubernetes.io/revision']).toBe('1');
    expect(stored.status!.conditions!.find((x) => x.type === 'Progressing')).toMatchObject({ status: 'True', reason: 'NewReplicaSetCreated' });
  });

  it('surges the new ReplicaSet first, then scales the old one down as new replicas become available', async () => {
    const { api, c, events } = setup();
    const d = api.seed(resources.deployments, deployment('nginx:2'));
    const old = api.seed(resources.replicaSets, replicaSet(d, 'nginx:1', 1, 3, 3));
    await rolloutRolling(c, structuredClone(d), [old]);
    const newRS = api.list(resources.replicaSets, NS).find((x) => x.metadata!.uid !== old.metadata!.uid)!;
    expect(newRS.spec!.replicas).toBe(1);
    expect(newRS.metadata!.annotations!['deployment.kubernetes.io/revision']).toBe('2');
    expect(events).toEqual([`Normal ScalingReplicaSet Scaled up replica set ${newRS.metadata!.name} from 0 to 1`]);

    // The new replica is not available yet: maxUnavailable 0 keeps the old ReplicaSet whole.
    events.length = 0;
    const d2 = api.get(resources.deployments, NS, 'web')!;
    await rolloutRolling(c, structuredClone(d2), api.list(resources.replicaSets, NS));
    expect(events).toEqual([]);
    expect(api.get(resources.replicaSets, NS, old.metadata!.name!)!.spec!.replicas).toBe(3);

    // Now it is: one old replica goes.
    const ready = api.get(resources.replicaSets, NS, newRS.metadata!.name!)!;
    await setStatus(c, { ...ready, status: { replicas: 1, readyReplicas: 1, availableReplicas: 1, observedGeneration: 1 } });
    await rolloutRolling(c, structuredClone(api.get(resources.deployments, NS, 'web')!), api.list(resources.replicaSets, NS));
    expect(events).toEqual([`Normal ScalingReplicaSet Scaled down replica set ${old.metadata!.name} from 3 to 2`]);
  });

  it('removes unavailable old replicas first, so a broken old ReplicaSet does not block the rollout', async () => {
    const { api, c, events } = setup();
    const d = api.seed(resources.deployments, deployment('nginx:2', { surge: 0, unavailable: 1 }));
    const old = api.seed(resources.replicaSets, replicaSet(d, 'nginx:1', 1, 3, 1));
    const cur = api.seed(resources.replicaSets, replicaSet(d, 'nginx:2', 2, 0, 0));
    await rolloutRolling(c, structuredClone(d), [old, cur]);
    // minAvailable 2, 3 pods: one may go, and the unhealthy ones go first.
    expect(events).toEqual([`Normal ScalingReplicaSet Scaled down replica set ${old.metadata!.name} from 3 to 2`]);
  });

  it('bumps collisionCount when a ReplicaSet of that name with another template exists', async () => {
    const { api, c } = setup();
    const d = api.seed(resources.deployments, deployment('nginx:1'));
    const hash = computeHash(d.spec!.template);
    api.seed(resources.replicaSets, { metadata: { name: `web-${hash}`, namespace: NS }, spec: { selector: { matchLabels: { x: 'y' } }, template: { metadata: { labels: { x: 'y' } } } } });
    await expect(rolloutRolling(c, structuredClone(d), [])).rejects.toThrow(/already exists/);
    expect(api.get(resources.deployments, NS, 'web')!.status!.collisionCount).toBe(1);
    expect(computeHash(d.spec!.template, 1)).not.toBe(hash);
  });
});

describe('rolloutRecreate', () => {
  it('scales old ReplicaSets to 0 and creates nothing while old replicas remain', async () => {
    const { api, c, events, writes } = setup();
    const d = api.seed(resources.deployments, deployment('nginx:2', { type: 'Recreate' }));
    const old = api.seed(resources.replicaSets, replicaSet(d, 'nginx:1', 1, 3, 3));
    await rolloutRecreate(c, structuredClone(d), [old], new Map());
    expect(events).toEqual([`Normal ScalingReplicaSet Scaled down replica set ${old.metadata!.name} from 3 to 0`]);
    expect(writes().filter((w) => w.startsWith('create'))).toEqual([]);
    // Old status still says 3 replicas: still no new ReplicaSet.
    await rolloutRecreate(c, structuredClone(api.get(resources.deployments, NS, 'web')!), api.list(resources.replicaSets, NS), new Map());
    expect(api.list(resources.replicaSets, NS)).toHaveLength(1);
    // Gone: the new one is created at full size.
    const zero = api.get(resources.replicaSets, NS, old.metadata!.name!)!;
    await setStatus(c, { ...zero, status: { replicas: 0, observedGeneration: 2 } });
    await rolloutRecreate(c, structuredClone(api.get(resources.deployments, NS, 'web')!), api.list(resources.replicaSets, NS), new Map());
    expect(api.list(resources.replicaSets, NS).map((x) => x.spec!.replicas).sort()).toEqual([0, 3]);
  });
});

describe('rollback (deprecated annotation)', () => {
  it('copies the revision\'s template back and clears the request', async () => {
    const { api, c, events } = setup();
    const base = deployment('nginx:2');
    base.metadata!.annotations = { 'deprecated.deployment.rollback.to': '1', 'deployment.kubernetes.io/revision': '2' };
    const d = api.seed(resources.deployments, base);
    const old = api.seed(resources.replicaSets, replicaSet(d, 'nginx:1', 1, 0, 0));
    const cur = api.seed(resources.replicaSets, replicaSet(d, 'nginx:2', 2, 3, 3));
    await rollback(c, structuredClone(d), [old, cur]);
    const stored = api.get(resources.deployments, NS, 'web')!;
    expect(stored.spec!.template!.spec!.containers[0]!.image).toBe('nginx:1');
    expect(stored.spec!.template!.metadata!.labels).toEqual({ app: 'web' });
    expect(stored.metadata!.annotations!['deprecated.deployment.rollback.to']).toBeUndefined();
    expect(events).toContain('Normal DeploymentRollback Rolled back deployment "web" to revision 1');
  });
});
