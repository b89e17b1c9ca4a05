// Objects every cluster has from its first start: the system namespaces and the `kubernetes`
// Service in default pointing at this API server. Created through the object layer, so they get
// the same defaulting and validation as anything a client writes.
import type { KObject } from '../api/strategies/types.js';
import type { ApiServerContext } from './handlers/scope.js';
import { storeFor } from './handlers/scope.js';
import { StatusError } from '../api/errors.js';
import { SYSTEM_PRIORITY_CLASSES } from './admission/priority.js';

export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];
export const KUBERNETES_SERVICE_IP = '10.96.0.1';

async function ensure(ctx: ApiServerContext, group: string, version: string, resource: string, namespace: string, obj: KObject): Promise<void> {
  const info = ctx.registry.get(group, version, resource)!;
  const rstore = storeFor(ctx, info)!;
  const strategy = ctx.strategies(info.group, info.kind);
  try {
    await rstore.get(namespace, obj.metadata!.name);
    return;
  } catch (e) {
    if (!(e instanceof StatusError) || e.code !== 404) throw e;
  }
  strategy.default?.(obj);
  try {
    await rstore.create(namespace, obj, { dryRun: false });
  } catch (e) {
    // Another server of the same cluster may have created it first.
    if (!(e instanceof StatusError) || e.code !== 409) throw e;
  }
}

export async function bootstrap(ctx: ApiServerContext, opts: { advertiseAddress: string; port: number; kubernetesServiceIP?: string }): Promise<void> {
  const ip = opts.kubernetesServiceIP ?? KUBERNETES_SERVICE_IP;
  for (const name of SYSTEM_NAMESPACES) {
    await ensure(ctx, '', 'v1', 'namespaces', '', { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'kubernetes.io/metadata.name': name } }, spec: {} });
  }
  for (const pc of SYSTEM_PRIORITY_CLASSES) {
    await ensure(ctx, 'scheduling.k8s.io', 'v1', 'priorityclasses', '', {
      apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: pc.name }, value: pc.value, description: pc.description,
    });
  }
  await ensure(ctx, '', 'v1', 'services', 'default', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
    spec: {
      type: 'ClusterIP',
      clusterIP: ip,
      clusterIPs: [ip],
      ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: opts.port }],
      sessionAffinity: 'None',
    },
  });
  // Endpoints may not hold loopback addresses (upstream validation); a server bound to loopback
  // gets its endpoints from the services issue's reconciler once the node address is known.
  if (/^127\.|^::1$/.test(opts.advertiseAddress)) return;
  await ensure(ctx, '', 'v1', 'endpoints', 'default', {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
    subsets: [{ addresses: [{ ip: opts.advertiseAddress }], ports: [{ name: 'https', port: opts.port, protocol: 'TCP' }] }],
  });
  // The service proxy reads EndpointSlices, so the API server publishes its own as upstream does.
  await ensure(ctx, 'discovery.k8s.io', 'v1', 'endpointslices', 'default', {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { 'kubernetes.io/service-name': 'kubernetes', 'endpointslice.kubernetes.io/managed-by': 'endpointslicemirroring-controller.k8s.io' } },
    addressType: 'IPv4',
    endpoints: [{ addresses: [opts.advertiseAddress], conditions: { ready: true } }],
    ports: [{ name: 'https', port: opts.port, protocol: 'TCP' }],
  });
}
