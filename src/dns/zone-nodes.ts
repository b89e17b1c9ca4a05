// The cluster zone as a tree of names (Kubernetes DNS specification 1.1.0, as CoreDNS's
// kubernetes plugin serves it): given the labels of a name under the zone, what data the name
// owns, or undefined when the name does not exist (NXDOMAIN). A name that exists only because
// names below it do (an "empty non-terminal" such as `svc.<zone>`) owns an empty node, so
// questions about it are answered NODATA, not NXDOMAIN.
//
//   <svc>.<ns>.svc                A/AAAA ClusterIPs, or ready endpoint IPs when headless; CNAME for ExternalName
//   <host>.<svc>.<ns>.svc         A/AAAA of the endpoints whose hostname (or dashed IP) is <host>
//   _<port>._<proto>.<svc>.<ns>.svc  SRV per matching port (per endpoint and port when headless)
//   <a-b-c-d>.<ns>.pod            A of the pod address
//   dns-version                   TXT schema version
import type { ClusterView, DnsEndpoint, DnsPort, DnsService } from './cluster-view.js';
import { parseDashedIp } from './names.js';

/** The schema version this server implements. */
export const DNS_SCHEMA_VERSION = '1.1.0';

/** How pod names are answered: CoreDNS's `pods` option (kubeadm configures `insecure`). */
export type PodMode = 'insecure' | 'verified' | 'disabled';

export interface SrvTarget {
  port: number;
  /** Absolute target name (normalised, no trailing dot). */
  target: string;
}

export interface ZoneNode {
  /** A and AAAA data, told apart by family. */
  addresses: string[];
  cname?: string;
  srv: SrvTarget[];
  /** Addresses of SRV targets, for the additional section. */
  targetAddresses: Array<{ name: string; ip: string }>;
  txt: string[];
  /** The zone apex owns the SOA. */
  apex?: boolean;
}

const emptyNode = (): ZoneNode => ({ addresses: [], srv: [], targetAddresses: [], txt: [] });

export interface ZoneContext {
  view: ClusterView;
  /** Normalised cluster domain. */
  zone: string;
  podMode: PodMode;
}

/** The node owning the name with these labels under the zone (most specific first), or undefined. */
export function zoneNode(labels: readonly string[], ctx: ZoneContext): ZoneNode | undefined {
  if (labels.length === 0) return { ...emptyNode(), apex: true };
  const kind = labels[labels.length - 1];
  if (labels.length === 1) {
    if (kind === 'dns-version') return { ...emptyNode(), txt: [DNS_SCHEMA_VERSION] };
    return kind === 'svc' || kind === 'pod' ? emptyNode() : undefined;
  }
  const ns = labels[labels.length - 2]!;
  if ((kind !== 'svc' && kind !== 'pod') || !ctx.view.namespaceExists(ns)) return undefined;
  if (labels.length === 2) return emptyNode();
  if (kind === 'pod') return labels.length === 3 ? podNode(labels[0]!, ns, ctx) : undefined;

  const svc = ctx.view.service(ns, labels[labels.length - 3]!);
  if (!svc) return undefined;
  const rest = labels.slice(0, -3);
  if (svc.externalName !== undefined) {
    // An alias owns nothing but its CNAME, and has no endpoint or port names below it.
    return rest.length === 0 ? { ...emptyNode(), cname: svc.externalName } : undefined;
  }
  const svcName = `${svc.name}.${svc.namespace}.svc.${ctx.zone}`;
  if (rest.length === 0) return serviceNode(svc, svcName, undefined, ctx);
  if (rest.length === 1) return endpointOrProtocolNode(svc, svcName, rest[0]!, ctx);
  if (rest.length === 2) {
    const match = (p: DnsPort) => p.name === stripUnderscore(rest[0]!) && p.protocol.toLowerCase() === stripUnderscore(rest[1]!);
    return serviceNode(svc, svcName, match, ctx);
  }
  return undefined;
}

function podNode(label: string, ns: string, ctx: ZoneContext): ZoneNode | undefined {
  if (ctx.podMode === 'disabled') return undefined;
  const ip = parseDashedIp(label);
  if (!ip) return undefined;
  if (ctx.podMode === 'verified' && !ctx.view.podIpExists?.(ns, ip)) return undefined;
  return { ...emptyNode(), addresses: [ip] };
}

/**
 * A service name, or one of its `_port._proto` names when `portMatch` is given. A headless
 * service without published endpoints does not exist (the specification says NXDOMAIN); nor
 * does a port name no port matches.
 */
function serviceNode(svc: DnsService, svcName: string, portMatch: ((p: DnsPort) => boolean) | undefined, ctx: ZoneContext): ZoneNode | undefined {
  const node = emptyNode();
  if (svc.headless) {
    const eps = ctx.view.endpoints(svc);
    for (const ep of eps) {
      const ports = portMatch ? ep.ports.filter(portMatch) : ep.ports;
      if (portMatch && ports.length === 0) continue;
      addEndpoint(node, ep, ports, `${ep.hostname}.${svcName}`);
    }
    return node.addresses.length > 0 ? node : undefined;
  }
  const ports = portMatch ? svc.ports.filter(portMatch) : svc.ports;
  if (portMatch && ports.length === 0) return undefined;
  node.addresses.push(...svc.clusterIPs);
  for (const p of ports) node.srv.push({ port: p.port, target: svcName });
  for (const ip of svc.clusterIPs) node.targetAddresses.push({ name: svcName, ip });
  return node;
}

/**
 * One label below a service: an endpoint's hostname (CoreDNS answers these for any service with
 * endpoints, not only headless ones), or the `_proto` empty non-terminal above `_port._proto`.
 */
function endpointOrProtocolNode(svc: DnsService, svcName: string, label: string, ctx: ZoneContext): ZoneNode | undefined {
  const node = emptyNode();
  for (const ep of ctx.view.endpoints(svc)) {
    if (ep.hostname === label) addEndpoint(node, ep, ep.ports, `${label}.${svcName}`);
  }
  if (node.addresses.length > 0) return node;
  if (label.startsWith('_')) {
    const proto = stripUnderscore(label);
    const named = svc.headless ? ctx.view.endpoints(svc).flatMap((e) => e.ports) : svc.ports;
    if (named.some((p) => p.name !== '' && p.protocol.toLowerCase() === proto)) return node;
  }
  return undefined;
}

function addEndpoint(node: ZoneNode, ep: DnsEndpoint, ports: readonly DnsPort[], target: string): void {
  if (!node.addresses.includes(ep.ip)) node.addresses.push(ep.ip);
  for (const p of ports) {
    if (!node.srv.some((s) => s.port === p.port && s.target === target)) node.srv.push({ port: p.port, target });
  }
  if (ports.length > 0 && !node.targetAddresses.some((t) => t.name === target && t.ip === ep.ip)) node.targetAddresses.push({ name: target, ip: ep.ip });
}

function stripUnderscore(label: string): string {
  return label.startsWith('_') ? label.slice(1) : label;
}

/** The PTR targets of an address: the services owning it as ClusterIP, else headless endpoints. */
export function ptrTargets(ip: string, ctx: ZoneContext): string[] {
  const services = ctx.view.servicesByClusterIp(ip);
  if (services.length > 0) return services.map((s) => `${s.name}.${s.namespace}.svc.${ctx.zone}`).sort();
  return ctx.view
    .headlessEndpointsByIp(ip)
    .map(({ service: s, endpoint: e }) => `${e.hostname}.${s.name}.${s.namespace}.svc.${ctx.zone}`)
    .sort();
}
