// Pure helpers of the service-lb controller: which Services it manages, which nodes carry their
// traffic and the status.loadBalancer.ingress that follows.
//  - Managed: type LoadBalancer with no spec.loadBalancerClass or ours (k3s's ServiceLB likewise
//    leaves Services of other classes to their controllers).
//  - Nodes: Ready, schedulable, not being deleted, not labelled
//    node.kubernetes.io/exclude-from-external-load-balancers (upstream's service controller
//    honours that label); their InternalIP addresses of the Service's IP families.
//  - Status: one entry per address, ipMode VIP (the proxy answers on the node's own address),
//    IPv4 before IPv6, sorted — the same nodes always give the same status (no churn).
import type { LoadBalancerIngress, Node, Service } from 'kubernetes-types/core/v1.js';

export const LOAD_BALANCER_CLASS = 'k8ts.io/service-lb';
export const EXCLUDE_LB_LABEL = 'node.kubernetes.io/exclude-from-external-load-balancers';

export function isLoadBalancer(svc: Service): boolean {
  return svc.spec?.type === 'LoadBalancer';
}

/** A LoadBalancer Service this controller answers for. */
export function isManaged(svc: Service): boolean {
  const cls = svc.spec?.loadBalancerClass;
  return isLoadBalancer(svc) && (cls === undefined || cls === null || cls === '' || cls === LOAD_BALANCER_CLASS);
}

export function isEligibleNode(node: Node): boolean {
  if (node.metadata?.deletionTimestamp || node.spec?.unschedulable) return false;
  if (node.metadata?.labels && EXCLUDE_LB_LABEL in node.metadata.labels) return false;
  return (node.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

export function ipFamilyOf(ip: string): 'IPv4' | 'IPv6' {
  return ip.includes(':') ? 'IPv6' : 'IPv4';
}

function compareIPs(a: string, b: string): number {
  const fa = ipFamilyOf(a);
  const fb = ipFamilyOf(b);
  if (fa !== fb) return fa === 'IPv4' ? -1 : 1;
  if (fa === 'IPv4') {
    const pa = a.split('.').map(Number);
    const pb = b.split('.').map(Number);
    for (let i = 0; i < 4; i++) if (pa[i] !== pb[i]) return pa[i] - pb[i];
    return 0;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The InternalIPs of the eligible nodes, of the Service's families (IPv4 when it names none). */
export function loadBalancerIPs(svc: Service, nodes: readonly Node[]): string[] {
  const families = new Set<string>(svc.spec?.ipFamilies?.length ? svc.spec.ipFamilies : ['IPv4']);
  const ips = new Set<string>();
  for (const node of nodes) {
    if (!isEligibleNode(node)) continue;
    for (const a of node.status?.addresses ?? []) {
      if (a.type === 'InternalIP' && a.address && families.has(ipFamilyOf(a.address))) ips.add(a.address);
    }
  }
  return [...ips].sort(compareIPs);
}

/** What status.loadBalancer.ingress should be, or undefined when the Service is not ours to touch. */
export function desiredIngress(svc: Service, nodes: readonly Node[]): LoadBalancerIngress[] | undefined {
  if (!isLoadBalancer(svc)) return []; // the type changed: no load balancer any more
  if (!isManaged(svc)) return undefined;
  return loadBalancerIPs(svc, nodes).map((ip) => ({ ip, ipMode: 'VIP' }));
}

export function sameIngress(a: readonly LoadBalancerIngress[] | undefined, b: readonly LoadBalancerIngress[]): boolean {
  const norm = (l: readonly LoadBalancerIngress[]) => JSON.stringify(l.map((e) => ({ ip: e.ip, hostname: e.hostname, ipMode: e.ipMode, ports: e.ports })));
  return norm(a ?? []) === norm(b);
}

/** What about a node matters here: a change of it re-syncs the LoadBalancer Services. */
export function nodeFingerprint(node: Node): string {
  const ips = (node.status?.addresses ?? []).filter((a) => a.type === 'InternalIP').map((a) => a.address);
  return JSON.stringify([isEligibleNode(node), ips]);
}
