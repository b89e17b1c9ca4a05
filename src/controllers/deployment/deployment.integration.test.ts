// The Deployment controller against a real API server in this process. No ReplicaSet controller
// runs: the tests play its part by writing ReplicaSet status (replicas, availability,
// observedGeneration) through replicasets/status, one step at a time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import { isConflict, resources } from '../../client/index.js';
import { eventually, startTestCluster, type TestCluster } from '../testing/cluster.js';
import { deploymentControllerFactory } from './index.js';

const NS = 'default';
let c: TestCluster;

beforeAll(async () => {
  c = await startTestCluster();
  await c.run({ deployment: deploymentControllerFactory });
});
afterAll(async () => {
  await c?.stop();
});

const deps = () => c.admin.resource(resources.deployments).namespace(NS);
const rss = () => c.admin.resource(resources.replicaSets).namespace(NS);

function deployment(name: string, spec: Partial<NonNullable<Deployment['spec']>> = {}, image = 'nginx:1'): Deployment {
  return {
    metadata: { name, namespace: NS },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image }] } },
      ...spec,
    },
  };
}

async function rsOf(d: string): Promise<ReplicaSet[]> {
  const list = await rss().list({ labelSelector: `app=${d}` });
  return list.items.sort((a, b) => revision(a) - revision(b));
}

const revision = (o: { metadata?: { annotations?: Record<string, string> } }) => Number(o.metadata?.annotations?.['deployment.kubernetes.io/revision'] ?? 0);

/** Plays the ReplicaSet controller: every replica exists and (when `available`) is available. */
async function settleReplicaSets(d: string, available = true): Promise<void> {
  for (const rs of await rsOf(d)) {
    for (;;) {
      const fresh = await rss().get(rs.metadata!.name!);
      const n = fresh.spec?.replicas ?? 0;
      const a = available ? n : 0;
      const want = { replicas: n, fullyLabeledReplicas: n, readyReplicas: a, availableReplicas: a, observedGeneration: fresh.metadata?.generation };
      if (JSON.stringify({ ...fresh.status }) === JSON.stringify(want)) break;
      try {
        await rss().updateStatus({ ...fresh, status: want });
        break;
      } catch (e) {
        if (!isConflict(e)) throw e;
      }
    }
  }
}

/** Updates a Deployment with a fresh read (retrying conflicts with the controller). */
async function change(name: string, f: (d: Deployment) => void): Promise<Deployment> {
  for (;;) {
    const d = await deps().get(name);
    f(d);
    try {
      return await deps().update(d);
    } catch (e) {
      if (!isConflict(e)) throw e;
    }
  }
}

/** What `kubectl rollout status` waits for. */
function rolledOut(d: Deployment): boolean {
  const s = d.status ?? {};
  const want = d.spec?.replicas ?? 0;
  return (s.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0) && (s.updatedReplicas ?? 0) === want && (s.replicas ?? 0) === want && (s.availableReplicas ?? 0) === want;
}

/** Drives a rollout to its end, checking every step's sizes with `check`. */
async function driveRollout(name: string, check: (rsList: ReplicaSet[]) => void): Promise<Deployment> {
  for (let i = 0; i < 200; i++) {
    await settleReplicaSets(name);
    check(await rsOf(name));
    const d = await deps().get(name);
    if (rolledOut(d) && (await rsOf(name)).every((rs) => rs.metadata?.annotations?.['deployment.kubernetes.io/revision'] !== undefined)) {
      const olds = (await rsOf(name)).filter((rs) => revision(rs) !== revision(d));
      if (olds.every((rs) => (rs.spec?.replicas ?? 0) === 0)) return d;
    }
    await new Promise((r) => setTimeout(r, 30));
  }
  throw new Error('rollout did not finish');
}

describe('Deployment controller', () => {
  it('creates one ReplicaSet named after the template hash, with revision 1, and reports status as rollout status needs', async () => {
    const created = await deps().create(deployment('web'));
    const rs = await eventually(async () => (await rsOf('web'))[0]);
    const hash = rs.metadata!.labels!['pod-template-hash']!;
    expect(hash).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]+$/);
    expect(rs.metadata!.name).toBe(`web-${hash}`);
    expect(rs.spec!.selector!.matchLabels).toEqual({ app: 'web', 'pod-template-hash': hash });
    expect(rs.spec!.template!.metadata!.labels).toEqual({ app: 'web', 'pod-template-hash': hash });
    expect(rs.spec!.replicas).toBe(3);
    expect(rs.metadata!.ownerReferences).toEqual([
      { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: created.metadata!.uid, controller: true, blockOwnerDeletion: true },
    ]);
    expect(rs.metadata!.annotations).toMatchObject({
      'deployment.kubernetes.io/revision': '1',
      'deployment.kubernetes.io/desired-replicas': '3',
      'deployment.kubernetes.io/max-replicas': '4',
    });
    const progressing = await eventually(async () => {
      const d = await deps().get('web');
      return d.metadata?.annotations?.['deployment.kubernetes.io/revision'] === '1' && d.status?.conditions?.find((x) => x.type === 'Progressing');
    });
    expect(progressing).toMatchObject({ status: 'True', reason: 'NewReplicaSetCreated', message: `Created new replica set "web-${hash}"` });

    await settleReplicaSets('web');
    const d = await eventually(async () => {
      const x = await deps().get('web');
      return rolledOut(x) && x.status?.conditions?.some((k) => k.reason === 'NewReplicaSetAvailable') && x;
    });
    expect(d.status).toMatchObject({ replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3, observedGeneration: d.metadata!.generation });
    expect(d.status!.unavailableReplicas ?? 0).toBe(0);
    const byType = Object.fromEntries(d.status!.conditions!.map((k) => [k.type, k]));
    expect(byType.Available).toMatchObject({ status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' });
    expect(byType.Progressing).toMatchObject({ status: 'True', reason: 'NewReplicaSetAvailable', message: `ReplicaSet "web-${hash}" has successfully progressed.` });

    const events = await c.admin.resource(resources.events).namespace(NS).list();
    expect(events.items.some((e) => e.reason === 'ScalingReplicaSet' && e.message === `Scaled up replica set web-${hash} from 0 to 3` && e.source?.component === 'deployment-controller')).toBe(true);
  });

  it('rolls a new image out with maxSurge 1 / maxUnavailable 0 in steps, never above 4 nor below 3 available', async () => {
    const strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } };
    await deps().create(deployment('roll', { strategy }));
    await eventually(async () => (await rsOf('roll')).length === 1);
    await driveRollout('roll', () => undefined);

    await change('roll', (d) => void (d.spec!.template!.spec!.containers[0]!.image = 'nginx:2'));
    const sizes: string[] = [];
    const d = await driveRollout('roll', (list) => {
      const total = list.reduce((n, rs) => n + (rs.spec?.replicas ?? 0), 0);
      expect(total).toBeLessThanOrEqual(4);
      const available = list.reduce((n, rs) => n + Math.min(rs.status?.availableReplicas ?? 0, rs.spec?.replicas ?? 0), 0);
      expect(available).toBeGreaterThanOrEqual(3);
      const s = list.map((rs) => rs.spec?.replicas).join('/');
      if (sizes.at(-1) !== s) sizes.push(s);
    });
    const list = await rsOf('roll');
    expect(list).toHaveLength(2);
    expect(list.map(revision)).toEqual([1, 2]);
    expect(list.map((rs) => rs.spec!.replicas)).toEqual([0, 3]);
    expect(list[1]!.spec!.template!.spec!.containers[0]!.image).toBe('nginx:2');
    expect(d.metadata!.annotations!['deployment.kubernetes.io/revision']).toBe('2');
    // Steps of one: 3/1 → 2/1 → 2/2 → 1/2 → … → 0/3.
    expect(sizes.length).toBeGreaterThanOrEqual(4);
    expect(sizes.at(-1)).toBe('0/3');
  });

  it('undo (the template patched back) reuses the old ReplicaSet with the next revision and a revision-history', async () => {
    await change('roll', (d) => void (d.spec!.template!.spec!.containers[0]!.image = 'nginx:1'));
    await driveRollout('roll', () => undefined);
    const list = await rsOf('roll');
    expect(list).toHaveLength(2);
    const current = list.find((rs) => rs.spec?.template?.spec?.containers[0]?.image === 'nginx:1')!;
    expect(current.metadata!.annotations).toMatchObject({ 'deployment.kubernetes.io/revision': '3', 'deployment.kubernetes.io/revision-history': '1' });
    expect(current.spec!.replicas).toBe(3);
  });

  it('Recreate scales every old ReplicaSet to 0 before the new one gets replicas', async () => {
    await deps().create(deployment('rec', { strategy: { type: 'Recreate' } }));
    await eventually(async () => (await rsOf('rec')).length === 1);
    await driveRollout('rec', () => undefined);
    await change('rec', (d) => void (d.spec!.template!.spec!.containers[0]!.image = 'nginx:2'));
    // Old scaled to 0 first; no new ReplicaSet while the old one still reports replicas.
    await eventually(async () => (await rsOf('rec'))[0]!.spec!.replicas === 0);
    await new Promise((r) => setTimeout(r, 150));
    expect(await rsOf('rec')).toHaveLength(1);
    const d = await driveRollout('rec', (list) => {
      if (list.length === 2) expect(list[0]!.status?.replicas ?? 0).toBe(0);
    });
    const list = await rsOf('rec');
    expect(list.map((rs) => rs.spec!.replicas)).toEqual([0, 3]);
    expect(d.metadata!.annotations!['deployment.kubernetes.io/revision']).toBe('2');
  });

  it('keeps at most revisionHistoryLimit old ReplicaSets', async () => {
    await deps().create(deployment('hist', { revisionHistoryLimit: 1, replicas: 1 }));
    await eventually(async () => (await rsOf('hist')).length === 1);
    await driveRollout('hist', () => undefined);
    for (const image of ['nginx:2', 'nginx:3']) {
      await change('hist', (d) => void (d.spec!.template!.spec!.containers[0]!.image = image));
      await driveRollout('hist', () => undefined);
    }
    const list = await eventually(async () => {
      const l = await rsOf('hist');
      return l.length === 2 && l;
    });
    expect(list.map(revision)).toEqual([2, 3]);
  });

  it('does not roll out while paused, and does once resumed', async () => {
    await deps().create(deployment('pause', { replicas: 2 }));
    await eventually(async () => (await rsOf('pause')).length === 1);
    await driveRollout('pause', () => undefined);
    await change('pause', (d) => void (d.spec!.paused = true));
    await eventually(async () => (await deps().get('pause')).status?.conditions?.some((k) => k.type === 'Progressing' && k.reason === 'DeploymentPaused'));
    await change('pause', (d) => void (d.spec!.template!.spec!.containers[0]!.image = 'nginx:2'));
    await new Promise((r) => setTimeout(r, 200));
    expect(await rsOf('pause')).toHaveLength(1);
    // Scaling while paused still works (proportional scaling of the active ReplicaSet).
    await change('pause', (d) => void (d.spec!.replicas = 4));
    await eventually(async () => (await rsOf('pause'))[0]!.spec!.replicas === 4);
    expect(await rsOf('pause')).toHaveLength(1);

    await change('pause', (d) => void (d.spec!.paused = false));
    await eventually(async () => (await rsOf('pause')).length === 2);
    const d = await driveRollout('pause', () => undefined);
    expect(d.metadata!.annotations!['deployment.kubernetes.io/revision']).toBe('2');
  });

  it('spreads a resize in the middle of a rollout proportionally', async () => {
    const strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 3, maxUnavailable: 2 } };
    await deps().create(deployment('prop', { replicas: 10, strategy }));
    await eventually(async () => (await rsOf('prop')).length === 1);
    await driveRollout('prop', () => undefined);
    // A new template whose ReplicaSet never becomes available: the rollout stalls at 8/5.
    await change('prop', (d) => void (d.spec!.template!.spec!.containers[0]!.image = 'broken'));
    await eventually(async () => {
      const l = await rsOf('prop');
      return l.length === 2 && l.map((rs) => rs.spec?.replicas).join('/') === '8/5';
    });
    await change('prop', (d) => void (d.spec!.replicas = 20));
    // 13 → 23 replicas: old 8 → 8*23/13 ≈ 14, new 5 → 5*23/13 ≈ 9 (leftovers to the largest).
    const sizes = await eventually(async () => {
      const l = await rsOf('prop');
      const total = l.reduce((n, rs) => n + (rs.spec?.replicas ?? 0), 0);
      return total === 23 && l.map((rs) => rs.spec?.replicas).join('/');
    });
    expect(sizes).toBe('14/9');
  });

  it('reports ProgressDeadlineExceeded when a rollout makes no progress in progressDeadlineSeconds', async () => {
    await deps().create(deployment('stuck', { replicas: 1, progressDeadlineSeconds: 1 }));
    const cond = await eventually(async () => {
      const d = await deps().get('stuck');
      const p = d.status?.conditions?.find((k) => k.type === 'Progressing');
      return p?.reason === 'ProgressDeadlineExceeded' && p;
    }, 250);
    expect(cond).toMatchObject({ status: 'False', message: expect.stringMatching(/^ReplicaSet "stuck-[a-z0-9]+" has timed out progressing\.$/) });
  });
});
