// From an Ingress backend (Service + port name or number) to the addresses to dial, pure:
// the Service port is found by name or number; each EndpointSlice of the Service carries the
// target port under the Service port's name (so a named targetPort may differ per slice);
// only ready endpoints count (ready unset means ready, as the EndpointSlice API says).
import type { Service } from 'kubernetes-types/core/v1.js';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import type { ServiceBackend } from './route-table.js';

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

export interface Target {
  host: string;
  port: number;
}

export type Resolution =
  | { kind: 'ok'; targets: Target[] }
  | { kind: 'no-service' | 'no-port' | 'no-endpoints'; reason: string };

export function resolveTargets(backend: ServiceBackend, service: Service | undefined, slices: readonly EndpointSlice[]): Resolution {
  if (!service) return { kind: 'no-service', reason: `service "${backend.namespace}/${backend.service}" not found` };
  const svcPort = (service.spec?.ports ?? []).find((p) =>
    backend.port.name ? p.name === backend.port.name : p.port === backend.port.number);
  if (!svcPort) {
    const want = backend.port.name ?? String(backend.port.number);
    return { kind: 'no-port', reason: `service "${backend.namespace}/${backend.service}" has no port ${want}` };
  }
  if ((svcPort.protocol ?? 'TCP') !== 'TCP') return { kind: 'no-port', reason: `service port ${svcPort.port} is not TCP` };
  const portName = svcPort.name ?? '';
  const targets: Target[] = [];
  const seen = new Set<string>();
  for (const slice of slices) {
    if (slice.metadata?.labels?.[SERVICE_NAME_LABEL] !== backend.service) continue;
    if (slice.addressType === 'FQDN') continue;
    const sp = (slice.ports ?? []).find((p) => (p.name ?? '') === portName && (p.protocol ?? 'TCP') === 'TCP');
    if (!sp?.port) continue;
    for (const ep of slice.endpoints ?? []) {
      if (ep.conditions?.ready === false) continue;
      const host = ep.addresses?.[0];
      if (!host) continue;
      const key = `${host}:${sp.port}`;
      if (seen.has(key)) continue; // an endpoint may show in two slices while they are rebalanced
      seen.add(key);
      targets.push({ host, port: sp.port });
    }
  }
  if (!targets.length) return { kind: 'no-endpoints', reason: `service "${backend.namespace}/${backend.service}" has no ready endpoints` };
  targets.sort((a, b) => (a.host === b.host ? a.port - b.port : a.host < b.host ? -1 : 1));
  return { kind: 'ok', targets };
}

/** Round-robin per backend: each call takes the next target of that backend's current list. */
export class RoundRobin {
  /** backend key → calls so far; a changed list keeps the counter (the spread stays even). */
  private readonly next = new Map<string, number>();

  pick(key: string, targets: readonly Target[]): Target {
    const n = this.next.get(key) ?? 0;
    this.next.set(key, (n + 1) % 1_000_000_007);
    return targets[n % targets.length];
  }
}

export function backendKey(b: ServiceBackend): string {
  return `${b.namespace}/${b.service}:${b.port.name ?? b.port.number}`;
}
