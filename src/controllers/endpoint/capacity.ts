// Endpoints beyond MAX_CAPACITY addresses are truncated and annotated (upstream's
// truncateEndpoints): ready addresses are kept before not-ready ones, and each subset keeps a
// share proportional to its size, rounded up (so the last subsets may get fewer).
import type { EndpointSubset } from 'kubernetes-types/core/v1.js';

export const MAX_CAPACITY = 1000;
export const OVER_CAPACITY_ANNOTATION = 'endpoints.kubernetes.io/over-capacity';
export const TRUNCATED = 'truncated';

function count(subsets: EndpointSubset[]): { ready: number; notReady: number } {
  let ready = 0;
  let notReady = 0;
  for (const ss of subsets) {
    ready += ss.addresses?.length ?? 0;
    notReady += ss.notReadyAddresses?.length ?? 0;
  }
  return { ready, notReady };
}

/** The subsets cut down to MAX_CAPACITY addresses, or undefined when they fit. */
export function truncateSubsets(subsets: EndpointSubset[], max = MAX_CAPACITY): EndpointSubset[] | undefined {
  const { ready, notReady } = count(subsets);
  if (ready + notReady <= max) return undefined;
  const truncateReady = ready > max;
  const room = truncateReady ? max : max - ready;
  const total = truncateReady ? ready : notReady;
  let left = room;
  const out: EndpointSubset[] = [];
  for (const ss of subsets) {
    const n = truncateReady ? (ss.addresses?.length ?? 0) : (ss.notReadyAddresses?.length ?? 0);
    const take = Math.min(Math.ceil((n / total) * room), left);
    const next: EndpointSubset = { ...ss };
    if (truncateReady) {
      next.addresses = (ss.addresses ?? []).slice(0, take);
      delete next.notReadyAddresses;
      left -= next.addresses.length;
    } else {
      next.notReadyAddresses = (ss.notReadyAddresses ?? []).slice(0, take);
      left -= next.notReadyAddresses.length;
    }
    if (!next.addresses?.length) delete next.addresses;
    if (!next.notReadyAddresses?.length) delete next.notReadyAddresses;
    // Upstream would keep an emptied subset, which validation then refuses.
    if (next.addresses || next.notReadyAddresses) out.push(next);
  }
  return out;
}

/** False when the subsets need truncating or the annotation is set on endpoints that fit. */
export function capacityAnnotationSetCorrectly(annotations: Record<string, string> | undefined, subsets: EndpointSubset[] | undefined, max = MAX_CAPACITY): boolean {
  const { ready, notReady } = count(subsets ?? []);
  if (ready + notReady > max) return false;
  return !(annotations && OVER_CAPACITY_ANNOTATION in annotations);
}
