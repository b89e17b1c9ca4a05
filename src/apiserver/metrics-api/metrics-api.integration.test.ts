import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StatsSummary } from '../../api/kubelet/stats-summary.js';
import { startNodeProxyCluster, type NodeProxyCluster } from '../node-proxy/testing/harness.js';

let c: NodeProxyCluster;
const T = '2025-01-02T03:04:05Z';
const sample = (nano: number, bytes: number) => ({ cpu: { time: T, usageNanoCores: nano }, memory: { time: T, workingSetBytes: bytes } });
const stats: StatsSummary = {
  node: { nodeName: 'node-1', startTime: T, ...sample(250_000_000, 512 * 1024 * 1024 + 4096) },
  pods: [
    { podRef: { name: 'web', namespace: 'default', uid: 'u1' }, startTime: T, containers: [
      { name: 'app', startTime: T, ...sample(1_234_567, 10 * 1024 * 1024) },
      { name: 'side', startTime: T, ...sample(2_000_000, 4096) },
    ] },
    { podRef: { name: 'db', namespace: 'default', uid: 'u2' }, startTime: T, containers: [{ name: 'db', startTime: T, ...sample(5_000_000, 1000) }] },
  ],
};

beforeAll(async () => {
  c = await startNodeProxyCluster();
  c.kubelet.stats = stats;
  await c.addNode('node-down', { addresses: [{ type: 'InternalIP', address: '127.0.0.1' }], daemonEndpoints: { kubeletEndpoint: { Port: 1 } } });
  await c.createPod('web', { nodeName: 'node-1', containers: [{ name: 'app', image: 'x' }, { name: 'side', image: 'x' }] }, { phase: 'Running', labels: { app: 'web' } });
  await c.createPod('db', { nodeName: 'node-1', containers: [{ name: 'db', image: 'x' }] }, { phase: 'Running', labels: { app: 'db' } });
  await c.createPod('idle', { nodeName: 'node-1', containers: [{ name: 'idle', image: 'x' }] }, { phase: 'Running' });
});
afterAll(async () => c?.stop());

describe('metrics.k8s.io/v1beta1', () => {
  it('is advertised in legacy and aggregated discovery', async () => {
    const groups = (await c.call('GET', '/apis')).json();
    expect(groups.groups.find((g: { name: string }) => g.name === 'metrics.k8s.io')).toMatchObject({
      versions: [{ groupVersion: 'metrics.k8s.io/v1beta1', version: 'v1beta1' }], preferredVersion: { version: 'v1beta1' },
    });
    const list = (await c.call('GET', '/apis/metrics.k8s.io/v1beta1')).json();
    expect(list.resources.map((r: { name: string; kind: string; namespaced: boolean; verbs: string[] }) => [r.name, r.kind, r.namespaced, r.verbs])).toEqual([
      ['nodes', 'NodeMetrics', false, ['get', 'list']], ['pods', 'PodMetrics', true, ['get', 'list']],
    ]);
    const agg = await c.call('GET', '/apis', { headers: { accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList' } });
    const item = agg.json().items.find((i: { metadata: { name: string } }) => i.metadata.name === 'metrics.k8s.io');
    expect(item.versions[0].resources.map((r: { resource: string }) => r.resource)).toEqual(['nodes', 'pods']);
  });

  it('lists node metrics, leaving out nodes whose kubelet does not answer', async () => {
    const r = await c.call('GET', '/apis/metrics.k8s.io/v1beta1/nodes');
    expect(r.status).toBe(200);
    const body = r.json();
    expect(body).toMatchObject({ kind: 'NodeMetricsList', apiVersion: 'metrics.k8s.io/v1beta1' });
    expect(body.items).toHaveLength(1);
    expect(body.items[0]).toMatchObject({
      kind: 'NodeMetrics', apiVersion: 'metrics.k8s.io/v1beta1', metadata: { name: 'node-1' },
      timestamp: T, window: '10s', usage: { cpu: '250m', memory: '524292Ki' },
    });
    expect(c.kubelet.seen.some((s) => s.url === '/stats/summary' && s.clientCn === 'kube-apiserver-kubelet-client')).toBe(true);
  });

  it('gets one node, and 404s as metrics-server does', async () => {
    expect((await c.call('GET', '/apis/metrics.k8s.io/v1beta1/nodes/node-1')).json().usage.cpu).toBe('250m');
    const down = await c.call('GET', '/apis/metrics.k8s.io/v1beta1/nodes/node-down');
    expect(down.status).toBe(404);
    expect(down.json().message).toBe('nodemetrics.metrics.k8s.io "node-down" not found');
    expect((await c.call('GET', '/apis/metrics.k8s.io/v1beta1/nodes/nope')).json().message).toBe('nodes "nope" not found');
  });

  it('lists pod metrics with containers, filtered by label and field selectors', async () => {
    const all = (await c.call('GET', '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods')).json();
    expect(all.kind).toBe('PodMetricsList');
    expect(all.items.map((p: { metadata: { name: string } }) => p.metadata.name)).toEqual(['db', 'web']);
    const web = all.items[1];
    expect(web).toMatchObject({ metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } }, window: '10s' });
    expect(web.containers).toEqual([
      { name: 'app', usage: { cpu: '1234567n', memory: '10Mi' } },
      { name: 'side', usage: { cpu: '2m', memory: '4Ki' } },
    ]);
    const byLabel = (await c.call('GET', '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods?labelSelector=app%3Ddb')).json();
    expect(byLabel.items.map((p: { metadata: { name: string } }) => p.metadata.name)).toEqual(['db']);
    const byName = (await c.call('GET', '/apis/metrics.k8s.io/v1beta1/pods?fieldSelector=metadata.name%3Dweb')).json();
    expect(byName.items.map((p: { metadata: { name: string } }) => p.metadata.name)).toEqual(['web']);
  });

  it('gets one pod, and 404s for a pod without stats', async () => {
    expect((await c.call('GET', '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/db')).json().containers[0].usage).toEqual({ cpu: '5m', memory: '1k' }) // Go prints 1000 bytes (under 1Ki) in DecimalSI;
    const idle = await c.call('GET', '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/idle');
    expect(idle.status).toBe(404);
    expect(idle.json().message).toBe('podmetrics.metrics.k8s.io "default/idle" not found');
  });

  it('renders tables like metrics-server (kubectl get podmetrics)', async () => {
    const r = await c.call('GET', '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/web', { headers: { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' } });
    const t = r.json();
    expect(t.kind).toBe('Table');
    expect(t.columnDefinitions.map((d: { name: string }) => d.name)).toEqual(['Name', 'cpu', 'memory', 'Window']);
    expect(t.rows[0].cells).toEqual(['web', '3234567n', '10244Ki', '10s']);
  });

  it('refuses watch', async () => {
    expect((await c.call('GET', '/apis/metrics.k8s.io/v1beta1/nodes?watch=true')).status).toBe(405);
  });
});
