// What the resolver knows of the cluster: services, their DNS-visible endpoints, namespaces and
// (optionally) pod IPs, reduced to the few fields DNS answers need. Two implementations: a plain
// snapshot over arrays (tests, tools) here, and one over informers (informer-view.ts).
import type { Pod, Service } from 'kubernetes-types/core/v1.js';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import { canonicalIp, dashedIp, normalize } from './names.js';

export interface DnsPort {
  /** '' for an unnamed port (no SRV name of its own). */
  name: string;
  port: number;
  /** Upper case: TCP, UDP, SCTP. */
  protocol: string;
}

export interface DnsService {
  namespace: string;
  name: string;
  /** clusterIP None: the name answers with endpoint addresses. */
  headless: boolean;
  /** Canonical addresses; empty for headless and ExternalName services. */
  clusterIPs: string[];
  /** Set for type ExternalName: the CNAME target (normalised). */
  externalName?: string;
  ports: DnsPort[];
  /** Not-ready endpoints are published too (StatefulSet peers finding each other before ready). */
  publishNotReadyAddresses: boolean;
}

export interface DnsEndpoint {
  ip: string;
  /** The endpoint's hostname, or its dashed IP when it has none (as CoreDNS names them). */
  hostname: string;
  ports: DnsPort[];
}

export interface ClusterView {
  /** False until the caches hold a first full list: absence means nothing before that. */
  hasSynced(): boolean;
  namespaceExists(namespace: string): boolean;
  service(namespace: string, name: string): DnsService | undefined;
  /** Endpoints DNS publishes for a service: ready ones, or all with publishNotReadyAddresses. */
  endpoints(svc: DnsService): DnsEndpoint[];
  /** Services owning a ClusterIP (for PTR). */
  servicesByClusterIp(ip: string): DnsService[];
  /** Endpoints of headless services at an address (for PTR). */
  headlessEndpointsByIp(ip: string): Array<{ service: DnsService; endpoint: DnsEndpoint }>;
  /** Whether a pod of the namespace has this IP; only needed in the 'verified' pod mode. */
  podIpExists?(namespace: string, ip: string): boolean;
}

/** The label linking an EndpointSlice to its Service. */
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

export function toDnsService(svc: Service): DnsService {
  const spec = svc.spec ?? {};
  const isExternal = spec.type === 'ExternalName';
  const declared = spec.clusterIPs?.length ? spec.clusterIPs : [spec.clusterIP ?? ''];
  const ips = declared.filter((ip) => ip && ip !== 'None');
  return {
    namespace: svc.metadata?.namespace ?? '',
    name: svc.metadata?.name ?? '',
    // Only an explicit None is headless: a ClusterIP not allocated yet gives no addresses instead.
    headless: !isExternal && declared[0] === 'None',
    clusterIPs: isExternal ? [] : ips.map(canonicalIp),
    externalName: isExternal && spec.externalName ? normalize(spec.externalName) : undefined,
    ports: (spec.ports ?? []).map((p) => ({ name: p.name ?? '', port: p.port, protocol: (p.protocol ?? 'TCP').toUpperCase() })),
    publishNotReadyAddresses: spec.publishNotReadyAddresses === true,
  };
}

/**
 * The endpoints DNS publishes from a service's slices: ready ones (all when the service
 * publishes not-ready addresses), one entry per address with the ports of every slice naming it
 * (slices may split one address's ports), FQDN slices ignored.
 */
export function endpointsFromSlices(publishNotReady: boolean, slices: readonly EndpointSlice[]): DnsEndpoint[] {
  const byIp = new Map<string, DnsEndpoint>();
  const ordered = [...slices].sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
  for (const slice of ordered) {
    if (slice.addressType === 'FQDN') continue;
    const ports = (slice.ports ?? [])
      .filter((p) => p.port !== undefined)
      .map((p) => ({ name: p.name ?? '', port: p.port!, protocol: (p.protocol ?? 'TCP').toUpperCase() }));
    for (const ep of slice.endpoints ?? []) {
      // A missing ready condition means ready (the API's own reading of an unknown state).
      if (!publishNotReady && ep.conditions?.ready === false) continue;
      for (const raw of ep.addresses ?? []) {
        const ip = canonicalIp(raw);
        const found = byIp.get(ip);
        if (found) {
          for (const p of ports) if (!found.ports.some((q) => samePort(p, q))) found.ports.push(p);
          continue;
        }
        byIp.set(ip, { ip, hostname: ep.hostname ? normalize(ep.hostname) : dashedIp(ip), ports: [...ports] });
      }
    }
  }
  return [...byIp.values()];
}

function samePort(a: DnsPort, b: DnsPort): boolean {
  return a.name === b.name && a.port === b.port && a.protocol === b.protocol;
}

export interface SnapshotObjects {
  services?: Service[];
  endpointSlices?: EndpointSlice[];
  /** Namespace names; by default every namespace some service or pod lives in. */
  namespaces?: string[];
  /** Pods (for the 'verified' pod mode). */
  pods?: Pod[];
}

/** A fixed view over plain objects, for tests and one-off answers. Linear scans: keep it small. */
export function snapshotView(objs: SnapshotObjects): ClusterView {
  const services = (objs.services ?? []).map(toDnsService);
  const slices = objs.endpointSlices ?? [];
  const pods = objs.pods ?? [];
  const namespaces = new Set(objs.namespaces ?? [...services.map((s) => s.namespace), ...pods.map((p) => p.metadata?.namespace ?? '')]);
  const endpoints = (svc: DnsService): DnsEndpoint[] => {
    const mine = slices.filter((sl) => sl.metadata?.namespace === svc.namespace && sl.metadata?.labels?.[SERVICE_NAME_LABEL] === svc.name);
    return endpointsFromSlices(svc.publishNotReadyAddresses, mine);
  };
  return {
    hasSynced: () => true,
    namespaceExists: (ns) => namespaces.has(ns),
    service: (ns, name) => services.find((s) => s.namespace === ns && s.name === name),
    endpoints,
    servicesByClusterIp: (ip) => services.filter((s) => s.clusterIPs.includes(ip)),
    headlessEndpointsByIp: (ip) =>
      services
        .filter((s) => s.headless)
        .flatMap((s) => endpoints(s).filter((e) => e.ip === ip).map((endpoint) => ({ service: s, endpoint }))),
    podIpExists: (ns, ip) =>
      pods.some((p) => p.metadata?.namespace === ns && (p.status?.podIPs?.some((x) => !!x.ip && canonicalIp(x.ip) === ip) || (p.status?.podIP && canonicalIp(p.status.podIP) === ip))),
  };
}
