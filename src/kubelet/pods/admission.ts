// Admission on the node (upstream's predicate admit handler): a pod the scheduler placed here
// is still rejected if it does not fit what is left of the node's allocatable, or if its
// nodeSelector does not match the node's labels. Rejected pods fail with upstream's reasons.
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { listValue, podRequests } from '../../api/resources/pod-resources.js';

export interface AdmitResult {
  admit: boolean;
  reason?: string;
  message?: string;
}

/** `active`: pods already admitted and not finished. */
export function admitPod(pod: Pod, node: Node | undefined, active: Pod[]): AdmitResult {
  const labels = node?.metadata?.labels ?? {};
  for (const [k, v] of Object.entries(pod.spec?.nodeSelector ?? {})) {
    if (labels[k] !== v) return { admit: false, reason: 'NodeAffinity', message: 'Pod was rejected: Predicate NodeAffinity failed' };
  }
  const alloc = node?.status?.allocatable as Record<string, unknown> | undefined;
  if (!alloc) return { admit: true };
  if (active.length + 1 > listValue(alloc, 'pods')) {
    return { admit: false, reason: 'OutOfpods', message: `Pod was rejected: Node didn't have enough resource: pods, requested: 1, used: ${active.length}, capacity: ${listValue(alloc, 'pods')}` };
  }
  const want = podRequests(pod);
  let usedCpu = 0;
  let usedMem = 0;
  for (const p of active) {
    const r = podRequests(p);
    usedCpu += r.milliCPU;
    usedMem += r.memory;
  }
  const capCpu = listValue(alloc, 'cpu', true);
  const capMem = listValue(alloc, 'memory');
  if (want.milliCPU > 0 && usedCpu + want.milliCPU > capCpu) {
    return { admit: false, reason: 'OutOfcpu', message: `Pod was rejected: Node didn't have enough resource: cpu, requested: ${want.milliCPU}, used: ${usedCpu}, capacity: ${capCpu}` };
  }
  if (want.memory > 0 && usedMem + want.memory > capMem) {
    return { admit: false, reason: 'OutOfmemory', message: `Pod was rejected: Node didn't have enough resource: memory, requested: ${want.memory}, used: ${usedMem}, capacity: ${capMem}` };
  }
  return { admit: true };
}
