// The routing table of the Ingresses one controller serves, built once per change and read per
// request. Pure: no I/O, no clock.
//  - Host levels, most specific first: the precise host, then "*.suffix", then rules without a
//    host. Only the most specific level that has rules is searched (as nginx picks a server
//    block by name, then a location inside it).
//  - Within the level every Ingress's paths compete: the longest matching path wins; on equal
//    length Exact beats Prefix; then the older Ingress (creationTimestamp, then namespace/name).
//  - No path matches: the defaultBackend of the oldest Ingress of that host level that has one,
//    else of the oldest served Ingress that has one; else nothing (the caller answers 404).
import type { Ingress, IngressBackend } from 'kubernetes-types/networking/v1.js';
import { isWildcardHost, pathMatches, pathRank, type PathType } from './path-match.js';

/** A Service backend: the Service in the Ingress's namespace, its port by name or number. */
export interface ServiceBackend {
  namespace: string;
  service: string;
  port: { name?: string; number?: number };
}

export interface Route {
  pathType: PathType;
  path: string;
  backend: ServiceBackend;
  /** `namespace/name` of the Ingress the path comes from. */
  ingress: string;
  /** The Ingress's age order (0 = oldest), for ties. */
  order: number;
}

interface HostLevel {
  routes: Route[];
  /** The level's Ingresses, by age order, with their defaultBackend (if any). */
  defaults: Array<{ order: number; ingress: string; backend?: ServiceBackend }>;
}

export interface RouteTable {
  exact: Map<string, HostLevel>;
  /** Wildcard rules by suffix including the dot (".foo.com"). */
  wildcard: Map<string, HostLevel>;
  anyHost: HostLevel | undefined;
  /** The oldest served Ingress's defaultBackend, when no level gives one. */
  fallback: { ingress: string; backend: ServiceBackend } | undefined;
}

export interface RouteMatch {
  backend: ServiceBackend;
  ingress: string;
  /** The matched path rule, or undefined for a defaultBackend. */
  route?: Route;
}

export function serviceBackend(namespace: string, b: IngressBackend | undefined): ServiceBackend | undefined {
  const svc = b?.service;
  if (!svc?.name) return undefined; // resource backends are not served by k8ts
  const port = svc.port?.name ? { name: svc.port.name } : { number: svc.port?.number ?? 0 };
  return { namespace, service: svc.name, port };
}

/** Oldest first, then by namespace/name: the order ties are broken in. */
export function byAge(a: Ingress, b: Ingress): number {
  const ta = a.metadata?.creationTimestamp ?? '';
  const tb = b.metadata?.creationTimestamp ?? '';
  if (ta !== tb) return ta < tb ? -1 : 1;
  const ka = `${a.metadata?.namespace}/${a.metadata?.name}`;
  const kb = `${b.metadata?.namespace}/${b.metadata?.name}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

export function buildRouteTable(ingresses: readonly Ingress[]): RouteTable {
  const table: RouteTable = { exact: new Map(), wildcard: new Map(), anyHost: undefined, fallback: undefined };
  const sorted = [...ingresses].sort(byAge);
  sorted.forEach((ing, order) => {
    const ns = ing.metadata?.namespace ?? '';
    const key = `${ns}/${ing.metadata?.name}`;
    const def = serviceBackend(ns, ing.spec?.defaultBackend);
    if (def && !table.fallback) table.fallback = { ingress: key, backend: def };
    for (const rule of ing.spec?.rules ?? []) {
      const host = (rule.host ?? '').toLowerCase();
      const level = levelFor(table, host);
      if (!level.defaults.some((d) => d.order === order)) level.defaults.push({ order, ingress: key, backend: def });
      for (const p of rule.http?.paths ?? []) {
        const backend = serviceBackend(ns, p.backend);
        if (!backend) continue;
        const pathType = (p.pathType ?? 'ImplementationSpecific') as PathType;
        level.routes.push({ pathType, path: p.path ?? '', backend, ingress: key, order });
      }
    }
  });
  return table;
}

function levelFor(table: RouteTable, host: string): HostLevel {
  const fresh = (): HostLevel => ({ routes: [], defaults: [] });
  if (!host) return (table.anyHost ??= fresh());
  const map = isWildcardHost(host) ? table.wildcard : table.exact;
  const key = isWildcardHost(host) ? host.slice(1) : host;
  let level = map.get(key);
  if (!level) map.set(key, (level = fresh()));
  return level;
}

/** The most specific host level for a normalized request host. */
function findLevel(table: RouteTable, host: string): HostLevel | undefined {
  const exact = table.exact.get(host);
  if (exact) return exact;
  const dot = host.indexOf('.');
  if (dot > 0) {
    // "*.foo.com" is keyed ".foo.com": exactly one label before it.
    const wild = table.wildcard.get(host.slice(dot));
    if (wild) return wild;
  }
  return table.anyHost;
}

/** Whether route a should win over route b (both match). */
function better(a: Route, b: Route): boolean {
  const ra = pathRank(a.pathType, a.path);
  const rb = pathRank(b.pathType, b.path);
  if (ra !== rb) return ra > rb;
  const ea = a.pathType === 'Exact';
  const eb = b.pathType === 'Exact';
  if (ea !== eb) return ea;
  return a.order < b.order;
}

/** Where a request for `host` (normalized) and `path` (no query) goes; undefined → 404. */
export function lookupRoute(table: RouteTable, host: string, path: string): RouteMatch | undefined {
  const level = findLevel(table, host);
  if (level) {
    let best: Route | undefined;
    for (const r of level.routes) {
      if (pathMatches(r.pathType, r.path, path) && (!best || better(r, best))) best = r;
    }
    if (best) return { backend: best.backend, ingress: best.ingress, route: best };
    const def = level.defaults.find((d) => d.backend);
    if (def?.backend) return { backend: def.backend, ingress: def.ingress };
  }
  return table.fallback ? { backend: table.fallback.backend, ingress: table.fallback.ingress } : undefined;
}
