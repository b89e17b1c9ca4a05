// The cluster as the DNS server sees it, read from shared informers' caches (services,
// EndpointSlices, namespaces, and pods only for the 'verified' pod mode). Indexes make the
// per-query lookups (slices of a service, owners of an address) cheap; the informers may be
// shared with other components of the agent, so index names carry a `dns/` prefix.
import type { Pod, Service } from 'kubernetes-types/core/v1.js';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import { resources, type Indexers, type SharedIndexInformer, type SharedInformerFactory } from '../client/index.js';
import type { KubeObject } from '../client/index.js';
import { SERVICE_NAME_LABEL, endpointsFromSlices, toDnsService, type ClusterView, type DnsService } from './cluster-view.js';
import { canonicalIp } from './names.js';

const BY_CLUSTER_IP = 'dns/clusterIP';
const BY_SERVICE = 'dns/service';
const BY_ADDRESS = 'dns/address';
const BY_POD_IP = 'dns/podIP';

export interface InformerViewOptions {
  /** Watch pods too (needed only when pod names are verified). */
  pods?: boolean;
}

/** Registers the informers and indexes the view needs; the caller starts the factory. */
export function informerView(factory: SharedInformerFactory, opts: InformerViewOptions = {}): ClusterView {
  const services = factory.informerFor(resources.services);
  const slices = factory.informerFor(resources.endpointSlices);
  const namespaces = factory.informerFor(resources.namespaces);
  const pods = opts.pods ? factory.informerFor(resources.pods) : undefined;
  ensureIndexers(services, {
    [BY_CLUSTER_IP]: (s: Service) => toDnsService(s).clusterIPs,
  });
  ensureIndexers(slices, {
    [BY_SERVICE]: (sl: EndpointSlice) => {
      const name = sl.metadata?.labels?.[SERVICE_NAME_LABEL];
      return name ? [`${sl.metadata?.namespace}/${name}`] : [];
    },
    [BY_ADDRESS]: (sl: EndpointSlice) => (sl.endpoints ?? []).flatMap((e) => (e.addresses ?? []).map(canonicalIp)),
  });
  if (pods) {
    ensureIndexers(pods, {
      [BY_POD_IP]: (p: Pod) => [...new Set([p.status?.podIP, ...(p.status?.podIPs ?? []).map((x) => x.ip)].filter((ip): ip is string => !!ip).map(canonicalIp))],
    });
  }

  const svcIndexer = services.getIndexer();
  const sliceIndexer = slices.getIndexer();
  const endpoints = (svc: DnsService) => endpointsFromSlices(svc.publishNotReadyAddresses, sliceIndexer.byIndex(BY_SERVICE, `${svc.namespace}/${svc.name}`));
  const service = (ns: string, name: string): DnsService | undefined => {
    const s = svcIndexer.getByKey(`${ns}/${name}`);
    return s ? toDnsService(s) : undefined;
  };

  return {
    hasSynced: () => services.hasSynced() && slices.hasSynced() && namespaces.hasSynced() && (pods?.hasSynced() ?? true),
    namespaceExists: (ns) => namespaces.getIndexer().getByKey(ns) !== undefined,
    service,
    endpoints,
    servicesByClusterIp: (ip) => svcIndexer.byIndex(BY_CLUSTER_IP, ip).map(toDnsService),
    headlessEndpointsByIp: (ip) => {
      const out: ReturnType<ClusterView['headlessEndpointsByIp']> = [];
      const owners = new Set(sliceIndexer.byIndex(BY_ADDRESS, ip).map((sl) => `${sl.metadata?.namespace}/${sl.metadata?.labels?.[SERVICE_NAME_LABEL] ?? ''}`));
      for (const key of [...owners].sort()) {
        const [ns, name] = key.split('/') as [string, string];
        const svc = name ? service(ns, name) : undefined;
        if (!svc?.headless) continue;
        for (const endpoint of endpoints(svc)) if (endpoint.ip === ip) out.push({ service: svc, endpoint });
      }
      return out;
    },
    podIpExists: (ns, ip) => (pods?.getIndexer().byIndex(BY_POD_IP, ip) ?? []).some((p) => p.metadata?.namespace === ns),
  };
}

/** Adds the indexers an informer lacks (a second DNS server on the same factory finds them there). */
function ensureIndexers<T extends KubeObject>(inf: SharedIndexInformer<T>, indexers: Indexers<T>): void {
  const have = inf.getIndexer().getIndexers();
  const missing = Object.fromEntries(Object.entries(indexers).filter(([name]) => !have[name]));
  if (Object.keys(missing).length > 0) inf.addIndexers(missing);
}
