// The service map: what the proxy must do, computed from Services and EndpointSlices and nothing
// else (kube-proxy's ServicePortMap + EndpointsMap, folded into one value). Pure: both proxy modes
// and their tests start from here.
//
// One entry per service port of every Service that has a ClusterIP (headless and ExternalName
// services are not proxied, as upstream). IPv4 only: k8ts runs single-stack.
import type { Service, ServicePort } from 'kubernetes-types/core/v1.js';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';

export type Protocol = 'TCP' | 'UDP' | 'SCTP';

/** One backend of a service port, with the conditions the endpoint selection reads. */
export interface Endpoint {
  ip: string;
  port: number;
  ready: boolean;
  serving: boolean;
  terminating: boolean;
  /** Runs on this proxy's node (what externalTrafficPolicy/internalTrafficPolicy Local keep). */
  isLocal: boolean;
}

export interface ServicePortInfo {
  namespace: string;
  name: string;
  /** The service port's name ('' for an unnamed single port). */
  portName: string;
  protocol: Protocol;
  clusterIP: string;
  port: number;
  /** 0 when the service has no NodePort. */
  nodePort: number;
  externalIPs: string[];
  /** status.loadBalancer.ingress IPs (ipMode Proxy ones are left to the load balancer). */
  loadBalancerIPs: string[];
  /** ClientIP affinity timeout in seconds; 0 when sessionAffinity is None. */
  stickySeconds: number;
  /** externalTrafficPolicy Local on an externally reachable service. */
  externalPolicyLocal: boolean;
  internalPolicyLocal: boolean;
  /** Every endpoint the slices name for this port, sorted by ip:port. */
  endpoints: Endpoint[];
}

/** Upstream's ServicePortName.String(): `ns/name` or `ns/name:port`. */
export function servicePortName(sp: Pick<ServicePortInfo, 'namespace' | 'name' | 'portName'>): string {
  return `${sp.namespace}/${sp.name}${sp.portName ? ':' + sp.portName : ''}`;
}

export function endpointString(ep: Pick<Endpoint, 'ip' | 'port'>): string {
  return `${ep.ip}:${ep.port}`;
}

/** The default ClientIP affinity timeout (3 hours). */
export const DEFAULT_STICKY_SECONDS = 10800;

export interface ServiceMapInput {
  services: Service[];
  slices: EndpointSlice[];
  nodeName: string;
}

/** Service ports in a stable order (namespace, name, port name, protocol). */
export function buildServiceMap(input: ServiceMapInput): ServicePortInfo[] {
  const endpointsBySvc = collectEndpoints(input.slices, input.nodeName);
  const out: ServicePortInfo[] = [];
  for (const svc of input.services) {
    const ns = svc.metadata?.namespace ?? '';
    const name = svc.metadata?.name ?? '';
    const spec = svc.spec;
    if (!spec || !isServiceIPSet(svc)) continue;
    const externallyAccessible = spec.type === 'NodePort' || spec.type === 'LoadBalancer' || (spec.externalIPs?.length ?? 0) > 0;
    const lbIPs = spec.type === 'LoadBalancer'
      ? (svc.status?.loadBalancer?.ingress ?? []).filter((i) => i.ip && i.ipMode !== 'Proxy').map((i) => i.ip!)
      : [];
    const sticky = spec.sessionAffinity === 'ClientIP' ? spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? DEFAULT_STICKY_SECONDS : 0;
    for (const p of spec.ports ?? []) {
      const protocol = (p.protocol ?? 'TCP') as Protocol;
      const portName = p.name ?? '';
      out.push({
        namespace: ns, name, portName, protocol,
        clusterIP: spec.clusterIP!,
        port: p.port,
        nodePort: spec.type === 'NodePort' || spec.type === 'LoadBalancer' ? p.nodePort ?? 0 : 0,
        externalIPs: [...(spec.externalIPs ?? [])].filter(isIPv4),
        loadBalancerIPs: lbIPs.filter(isIPv4),
        stickySeconds: sticky,
        externalPolicyLocal: externallyAccessible && spec.externalTrafficPolicy === 'Local',
        internalPolicyLocal: spec.internalTrafficPolicy === 'Local',
        endpoints: endpointsFor(endpointsBySvc.get(`${ns}/${name}`), p),
      });
    }
  }
  return out.sort(compareServicePorts);
}

function isServiceIPSet(svc: Service): boolean {
  const ip = svc.spec?.clusterIP;
  return svc.spec?.type !== 'ExternalName' && !!ip && ip !== 'None' && isIPv4(ip);
}

export function isIPv4(ip: string): boolean {
  const parts = ip.split('.');
  return parts.length === 4 && parts.every((x) => /^\d{1,3}$/.test(x) && Number(x) <= 255);
}

/** Slice port → endpoints, keyed by `portName/protocol`, per service `ns/name`. */
type PortEndpoints = Map<string, Map<string, Endpoint>>;

function collectEndpoints(slices: EndpointSlice[], nodeName: string): Map<string, PortEndpoints> {
  const bySvc = new Map<string, PortEndpoints>();
  for (const slice of slices) {
    const svcName = slice.metadata?.labels?.['kubernetes.io/service-name'];
    if (!svcName || slice.addressType !== 'IPv4') continue;
    const key = `${slice.metadata?.namespace ?? ''}/${svcName}`;
    let ports = bySvc.get(key);
    if (!ports) bySvc.set(key, (ports = new Map()));
    for (const sp of slice.ports ?? []) {
      if (!sp.port) continue;
      const pkey = `${sp.name ?? ''}/${sp.protocol ?? 'TCP'}`;
      let eps = ports.get(pkey);
      if (!eps) ports.set(pkey, (eps = new Map()));
      for (const e of slice.endpoints ?? []) {
        // Upstream uses the first address of an endpoint.
        const ip = e.addresses?.[0];
        if (!ip) continue;
        // A missing ready condition means ready; serving defaults to ready (EndpointSlice API).
        const ready = e.conditions?.ready ?? true;
        const ep: Endpoint = {
          ip, port: sp.port,
          ready,
          serving: e.conditions?.serving ?? ready,
          terminating: e.conditions?.terminating ?? false,
          isLocal: !!e.nodeName && e.nodeName === nodeName,
        };
        const epKey = endpointString(ep);
        // The same address in two slices (a slice being replaced): keep the readier one.
        const prev = eps.get(epKey);
        if (!prev || (ep.ready && !prev.ready)) eps.set(epKey, ep);
      }
    }
  }
  return bySvc;
}

function endpointsFor(ports: PortEndpoints | undefined, p: ServicePort): Endpoint[] {
  const eps = ports?.get(`${p.name ?? ''}/${p.protocol ?? 'TCP'}`);
  if (!eps) return [];
  return [...eps.values()].sort((a, b) => compareIP(a.ip, b.ip) || a.port - b.port);
}

function compareIP(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 4; i++) if (pa[i] !== pb[i]) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}

function compareServicePorts(a: ServicePortInfo, b: ServicePortInfo): number {
  return cmp(a.namespace, b.namespace) || cmp(a.name, b.name) || cmp(a.portName, b.portName) || cmp(a.protocol, b.protocol);
}

/** Code-unit order, the same on every machine (localeCompare is not). */
function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
