// The pod garbage collector's decisions, free of I/O: which pods each of its passes deletes and
// in what order, and the status patch that marks a pod Failed before it is force-deleted.
import type { Node, Pod, PodCondition } from 'kubernetes-types/core/v1.js';
import { rfc3339 } from '../../util/clock.js';

/** Upstream's --terminated-pod-gc-threshold default. */
export const DEFAULT_TERMINATED_POD_THRESHOLD = 12500;
/** gcCheckPeriod: how often the collector runs. */
export const GC_CHECK_PERIOD_MS = 20_000;
/** quarantineTime: how long a node missing from the informer gets to show up before a live GET. */
export const QUARANTINE_MS = 40_000;
/** v1.TaintNodeOutOfService. */
export const TAINT_NODE_OUT_OF_SERVICE = 'node.kubernetes.io/out-of-service';

/**
 * A pod that has finished: phase Succeeded or Failed. (Upstream counts any phase other than
 * Pending, Running and Unknown; the API server defaults the phase to Pending, so the two agree.)
 */
export function isPodTerminated(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

/** A pod being deleted (it has a deletionTimestamp). */
export function isPodTerminating(pod: Pod): boolean {
  return !!pod.metadata?.deletionTimestamp;
}

/** eviction.PodIsEvicted: Failed with reason Evicted. */
export function isPodEvicted(pod: Pod): boolean {
  return pod.status?.phase === 'Failed' && pod.status?.reason === 'Evicted';
}

/** byEvictionAndCreationTimestamp: evicted pods first, then oldest first, then by name. */
export function compareByEvictionAndCreation(a: Pod, b: Pod): number {
  const ea = isPodEvicted(a);
  const eb = isPodEvicted(b);
  if (ea !== eb) return ea ? -1 : 1;
  const ta = creationMs(a);
  const tb = creationMs(b);
  if (ta !== tb) return ta - tb;
  const na = a.metadata?.name ?? '';
  const nb = b.metadata?.name ?? '';
  return na < nb ? -1 : na > nb ? 1 : 0;
}

function creationMs(pod: Pod): number {
  const t = pod.metadata?.creationTimestamp;
  const ms = t ? Date.parse(t) : NaN;
  return Number.isNaN(ms) ? 0 : ms;
}

/** gcTerminated: the terminated pods beyond `threshold`, in the order they go (none when threshold ≤ 0). */
export function terminatedPodsToDelete(pods: Pod[], threshold: number): Pod[] {
  if (threshold <= 0) return [];
  const terminated = pods.filter(isPodTerminated);
  const count = terminated.length - threshold;
  if (count <= 0) return [];
  return terminated.sort(compareByEvictionAndCreation).slice(0, count);
}

/** The node's Ready condition is True. */
export function isNodeReady(node: Node): boolean {
  return (node.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

export function hasTaintKey(node: Node, key: string): boolean {
  return (node.spec?.taints ?? []).some((t) => t.key === key);
}

/**
 * gcTerminating: terminating pods on a node that is not Ready and carries the out-of-service
 * taint (the admin declared it shut down), in the order they go. Pods whose node the cache
 * does not know are left to the orphan pass.
 */
export function terminatingOutOfServicePods(pods: Pod[], getNode: (name: string) => Node | undefined): Pod[] {
  const out = pods.filter((pod) => {
    if (!isPodTerminating(pod)) return false;
    const node = getNode(pod.spec?.nodeName ?? '');
    return !!node && !isNodeReady(node) && hasTaintKey(node, TAINT_NODE_OUT_OF_SERVICE);
  });
  return out.sort(compareByEvictionAndCreation);
}

/** gcUnscheduledTerminating: terminating pods never bound to a node (no kubelet will finish them). */
export function unscheduledTerminatingPods(pods: Pod[]): Pod[] {
  return pods.filter((pod) => isPodTerminating(pod) && !pod.spec?.nodeName);
}

/** Names of nodes that bound pods name but the cache does not hold (candidates for quarantine). */
export function unknownNodeNames(pods: Pod[], existing: ReadonlySet<string>): Set<string> {
  const out = new Set<string>();
  for (const pod of pods) {
    const n = pod.spec?.nodeName;
    if (n && !existing.has(n)) out.add(n);
  }
  return out;
}

/** The condition an orphaned pod gets before it is deleted. */
export function orphanedPodCondition(): PodCondition {
  return { type: 'DisruptionTarget', status: 'True', reason: 'DeletionByPodGC', message: 'PodGC: node no longer exists' };
}

/**
 * The strategic merge patch for the status subresource that moves a pod to Failed (with
 * `condition`, if given), or undefined when the pod already finished. It carries the pod's uid,
 * so it cannot land on a pod re-created under the same name (utilpod.PatchPodStatus).
 */
export function failedStatusPatch(pod: Pod, condition: PodCondition | undefined, nowMs: number): object | undefined {
  if (isPodTerminated(pod)) return undefined;
  const status: Record<string, unknown> = { phase: 'Failed' };
  if (condition) {
    // UpdatePodCondition: the transition time moves only when the status changes.
    const old = (pod.status?.conditions ?? []).find((c) => c.type === condition.type);
    const lastTransitionTime = old && old.status === condition.status && old.lastTransitionTime ? old.lastTransitionTime : rfc3339(nowMs);
    status.conditions = [{ ...condition, lastTransitionTime }];
  }
  return { metadata: { uid: pod.metadata?.uid }, status };
}
