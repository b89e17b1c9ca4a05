// The size of a memory-backed emptyDir (upstream's calculateEmptyDirMemorySize): node allocatable
// memory, lowered to the pod's memory limit when it has one, lowered to the volume's sizeLimit.
import type { Pod, Volume } from 'kubernetes-types/core/v1.js';
import { parseQuantity, roundUpQuantity } from '../../util/quantity.js';

function bytes(q: unknown): number | undefined {
  if (q === undefined || q === null || q === '') return undefined;
  const r = roundUpQuantity(parseQuantity(String(q)), 0);
  return Number(r.value * 10n ** BigInt(r.exp));
}

/** The pod's memory limit as its cgroup gets it: unlimited (undefined) unless every container has one. */
export function podMemoryLimit(pod: Pod): number | undefined {
  let sum = 0;
  for (const c of pod.spec?.containers ?? []) {
    const l = bytes(c.resources?.limits?.memory);
    if (!l) return undefined;
    sum += l;
  }
  for (const c of pod.spec?.initContainers ?? []) {
    const l = bytes(c.resources?.limits?.memory);
    if (!l) return undefined;
    // Sidecars (restartAlways init containers) run beside the app; plain init containers before it.
    if (c.restartPolicy === 'Always') sum += l;
    else sum = Math.max(sum, l);
  }
  return sum > 0 ? sum : undefined;
}

/** Bytes for the tmpfs; 0 means no limit (the runtime's default). */
export function memoryEmptyDirSize(pod: Pod, volume: Volume, allocatableMemory: string | undefined): number {
  let size = bytes(allocatableMemory) ?? 0;
  const lower = (v: number | undefined) => {
    if (v && v > 0 && (size === 0 || v <= size)) size = v;
  };
  lower(podMemoryLimit(pod));
  lower(bytes(volume.emptyDir?.sizeLimit));
  return size;
}
