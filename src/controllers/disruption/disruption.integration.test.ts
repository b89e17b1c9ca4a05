// Against a real in-process API server: the disruption controller keeps PDB status, the
// eviction subresource spends it, and the real kubectl drains a node through both.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1.js';
import { ApiError, RestClient, isNotFound, resources } from '../../client/index.js';
import { inProcessTransport } from '../../cli/in-process-transport.js';
import { eventually, startTestCluster, type TestCluster } from '../testing/cluster.js';
import { disruptionControllerFactory } from './index.js';

const run = promisify(execFile);
let cluster: TestCluster;
/** The admin without 429 retries, to see the eviction's answers. */
let admin: RestClient;

beforeAll(async () => {
  cluster = await startTestCluster();
  admin = new RestClient(inProcessTransport(cluster.server, { name: 'admin', groups: ['system:masters', 'system:authenticated'] }), { maxRetries: 0 });
  await cluster.run({ disruption: disruptionControllerFactory });
}, 30_000);

afterAll(async () => {
  await cluster?.stop();
});

const podsIn = (ns: string) => admin.resource(resources.pods).namespace(ns);
const pdbsIn = (ns: string) => admin.resource(resources.podDisruptionBudgets).namespace(ns);

async function namespace(name: string): Promise<void> {
  await admin.resource(resources.namespaces).create({ metadata: { name } });
}

/** A ReplicaSet (no controller runs for it) and `n` ready pods it controls. */
async function replicaSetWithPods(ns: string, name: string, n: number, o: { nodeName?: string; replicas?: number; emptyDir?: boolean } = {}): Promise<Pod[]> {
  const labels = { app: name };
  const rs = await admin.resource(resources.replicaSets).namespace(ns).create({
    metadata: { name },
    spec: { replicas: o.replicas ?? n, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
  });
  const owner = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name, uid: rs.metadata!.uid!, controller: true, blockOwnerDeletion: true };
  const out: Pod[] = [];
  for (let i = 0; i < n; i++) out.push(await readyPod(ns, `${name}-${i}`, labels, [owner], o));
  return out;
}

async function readyPod(ns: string, name: string, labels: Record<string, string>, ownerReferences: NonNullable<Pod['metadata']>['ownerReferences'], o: { nodeName?: string; emptyDir?: boolean } = {}): Promise<Pod> {
  const p = await podsIn(ns).create({
    metadata: { name, labels, ownerReferences },
    spec: {
      containers: [{ name: 'c', image: 'nginx', ...(o.emptyDir ? { volumeMounts: [{ name: 'scratch', mountPath: '/scratch' }] } : {}) }],
      terminationGracePeriodSeconds: 0,
      ...(o.nodeName ? { nodeName: o.nodeName } : {}),
      ...(o.emptyDir ? { volumes: [{ name: 'scratch', emptyDir: {} }] } : {}),
    },
  });
  return podsIn(ns).updateStatus({ ...p, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } });
}

function evict(ns: string, name: string): Promise<unknown> {
  return podsIn(ns).createSubresource(name, 'eviction', { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace: ns } });
}

async function gone(ns: string, name: string): Promise<boolean> {
  try {
    await podsIn(ns).get(name);
    return false;
  } catch (e) {
    if (isNotFound(e)) return true;
    throw e;
  }
}

async function statusOf(ns: string, name: string, want: (s: NonNullable<PodDisruptionBudget['status']>) => boolean) {
  return eventually(async () => {
    const s = (await pdbsIn(ns).get(name)).status;
    return s && want(s) ? s : undefined;
  });
}

async function kubectlAvailable(): Promise<boolean> {
  try {
    await run('kubectl', ['version', '--client']);
    return true;
  } catch {
    return false;
  }
}

describe('disruption controller and eviction', () => {
  it('minAvailable 2 over 3 ready pods allows one eviction, then answers 429', async () => {
    await namespace('pdb-min');
    const pods = await replicaSetWithPods('pdb-min', 'web', 3);
    await pdbsIn('pdb-min').create({ metadata: { name: 'web' }, spec: { minAvailable: 2, selector: { matchLabels: { app: 'web' } } } });
    const st = await statusOf('pdb-min', 'web', (s) => s.observedGeneration === 1 && s.currentHealthy === 3);
    expect(st).toMatchObject({ currentHealthy: 3, desiredHealthy: 2, expectedPods: 3, disruptionsAllowed: 1 });
    expect(st.conditions).toEqual([expect.objectContaining({ type: 'DisruptionAllowed', status: 'True', reason: 'SufficientPods' })]);

    await evict('pdb-min', pods[0].metadata!.name!);
    expect(await gone('pdb-min', pods[0].metadata!.name!)).toBe(true);

    let err: unknown;
    await evict('pdb-min', pods[1].metadata!.name!).catch((e) => (err = e));
    expect(err).toBeInstanceOf(ApiError);
    const e = err as ApiError;
    expect(e.code).toBe(429);
    expect(e.message).toBe("Cannot evict pod as it would violate the pod's disruption budget.");
    expect(e.details?.causes?.[0]).toMatchObject({ reason: 'DisruptionBudget' });
    expect(e.details?.causes?.[0].message).toMatch(/^The disruption budget web needs 2 healthy pods and has [23] currently$/);
    expect(await gone('pdb-min', pods[1].metadata!.name!)).toBe(false);

    // The controller settles on the two pods left; the deleted one leaves disruptedPods.
    const after = await statusOf('pdb-min', 'web', (s) => s.currentHealthy === 2 && !s.disruptedPods);
    expect(after).toMatchObject({ desiredHealthy: 2, expectedPods: 2, disruptionsAllowed: 0 });
    expect(after.conditions).toEqual([expect.objectContaining({ status: 'False', reason: 'InsufficientPods' })]);
  });

  it('maxUnavailable as a percent of a Deployment scale, through its ReplicaSet', async () => {
    await namespace('pdb-deploy');
    const labels = { app: 'api' };
    const template = { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'nginx' }] } };
    const d = await admin.resource(resources.deployments).namespace('pdb-deploy').create({ metadata: { name: 'api' }, spec: { replicas: 4, selector: { matchLabels: labels }, template } });
    const rs = await admin.resource(resources.replicaSets).namespace('pdb-deploy').create({
      metadata: { name: 'api-1', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'api', uid: d.metadata!.uid!, controller: true }] },
      spec: { replicas: 4, selector: { matchLabels: labels }, template },
    });
    const owner = [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'api-1', uid: rs.metadata!.uid!, controller: true }];
    for (let i = 0; i < 3; i++) await readyPod('pdb-deploy', `api-${i}`, labels, owner);
    await pdbsIn('pdb-deploy').create({ metadata: { name: 'api' }, spec: { maxUnavailable: '30%', selector: { matchLabels: labels } } });
    // expected 4 (the Deployment's replicas), 30% of 4 rounds up to 2 unavailable → desired 2.
    const st = await statusOf('pdb-deploy', 'api', (s) => s.observedGeneration === 1 && s.expectedPods === 4);
    expect(st).toMatchObject({ currentHealthy: 3, desiredHealthy: 2, disruptionsAllowed: 1 });
  });

  it('pods without a controller count for an integer minAvailable, not for percentages', async () => {
    await namespace('pdb-orphan');
    await readyPod('pdb-orphan', 'lone', { app: 'lone', tier: 'x' }, undefined);
    await pdbsIn('pdb-orphan').create({ metadata: { name: 'int' }, spec: { minAvailable: 0, selector: { matchLabels: { app: 'lone' } } } });
    const st = await statusOf('pdb-orphan', 'int', (s) => s.observedGeneration === 1);
    expect(st).toMatchObject({ expectedPods: 1, currentHealthy: 1, desiredHealthy: 0, disruptionsAllowed: 1 });
    await pdbsIn('pdb-orphan').create({ metadata: { name: 'pct' }, spec: { maxUnavailable: '50%', selector: { matchLabels: { tier: 'x' } } } });
    const pct = await statusOf('pdb-orphan', 'pct', (s) => s.observedGeneration === 1);
    expect(pct).toMatchObject({ expectedPods: 0, currentHealthy: 1, desiredHealthy: 0, disruptionsAllowed: 0 });
    const events = await admin.resource(resources.events).namespace('pdb-orphan').list();
    expect(events.items.some((e) => e.reason === 'UnmanagedPods' && e.involvedObject.name === 'pct')).toBe(true);
  });

  it('resets a stale DisruptionTarget condition of a pod that was not deleted', async () => {
    await namespace('pdb-stale');
    const p = await readyPod('pdb-stale', 'kept', { app: 'kept' }, undefined);
    const old = new Date(Date.now() - 5 * 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
    await podsIn('pdb-stale').updateStatus({
      ...p,
      status: { ...p.status, conditions: [...(p.status?.conditions ?? []), { type: 'DisruptionTarget', status: 'True', reason: 'EvictionByEvictionAPI', message: 'Eviction API: evicting', lastTransitionTime: old }] },
    });
    const cond = await eventually(async () => {
      const c = (await podsIn('pdb-stale').get('kept')).status?.conditions?.find((x) => x.type === 'DisruptionTarget');
      return c?.status === 'False' ? c : undefined;
    });
    expect(cond.reason).toBeUndefined();
  });

  it('without a budget an eviction just deletes the pod', async () => {
    await namespace('no-pdb');
    const [p] = await replicaSetWithPods('no-pdb', 'solo', 1);
    await evict('no-pdb', p.metadata!.name!);
    expect(await gone('no-pdb', p.metadata!.name!)).toBe(true);
  });

  it('kubectl drain cordons the node and evicts its pods', async (t) => {
    if (!(await kubectlAvailable())) return t.skip();
    const ns = 'drain';
    await namespace(ns);
    await admin.resource(resources.nodes).create({ metadata: { name: 'node-a', labels: { 'kubernetes.io/hostname': 'node-a' } } });
    const pods = await replicaSetWithPods(ns, 'app', 2, { nodeName: 'node-a', emptyDir: true });
    await pdbsIn(ns).create({ metadata: { name: 'app' }, spec: { maxUnavailable: 2, selector: { matchLabels: { app: 'app' } } } });
    await statusOf(ns, 'app', (s) => s.observedGeneration === 1 && s.disruptionsAllowed === 2);
    const ds = await admin.resource(resources.daemonSets).namespace(ns).create({
      metadata: { name: 'agent' },
      spec: { selector: { matchLabels: { app: 'agent' } }, template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } },
    });
    await readyPod(ns, 'agent-x', { app: 'agent' }, [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'agent', uid: ds.metadata!.uid!, controller: true }], { nodeName: 'node-a' });

    const home = mkdtempSync(join(tmpdir(), 'k8ts-drain-home-'));
    try {
      const { stdout, stderr } = await run(
        'kubectl',
        ['--kubeconfig', cluster.server.kubeconfigPath, 'drain', 'node-a', '--ignore-daemonsets', '--delete-emptydir-data', '--timeout=20s'],
        { timeout: 40_000, env: { ...process.env, HOME: home } },
      );
      const out = stdout + stderr;
      expect(out).toContain('node/node-a cordoned');
      for (const p of pods) expect(out).toContain(`pod/${p.metadata!.name} evicted`);
      expect(out).toContain('node/node-a drained');
      expect(out).toMatch(/ignoring DaemonSet-managed Pods: drain\/agent-x/);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
    const node = await admin.resource(resources.nodes).get('node-a');
    expect(node.spec?.unschedulable).toBe(true);
    for (const p of pods) expect(await gone(ns, p.metadata!.name!)).toBe(true);
    expect(await gone(ns, 'agent-x')).toBe(false);
  }, 60_000);

  it('kubectl drain retries while a budget forbids, and times out', async (t) => {
    if (!(await kubectlAvailable())) return t.skip();
    const ns = 'drain-blocked';
    await namespace(ns);
    await admin.resource(resources.nodes).create({ metadata: { name: 'node-b' } });
    const pods = await replicaSetWithPods(ns, 'db', 2, { nodeName: 'node-b' });
    await pdbsIn(ns).create({ metadata: { name: 'db' }, spec: { minAvailable: 2, selector: { matchLabels: { app: 'db' } } } });
    await statusOf(ns, 'db', (s) => s.observedGeneration === 1 && s.currentHealthy === 2);
    const home = mkdtempSync(join(tmpdir(), 'k8ts-drain-home-'));
    let out = '';
    try {
      await run('kubectl', ['--kubeconfig', cluster.server.kubeconfigPath, 'drain', 'node-b', '--timeout=3s'], { timeout: 40_000, env: { ...process.env, HOME: home } });
    } catch (e) {
      out = String((e as { stdout?: string }).stdout) + String((e as { stderr?: string }).stderr);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
    expect(out).toContain("Cannot evict pod as it would violate the pod's disruption budget.");
    expect(out).toMatch(/error: unable to drain node "node-b"/);
    for (const p of pods) expect(await gone(ns, p.metadata!.name!)).toBe(false);
  }, 60_000);
});
