// The resource metrics API (metrics.k8s.io/v1beta1) served by the API server itself from the
// kubelets' /stats/summary, in place of a separate metrics-server.
import type { StatsSummary } from '../../api/kubelet/stats-summary.js';
import type { KObject } from '../../api/strategies/types.js';
import { storeFor, type ApiServerContext } from '../handlers/scope.js';
import type { KubeletClient } from '../node-proxy/kubelet-client.js';
import { readErrorBody } from '../node-proxy/kubelet-errors.js';
import { metricsApiHandler, type MetricsObjects } from './handler.js';
import { StatsCollector } from './stats-collector.js';

export { withMetricsApi, METRICS_GROUP, METRICS_VERSION, METRICS_KINDS } from './schema.js';
export { StatsCollector, type StatsCollectorOptions } from './stats-collector.js';
export { metricsApiHandler, type MetricsObjects, type MetricsApiOptions } from './handler.js';
export { nodeMetrics, podMetrics, cpuQuantity, memoryQuantity } from './convert.js';

/** Nodes and pods as the API server's own watch caches hold them. */
export function storedObjects(ctx: ApiServerContext): MetricsObjects {
  const store = (resource: string) => {
    const info = ctx.registry.get('', 'v1', resource);
    const rs = info && storeFor(ctx, info);
    if (!rs) throw new Error(`no store for ${resource}`);
    return rs;
  };
  const nodes = store('nodes');
  const pods = store('pods');
  return {
    async node(name) {
      await nodes.fresh();
      return nodes.cache.get(nodes.key('', name))?.obj;
    },
    async nodes() {
      await nodes.fresh();
      return nodes.cache.list('').map((e) => e.obj as KObject);
    },
    async pod(namespace, name) {
      await pods.fresh();
      return pods.cache.get(pods.key(namespace, name))?.obj;
    },
    async pods(namespace) {
      await pods.fresh();
      return pods.cache.list(namespace).map((e) => e.obj as KObject);
    },
  };
}

/** GET /stats/summary on a node's kubelet. */
export async function fetchStatsSummary(kubelet: KubeletClient, nodeName: string, signal: AbortSignal): Promise<StatsSummary> {
  const res = await kubelet.request(nodeName, { path: '/stats/summary', signal, headers: { accept: 'application/json' } });
  if (res.statusCode !== 200) throw new Error(`kubelet answered ${res.statusCode}: ${(await readErrorBody(res)).slice(0, 200)}`);
  const chunks: Buffer[] = [];
  for await (const c of res) chunks.push(c as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as StatsSummary;
}

export interface MetricsApiWiring {
  ctx: ApiServerContext;
  kubelet: KubeletClient;
  ttlMs?: number;
  timeoutMs?: number;
}

/** The metrics.k8s.io handler over the server's stores and kubelets. */
export function createMetricsApi(w: MetricsApiWiring) {
  const objects = storedObjects(w.ctx);
  const stats = new StatsCollector({
    nodeNames: async () => (await objects.nodes()).map((n) => n.metadata?.name ?? '').filter(Boolean),
    fetch: (name, signal) => fetchStatsSummary(w.kubelet, name, signal),
    ttlMs: w.ttlMs,
    timeoutMs: w.timeoutMs,
  });
  return metricsApiHandler({ objects, stats });
}
