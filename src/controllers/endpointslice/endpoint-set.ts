// Identity of endpoints and of port sets for the reconciler (upstream's EndpointSet and
// PortMapKey). An endpoint is identified by its addresses, hostname and pod only, so a change
// of conditions, node or zone updates it in place instead of replacing it.
import type { Endpoint, EndpointPort } from 'kubernetes-types/discovery/v1.js';
import { semanticEqual } from './util/semantic.js';

export function endpointKey(ep: Endpoint): string {
  return JSON.stringify([[...ep.addresses].sort(), ep.hostname ?? '', ep.targetRef?.namespace ?? '', ep.targetRef?.name ?? '']);
}

/** A set of endpoints by identity; iteration (and popAny) follows insertion order. */
export class EndpointSet {
  private readonly items = new Map<string, Endpoint>();

  insert(ep: Endpoint): void {
    this.items.set(endpointKey(ep), ep);
  }

  get(ep: Endpoint): Endpoint | undefined {
    return this.items.get(endpointKey(ep));
  }

  delete(ep: Endpoint): void {
    this.items.delete(endpointKey(ep));
  }

  popAny(): Endpoint | undefined {
    const first = this.items.entries().next();
    if (first.done) return undefined;
    this.items.delete(first.value[0]);
    return first.value[1];
  }

  get size(): number {
    return this.items.size;
  }
}

/** The same key for the same set of ports in any order, with API defaults applied. */
export function portMapKey(ports: EndpointPort[] | undefined | null): string {
  return JSON.stringify((ports ?? []).map((p) => [p.name ?? '', p.port ?? null, p.protocol ?? 'TCP', p.appProtocol ?? '']).sort((a, b) => {
    const x = JSON.stringify(a);
    const y = JSON.stringify(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }));
}

/** Equal in what the key does not cover: node, zone, conditions, pod reference (ignoring its resourceVersion). */
export function endpointsEqualBeyondKey(a: Endpoint, b: Endpoint): boolean {
  return (a.nodeName ?? undefined) === (b.nodeName ?? undefined) &&
    (a.zone ?? undefined) === (b.zone ?? undefined) &&
    (a.conditions?.ready ?? undefined) === (b.conditions?.ready ?? undefined) &&
    (a.conditions?.serving ?? undefined) === (b.conditions?.serving ?? undefined) &&
    (a.conditions?.terminating ?? undefined) === (b.conditions?.terminating ?? undefined) &&
    semanticEqual({ targetRef: a.targetRef }, { targetRef: b.targetRef });
}
