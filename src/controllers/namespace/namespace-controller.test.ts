// Against a real in-process API server: deleting a namespace empties it, reports the
// NamespaceDeletion* conditions and finally lets the API server delete it.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Namespace } from 'kubernetes-types/core/v1.js';
import { isNotFound, resources } from '../../client/index.js';
import { eventually, startTestCluster, type TestCluster } from '../testing/cluster.js';
import { newGarbageCollectorFactory } from '../garbage-collector/index.js';
import { newNamespaceControllerFactory } from './index.js';

const run = promisify(execFile);
let cluster: TestCluster;

beforeAll(async () => {
  cluster = await startTestCluster();
  await cluster.run({
    namespace: newNamespaceControllerFactory({ deletionGracePeriodMs: 50 }),
    garbagecollector: newGarbageCollectorFactory({ resyncPeriodMs: 1000 }),
  });
}, 30_000);

afterAll(async () => {
  await cluster?.stop();
});

const namespaces = () => cluster.admin.resource(resources.namespaces);

async function fill(ns: string): Promise<void> {
  await namespaces().create({ metadata: { name: ns } });
  const cms = cluster.admin.resource(resources.configMaps).namespace(ns);
  await cms.create({ metadata: { name: 'a' }, data: { k: 'v' } });
  await cms.create({ metadata: { name: 'b' }, data: { k: 'v' } });
  await cluster.admin.resource(resources.deployments).namespace(ns).create({
    metadata: { name: 'web' },
    spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
  });
}

async function gone(name: string): Promise<boolean> {
  try {
    await namespaces().get(name);
    return false;
  } catch (e) {
    if (isNotFound(e)) return true;
    throw e;
  }
}

async function kubectlAvailable(): Promise<boolean> {
  try {
    await run('kubectl', ['version', '--client']);
    return true;
  } catch {
    return false;
  }
}

describe('namespace controller', () => {
  it('deletes every object in a deleted namespace, then the namespace', async () => {
    await fill('doomed');
    await namespaces().delete('doomed');
    const terminating = await namespaces().get('doomed');
    expect(terminating.status?.phase).toBe('Terminating');
    await eventually(() => gone('doomed'));
    // Recreated, the namespace is empty.
    await namespaces().create({ metadata: { name: 'doomed' } });
    expect((await cluster.admin.resource(resources.configMaps).namespace('doomed').list()).items).toEqual([]);
    expect((await cluster.admin.resource(resources.deployments).namespace('doomed').list()).items).toEqual([]);
  });

  it('kubectl delete namespace returns once the namespace is gone', async (t) => {
    if (!(await kubectlAvailable())) return t.skip();
    await fill('kubectl-ns');
    const { stdout } = await run('kubectl', ['--kubeconfig', cluster.server.kubeconfigPath, 'delete', 'namespace', 'kubectl-ns', '--timeout=30s'], { timeout: 40_000 });
    expect(stdout).toContain('namespace "kubectl-ns" deleted');
    expect(await gone('kubectl-ns')).toBe(true);
  }, 45_000);

  it('waits for content held by a finalizer and reports it in the conditions', async () => {
    await namespaces().create({ metadata: { name: 'held' } });
    const cms = cluster.admin.resource(resources.configMaps).namespace('held');
    await cms.create({ metadata: { name: 'stuck', finalizers: ['example.com/hold'] } });
    await namespaces().delete('held');
    const ns = await eventually(async () => {
      const n: Namespace = await namespaces().get('held');
      const c = n.status?.conditions?.find((x) => x.type === 'NamespaceContentRemaining');
      return c?.status === 'True' ? n : undefined;
    });
    const byType = Object.fromEntries(ns.status!.conditions!.map((c) => [c.type, c]));
    expect(byType.NamespaceContentRemaining!.message).toBe('Some resources are remaining: configmaps. has 1 resource instances');
    expect(byType.NamespaceFinalizersRemaining!.message).toBe('Some finalizers are remaining: example.com/hold in 1 resource instances');
    expect(byType.NamespaceFinalizersRemaining!.reason).toBe('SomeFinalizerRemain');
    expect(byType.NamespaceDeletionDiscoveryFailure!.status).toBe('False');
    expect(ns.spec?.finalizers).toEqual(['kubernetes']);
    // Released, the content goes and so does the namespace (on the next pass, at most ~8 s later).
    await cms.patch('stuck', { metadata: { finalizers: null } });
    await eventually(() => gone('held'), 1000);
  }, 30_000);
});
