// The controller's view of the cluster, read per request: which Ingresses it serves (rebuilt
// lazily after an Ingress or IngressClass event), where a host/path goes, which endpoint takes
// the request (round-robin over the Service's ready endpoints, looked up at request time so an
// endpoint change needs no rebuild) and which certificate answers an SNI name.
import type { SecureContext } from 'node:tls';
import type { Secret, Service } from 'kubernetes-types/core/v1.js';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import type { Ingress, IngressClass } from 'kubernetes-types/networking/v1.js';
import type { Indexer, Lister } from '../client/index.js';
import { RoundRobin, backendKey, resolveTargets } from './backends.js';
import type { Decision } from './http-proxy.js';
import { classView, isServed, type ClassView } from './ingress-class.js';
import { normalizeHost } from './path-match.js';
import { buildRouteTable, lookupRoute, type RouteTable } from './route-table.js';
import { SecureContextCache, secretsFor, tlsEntries, type TlsEntry } from './tls-certificates.js';

/** EndpointSlices filed under `namespace/service` (the kubernetes.io/service-name label). */
export const BY_SERVICE_INDEX = 'by-service';
export const byServiceIndexFunc = (s: EndpointSlice): string[] => {
  const svc = s.metadata?.labels?.['kubernetes.io/service-name'];
  return svc ? [`${s.metadata?.namespace}/${svc}`] : [];
};

export interface RouterSources {
  ingresses: Lister<Ingress>;
  ingressClasses: Lister<IngressClass>;
  services: Lister<Service>;
  /** Must carry the BY_SERVICE_INDEX index. */
  endpointSlices: Indexer<EndpointSlice>;
  /** TLS Secrets (kubernetes.io/tls). */
  secrets: Lister<Secret>;
  onError?: (err: unknown) => void;
}

interface Snapshot {
  view: ClassView;
  served: Ingress[];
  table: RouteTable;
  tls: TlsEntry[];
}

export class IngressRouter {
  /** Built on first use after invalidate(); undefined means stale. */
  private snapshot: Snapshot | undefined;
  private readonly rr = new RoundRobin();
  private readonly contexts: SecureContextCache;

  constructor(private readonly src: RouterSources) {
    this.contexts = new SecureContextCache((key, e) => src.onError?.(new Error(`TLS secret ${key}: ${(e as Error).message ?? e}`)));
  }

  /** An Ingress or IngressClass changed: the table is rebuilt on next use. */
  invalidate(): void {
    this.snapshot = undefined;
  }

  private current(): Snapshot {
    if (this.snapshot) return this.snapshot;
    const view = classView(this.src.ingressClasses.list());
    const served = this.src.ingresses.list().filter((i) => !i.metadata?.deletionTimestamp && isServed(i, view));
    const tls = tlsEntries(served);
    this.contexts.retain(new Set(tls.map((t) => t.secret)));
    this.snapshot = { view, served, table: buildRouteTable(served), tls };
    return this.snapshot;
  }

  /** Whether this controller serves the Ingress (for its status). */
  serves(ing: Ingress): boolean {
    return !ing.metadata?.deletionTimestamp && isServed(ing, this.current().view);
  }

  /** Where a request goes: an endpoint, or why not (404 / 503). */
  decide(hostHeader: string | undefined, url: string | undefined): Decision {
    const match = lookupRoute(this.current().table, normalizeHost(hostHeader), requestPath(url));
    if (!match) return { kind: 'not-found' };
    const b = match.backend;
    const service = this.src.services.namespace(b.namespace).get(b.service);
    const slices = this.src.endpointSlices.byIndex(BY_SERVICE_INDEX, `${b.namespace}/${b.service}`);
    const res = resolveTargets(b, service, slices);
    if (res.kind !== 'ok') return { kind: 'unavailable', reason: res.reason };
    return { kind: 'forward', target: this.rr.pick(backendKey(b), res.targets) };
  }

  /** The certificate for an SNI name, or undefined for the fallback one. */
  secureContext(servername: string | undefined): SecureContext | undefined {
    for (const key of secretsFor(this.current().tls, servername)) {
      const [ns, name] = key.split('/', 2);
      const ctx = this.contexts.get(key, this.src.secrets.namespace(ns).get(name));
      if (ctx) return ctx;
    }
    return undefined;
  }
}

/** The path of a request target (origin-form or absolute-form), dot segments resolved, no query. */
export function requestPath(url: string | undefined): string {
  try {
    return new URL(url ?? '/', 'http://ingress.invalid').pathname;
  } catch {
    return '/';
  }
}
