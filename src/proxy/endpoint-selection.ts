// Which endpoints a service port's traffic may go to (upstream's CategorizeEndpoints, without
// topology hints):
//  - cluster endpoints: the ready ones; when none is ready anywhere, the serving+terminating
//    ones, so a rolling restart does not drop traffic while old pods still serve;
//  - local endpoints (for a Local traffic policy): this node's ready ones, else this node's
//    serving+terminating ones;
//  - hasAnyEndpoints: whether some endpoint anywhere could serve, which decides between
//    "no endpoints" (reject) and "no local endpoints" (drop) for an empty selection.
import type { Endpoint, ServicePortInfo } from './service-map.js';

export interface EndpointSelection {
  cluster: Endpoint[];
  local: Endpoint[];
  /** The union a connection may reach through either policy (what the userspace proxy uses). */
  allReachable: Endpoint[];
  hasAnyEndpoints: boolean;
}

/** Traffic from inside or outside the cluster needs the cluster-wide endpoint set. */
export function usesClusterEndpoints(sp: ServicePortInfo): boolean {
  return !sp.internalPolicyLocal || !sp.externalPolicyLocal;
}

export function usesLocalEndpoints(sp: ServicePortInfo): boolean {
  return sp.internalPolicyLocal || sp.externalPolicyLocal;
}

const servingTerminating = (e: Endpoint) => e.serving && e.terminating;

export function selectEndpoints(sp: ServicePortInfo): EndpointSelection {
  const all = sp.endpoints;
  let cluster: Endpoint[] = [];
  let hasAnyEndpoints = false;
  if (usesClusterEndpoints(sp)) {
    cluster = all.filter((e) => e.ready);
    if (cluster.length === 0) cluster = all.filter(servingTerminating);
    hasAnyEndpoints = cluster.length > 0;
  }
  if (!usesLocalEndpoints(sp)) return { cluster, local: [], allReachable: cluster, hasAnyEndpoints };

  if (all.some((e) => e.ready || servingTerminating(e))) hasAnyEndpoints = true;
  let local = all.filter((e) => e.isLocal && e.ready);
  if (local.length === 0) local = all.filter((e) => e.isLocal && servingTerminating(e));
  if (!usesClusterEndpoints(sp)) return { cluster, local, allReachable: local, hasAnyEndpoints };

  // Both policies in use: the union, in the map's order.
  const reach = new Set([...cluster, ...local]);
  return { cluster, local, allReachable: all.filter((e) => reach.has(e)), hasAnyEndpoints };
}
