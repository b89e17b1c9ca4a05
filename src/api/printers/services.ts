// Service networking: Service, Endpoints, EndpointSlice, Ingress, IngressClass, NetworkPolicy,
// ServiceCIDR and IPAddress.
import type { Endpoints, Service } from 'kubernetes-types/core/v1.js';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import type { Ingress, IngressClass, NetworkPolicy } from 'kubernetes-types/networking/v1.js';
import { compareStrings, formatLabelSelector, formatLabels } from '../selectors/label-selector.js';
import { joinHostPort, listWithMore, since } from './format.js';
import { AGE_COLUMN, NAME_COLUMN, col, printer, wide, type KObject, type TablePrinter } from './types.js';

/** Sorted, de-duplicated IPs (or hostnames) of load-balancer ingress points, comma-joined. */
function loadBalancerAddresses(ingress: { ip?: string; hostname?: string }[] | undefined): string {
  const set = new Set<string>();
  for (const i of ingress ?? []) {
    if (i.ip) set.add(i.ip);
    else if (i.hostname) set.add(i.hostname);
  }
  // The apiserver prints "wide", so the list is never clipped.
  return [...set].sort(compareStrings).join(',');
}

function externalIP(svc: Service): string {
  const spec = svc.spec ?? {};
  const externalIPs = spec.externalIPs ?? [];
  switch (spec.type ?? 'ClusterIP') {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length > 0 ? externalIPs.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = loadBalancerAddresses(svc.status?.loadBalancer?.ingress);
      if (externalIPs.length > 0) return [...(lb ? lb.split(',') : []), ...externalIPs].join(',');
      return lb || '<pending>';
    }
    case 'ExternalName':
      return spec.externalName ?? '';
    default:
      return '<unknown>';
  }
}

function ports(svc: Service): string {
  const s = (svc.spec?.ports ?? [])
    .map((p) => {
      const protocol = p.protocol ?? 'TCP';
      return p.nodePort && p.nodePort > 0 ? `${p.port}:${p.nodePort}/${protocol}` : `${p.port}/${protocol}`;
    })
    .join(',');
  return s || '<none>';
}

export const servicePrinter: TablePrinter = printer<Service>(
  [
    NAME_COLUMN,
    col('Type', 'string', 'How the service is exposed.'),
    col('Cluster-IP', 'string', 'Virtual IP of the service inside the cluster.'),
    col('External-IP', 'string', 'Addresses the service is reachable at from outside.'),
    col('Port(s)', 'string', 'Service ports (port[:nodePort]/protocol).'),
    AGE_COLUMN,
    wide('Selector', 'string', 'Label selector of the backing pods.'),
  ],
  (svc, now) => [
    svc.metadata?.name ?? '',
    svc.spec?.type ?? 'ClusterIP',
    svc.spec?.clusterIP || svc.spec?.clusterIPs?.[0] || '<none>',
    externalIP(svc),
    ports(svc),
    since(svc.metadata?.creationTimestamp, now),
    formatLabels(svc.spec?.selector),
  ],
);

/** Up to three `ip:port` endpoints, then `+ N more...`; "<none>" without subsets. */
function formatEndpoints(ep: Endpoints): string {
  const subsets = ep.subsets ?? [];
  if (subsets.length === 0) return '<none>';
  const max = 3;
  const list: string[] = [];
  let more = false;
  let count = 0;
  for (const ss of subsets) {
    const addresses = ss.addresses ?? [];
    const portList = ss.ports ?? [];
    if (portList.length === 0) {
      // A headless service may have no ports: list bare IPs.
      count += addresses.length;
      for (const a of addresses) {
        if (list.length === max) {
          more = true;
          break;
        }
        list.push(a.ip);
      }
      continue;
    }
    for (const port of portList) {
      count += addresses.length;
      for (const a of addresses) {
        if (list.length === max) {
          more = true;
          break;
        }
        list.push(joinHostPort(a.ip, port.port));
      }
    }
  }
  const s = list.join(',');
  return more ? `${s} + ${count - max} more...` : s;
}

export const endpointsPrinter: TablePrinter = printer<Endpoints>(
  [NAME_COLUMN, col('Endpoints', 'string', 'Addresses and ports of the endpoints.'), AGE_COLUMN],
  (ep, now) => [ep.metadata?.name ?? '', formatEndpoints(ep), since(ep.metadata?.creationTimestamp, now)],
);

function sliceItems(items: string[]): string {
  const max = 3;
  return listWithMore(items.slice(0, max), items.length > max, items.length, max);
}

export const endpointSlicePrinter: TablePrinter = printer<EndpointSlice>(
  [
    NAME_COLUMN,
    col('AddressType', 'string', 'Kind of addresses in the slice.'),
    col('Ports', 'string', 'Ports of the endpoints.'),
    col('Endpoints', 'string', 'Addresses of the endpoints.'),
    AGE_COLUMN,
  ],
  (es, now) => [
    es.metadata?.name ?? '',
    es.addressType ?? '',
    sliceItems((es.ports ?? []).map((p) => (typeof p.port === 'number' ? String(p.port) : (p.name ?? '*')))),
    sliceItems((es.endpoints ?? []).flatMap((e) => e.addresses ?? [])),
    since(es.metadata?.creationTimestamp, now),
  ],
);

function formatHosts(rules: { host?: string }[] | undefined): string {
  const max = 3;
  const list: string[] = [];
  let more = false;
  for (const r of rules ?? []) {
    if (list.length === max) more = true;
    if (!more && r.host) list.push(r.host);
  }
  if (list.length === 0) return '*';
  const s = list.join(',');
  return more ? `${s} + ${(rules ?? []).length - max} more...` : s;
}

export const ingressPrinter: TablePrinter = printer<Ingress>(
  [
    NAME_COLUMN,
    col('Class', 'string', 'IngressClass handling the ingress.'),
    col('Hosts', 'string', 'Hosts the rules match.'),
    col('Address', 'string', 'Addresses of the load balancer.'),
    col('Ports', 'string', 'Ports served (443 with TLS).'),
    AGE_COLUMN,
  ],
  (ing, now) => [
    ing.metadata?.name ?? '',
    ing.spec?.ingressClassName ?? '<none>',
    formatHosts(ing.spec?.rules),
    loadBalancerAddresses(ing.status?.loadBalancer?.ingress),
    (ing.spec?.tls ?? []).length > 0 ? '80, 443' : '80',
    since(ing.metadata?.creationTimestamp, now),
  ],
);

export const ingressClassPrinter: TablePrinter = printer<IngressClass>(
  [
    NAME_COLUMN,
    col('Controller', 'string', 'Controller implementing the class.'),
    col('Parameters', 'string', 'Resource holding the class parameters.'),
    AGE_COLUMN,
  ],
  (ic, now) => {
    const p = ic.spec?.parameters;
    let parameters = '<none>';
    if (p) parameters = `${p.kind}${p.apiGroup !== undefined && p.apiGroup !== null ? `.${p.apiGroup}` : ''}/${p.name}`;
    return [ic.metadata?.name ?? '', ic.spec?.controller ?? '', parameters, since(ic.metadata?.creationTimestamp, now)];
  },
);

export const networkPolicyPrinter: TablePrinter = printer<NetworkPolicy>(
  [NAME_COLUMN, col('Pod-Selector', 'string', 'Pods the policy applies to.'), AGE_COLUMN],
  (np, now) => [np.metadata?.name ?? '', formatLabelSelector(np.spec?.podSelector ?? {}), since(np.metadata?.creationTimestamp, now)],
);

export const serviceCIDRPrinter: TablePrinter = printer<KObject>(
  [NAME_COLUMN, col('CIDRs', 'string', 'Ranges of service IPs.'), AGE_COLUMN],
  (sc, now) => [sc.metadata?.name ?? '', ((sc.spec?.cidrs as string[] | undefined) ?? []).join(','), since(sc.metadata?.creationTimestamp, now)],
);

export const ipAddressPrinter: TablePrinter = printer<KObject>(
  [NAME_COLUMN, col('ParentRef', 'string', 'Object the address is allocated to.')],
  (ip) => {
    const ref = ip.spec?.parentRef;
    let parent = '<none>';
    if (ref) {
      parent = (ref.group ? `${ref.resource}.${ref.group}` : String(ref.resource ?? '')).toLowerCase();
      if (ref.namespace) parent += `/${ref.namespace}`;
      parent += `/${ref.name ?? ''}`;
    }
    return [ip.metadata?.name ?? '', parent];
  },
);
