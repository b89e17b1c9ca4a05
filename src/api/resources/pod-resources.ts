// Compute resources as upstream counts them (framework.Resource / resourcehelper): CPU in
// millicores, memory and ephemeral storage in bytes, the allowed pod count, and scalar resources
// (extended resources, hugepages) by name. Shared by the scheduler and the kubelet's admission;
// quantities are read rounded up, as Quantity.Value() and MilliValue() do.
import type { Pod, ResourceRequirements } from 'kubernetes-types/core/v1.js';
import { readQuantity, type Quantity } from '../../util/quantity.js';

export type ResourceList = Record<string, unknown> | undefined;

export interface Resource {
  milliCPU: number;
  memory: number;
  ephemeralStorage: number;
  allowedPodNumber: number;
  scalar: Map<string, number>;
}

/** upstream's DefaultMilliCPURequest: what a container without a cpu request counts for scoring. */
export const DEFAULT_MILLI_CPU_REQUEST = 100;
/** upstream's DefaultMemoryRequest (200 MiB). */
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

export function emptyResource(): Resource {
  return { milliCPU: 0, memory: 0, ephemeralStorage: 0, allowedPodNumber: 0, scalar: new Map() };
}

export function cloneResource(r: Resource): Resource {
  // A literal in emptyResource's field order keeps one object shape for the scheduler's hot filter loop.
  return { milliCPU: r.milliCPU, memory: r.memory, ephemeralStorage: r.ephemeralStorage, allowedPodNumber: r.allowedPodNumber, scalar: new Map(r.scalar) };
}

/** Quantity.Value(): the amount rounded up to a whole number. */
export function quantityValue(q: Quantity): number {
  return scaledCeil(q, 0);
}

/** Quantity.MilliValue(): the amount in thousandths, rounded up. */
export function quantityMilliValue(q: Quantity): number {
  return scaledCeil(q, 3);
}

function scaledCeil(q: Quantity, shift: number): number {
  const e = q.exp + shift;
  if (e >= 0) return Number(q.value * 10n ** BigInt(e));
  const div = 10n ** BigInt(-e);
  let v = q.value / div;
  if (q.value % div !== 0n && q.value > 0n) v += 1n;
  return Number(v);
}

/** The value of a resource-list entry (0 when absent or unreadable). */
export function listValue(rl: ResourceList, name: string, milli = false): number {
  const q = rl ? readQuantity(rl[name]) : undefined;
  if (!q) return 0;
  return milli ? quantityMilliValue(q) : quantityValue(q);
}

/** Names of the resources counted as scalars: extended resources, hugepages, attachable volumes. */
export function isScalarResourceName(name: string): boolean {
  if (name.startsWith('hugepages-') || name.startsWith('attachable-volumes-')) return true;
  // Extended resources (domain-qualified, not requests.*) and prefixed native ones (kubernetes.io/…).
  return name.includes('/') && !name.startsWith('requests.');
}

/** Adds a resource list into `r` (Resource.Add). */
export function addList(r: Resource, rl: ResourceList): void {
  if (!rl) return;
  for (const [name, raw] of Object.entries(rl)) {
    const q = readQuantity(raw);
    if (!q) continue;
    switch (name) {
      case 'cpu': r.milliCPU += quantityMilliValue(q); break;
      case 'memory': r.memory += quantityValue(q); break;
      case 'pods': r.allowedPodNumber += quantityValue(q); break;
      case 'ephemeral-storage': r.ephemeralStorage += quantityValue(q); break;
      default:
        if (isScalarResourceName(name)) r.scalar.set(name, (r.scalar.get(name) ?? 0) + quantityValue(q));
    }
  }
}

/** Raises each dimension of `r` to at least the list's (Resource.SetMaxResource). */
export function maxList(r: Resource, rl: ResourceList): void {
  if (!rl) return;
  const other = emptyResource();
  addList(other, rl);
  r.milliCPU = Math.max(r.milliCPU, other.milliCPU);
  r.memory = Math.max(r.memory, other.memory);
  r.ephemeralStorage = Math.max(r.ephemeralStorage, other.ephemeralStorage);
  for (const [k, v] of other.scalar) r.scalar.set(k, Math.max(r.scalar.get(k) ?? 0, v));
}

export function resourceFromList(rl: ResourceList): Resource {
  const r = emptyResource();
  addList(r, rl);
  return r;
}

function isSidecar(c: { restartPolicy?: string }): boolean {
  return c.restartPolicy === 'Always';
}

/**
 * The pod's effective request (resourcehelper.PodRequests): the sum of its containers, raised to
 * any init container's (which run one at a time, each alongside the sidecars started before it),
 * plus the pod overhead. With `nonZero`, a container without a cpu or memory request counts the
 * defaults upstream uses for scoring (100m, 200Mi).
 */
export function podRequests(pod: Pod, opts: { nonZero?: boolean } = {}): Resource {
  const spec = pod.spec;
  const req = (c: { resources?: ResourceRequirements }): ResourceList => {
    const r = c.resources?.requests as ResourceList;
    if (!opts.nonZero) return r;
    const out: Record<string, unknown> = { ...r };
    if (out.cpu === undefined) out.cpu = `${DEFAULT_MILLI_CPU_REQUEST}m`;
    if (out.memory === undefined) out.memory = String(DEFAULT_MEMORY_REQUEST);
    return out;
  };
  const total = emptyResource();
  for (const c of spec?.containers ?? []) addList(total, req(c));
  const sidecars = emptyResource();
  for (const c of spec?.initContainers ?? []) {
    if (isSidecar(c)) {
      addList(total, req(c));
      addList(sidecars, req(c));
      continue;
    }
    const withSidecars = cloneResource(sidecars);
    addList(withSidecars, req(c));
    raise(total, withSidecars);
  }
  if (spec?.overhead) addList(total, spec.overhead as ResourceList);
  return total;
}

function raise(r: Resource, other: Resource): void {
  r.milliCPU = Math.max(r.milliCPU, other.milliCPU);
  r.memory = Math.max(r.memory, other.memory);
  r.ephemeralStorage = Math.max(r.ephemeralStorage, other.ephemeralStorage);
  for (const [k, v] of other.scalar) r.scalar.set(k, Math.max(r.scalar.get(k) ?? 0, v));
}
