// @kubernetes/client-node 1.4 against a real k8ts server: typed CRUD, list paging, watch,
// optimistic concurrency, patches and status.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import * as k8s from '@kubernetes/client-node';
import { startServer, cleanup, type ServerHandle } from './harness.js';

describe('@kubernetes/client-node', () => {
  let s: ServerHandle;
  let kc: k8s.KubeConfig;
  let core: k8s.CoreV1Api;
  let apps: k8s.AppsV1Api;
  beforeAll(async () => {
    // The deployment controller would write the status this suite writes by hand.
    s = await startServer({ datastore: 'memory://', extraArgs: ['--controllers=*,-deployment'] });
    kc = new k8s.KubeConfig();
    kc.loadFromFile(s.kubeconfig);
    core = kc.makeApiClient(k8s.CoreV1Api);
    apps = kc.makeApiClient(k8s.AppsV1Api);
  });
  afterAll(async () => {
    await s?.stop();
    if (s) cleanup(s);
  });

  it('creates, reads, lists and deletes with typed clients', async () => {
    await core.createNamespace({ body: { metadata: { name: 'cn' } } });
    const pod = await core.createNamespacedPod({
      namespace: 'cn',
      body: { metadata: { name: 'p1', labels: { app: 'x' } }, spec: { containers: [{ name: 'c', image: 'busybox', command: ['sleep', '3600'] }] } },
    });
    expect(pod.metadata!.uid).toBeTruthy();
    expect(pod.spec!.restartPolicy).toBe('Always');
    expect(pod.spec!.schedulerName).toBe('default-scheduler');
    expect(pod.status!.phase).toBe('Pending');
    const got = await core.readNamespacedPod({ namespace: 'cn', name: 'p1' });
    // The scheduler may already have written PodScheduled=False (no nodes): same pod, newer version.
    expect(got.metadata!.uid).toBe(pod.metadata!.uid);
    expect(Number(got.metadata!.resourceVersion)).toBeGreaterThanOrEqual(Number(pod.metadata!.resourceVersion));
    const list = await core.listNamespacedPod({ namespace: 'cn', labelSelector: 'app=x' });
    expect(list.items.map((p) => p.metadata!.name)).toEqual(['p1']);
    await core.deleteNamespacedPod({ namespace: 'cn', name: 'p1' });
    await expect(core.readNamespacedPod({ namespace: 'cn', name: 'p1' })).rejects.toMatchObject({ code: 404 });
  });

  it('pages a list with limit and continue', async () => {
    for (let i = 0; i < 7; i++) await core.createNamespacedConfigMap({ namespace: 'cn', body: { metadata: { name: `page-${i}` } } });
    const names: string[] = [];
    let cont: string | undefined;
    let pages = 0;
    do {
      const r = await core.listNamespacedConfigMap({ namespace: 'cn', limit: 3, _continue: cont });
      names.push(...r.items.map((c) => c.metadata!.name!));
      cont = r.metadata!._continue;
      pages++;
    } while (cont);
    expect(pages).toBe(3);
    expect(names.filter((n) => n.startsWith('page-'))).toEqual(['page-0', 'page-1', 'page-2', 'page-3', 'page-4', 'page-5', 'page-6']);
  });

  it('update with a stale resourceVersion is a 409 Conflict', async () => {
    const cm = await core.createNamespacedConfigMap({ namespace: 'cn', body: { metadata: { name: 'occ' }, data: { a: '1' } } });
    await core.replaceNamespacedConfigMap({ namespace: 'cn', name: 'occ', body: { ...cm, data: { a: '2' } } });
    await expect(core.replaceNamespacedConfigMap({ namespace: 'cn', name: 'occ', body: { ...cm, data: { a: '3' } } })).rejects.toMatchObject({ code: 409 });
  });

  it('watches deliver ADDED, MODIFIED and DELETED in order', async () => {
    const watch = new k8s.Watch(kc);
    const seen: string[] = [];
    const list = await core.listNamespacedConfigMap({ namespace: 'cn' });
    let done!: () => void;
    const finished = new Promise<void>((r) => (done = r));
    const req = await watch.watch('/api/v1/namespaces/cn/configmaps', { resourceVersion: list.metadata!.resourceVersion }, (type, obj) => {
      if (obj.metadata.name !== 'w') return;
      seen.push(`${type}:${obj.data?.v ?? ''}`);
      if (type === 'DELETED') done();
    }, () => {});
    await core.createNamespacedConfigMap({ namespace: 'cn', body: { metadata: { name: 'w' }, data: { v: '1' } } });
    await core.patchNamespacedConfigMap({ namespace: 'cn', name: 'w', body: { data: { v: '2' } } }, k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch));
    await core.deleteNamespacedConfigMap({ namespace: 'cn', name: 'w' });
    await finished;
    req.abort();
    expect(seen).toEqual(['ADDED:1', 'MODIFIED:2', 'DELETED:2']);
  });

  it('status writes change only status, main writes keep it', async () => {
    const d = await apps.createNamespacedDeployment({
      namespace: 'cn',
      body: { metadata: { name: 'd' }, spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } } },
    });
    expect(d.spec!.replicas).toBe(1);
    expect(d.metadata!.generation).toBe(1);
    const withStatus = await apps.replaceNamespacedDeploymentStatus({ namespace: 'cn', name: 'd', body: { ...d, spec: { ...d.spec!, replicas: 9 }, status: { replicas: 4, observedGeneration: 1 } } });
    expect(withStatus.status!.replicas).toBe(4);
    expect(withStatus.spec!.replicas).toBe(1);
    const main = await apps.replaceNamespacedDeployment({ namespace: 'cn', name: 'd', body: { ...withStatus, spec: { ...withStatus.spec!, replicas: 2 }, status: { replicas: 99 } } });
    expect(main.status!.replicas).toBe(4);
    expect(main.spec!.replicas).toBe(2);
    expect(main.metadata!.generation).toBe(2);
    const scale = await apps.readNamespacedDeploymentScale({ namespace: 'cn', name: 'd' });
    expect(scale.spec!.replicas).toBe(2);
    expect(scale.status!.selector).toBe('a=b');
  });

  it('dry run validates without writing', async () => {
    const r = await core.createNamespacedConfigMap({ namespace: 'cn', dryRun: 'All', body: { metadata: { name: 'dry' } } });
    expect(r.metadata!.name).toBe('dry');
    await expect(core.readNamespacedConfigMap({ namespace: 'cn', name: 'dry' })).rejects.toMatchObject({ code: 404 });
  });
});
