// Pod predicates controllers share (podutil's IsPodReady / IsPodAvailable, controller_utils'
// IsPodActive / IsPodTerminating) and upstream's ActivePodsWithRanks ordering, which decides
// which pods a ReplicaSet deletes first when it scales down. All pure: time comes in as `now`.
import type { Pod } from 'kubernetes-types/core/v1.js';

/** Annotation that makes a pod cheaper (lower) or dearer (higher) to delete. */
export const POD_DELETION_COST = 'controller.kubernetes.io/pod-deletion-cost';

/** Neither terminal (Succeeded/Failed) nor being deleted (IsPodActive). */
export function isPodActive(p: Pod): boolean {
  const phase = p.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && !p.metadata?.deletionTimestamp;
}

/** Being deleted but not terminal yet (IsPodTerminating). */
export function isPodTerminating(p: Pod): boolean {
  const phase = p.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && !!p.metadata?.deletionTimestamp;
}

export function filterActivePods(pods: readonly Pod[]): Pod[] {
  return pods.filter(isPodActive);
}

export function filterTerminatingPods(pods: readonly Pod[]): Pod[] {
  return pods.filter(isPodTerminating);
}

function readyCondition(p: Pod) {
  return p.status?.conditions?.find((c) => c.type === 'Ready');
}

/** The pod's Ready condition is True. */
export function isPodReady(p: Pod): boolean {
  return readyCondition(p)?.status === 'True';
}

/** When the pod last became Ready (ms), or undefined when not ready or unknown. */
export function podReadyTime(p: Pod): number | undefined {
  const c = readyCondition(p);
  if (c?.status !== 'True') return undefined;
  return parseTime(c.lastTransitionTime);
}

/** Ready for at least `minReadySeconds` by `now` (IsPodAvailable). */
export function isPodAvailable(p: Pod, minReadySeconds: number, now: number): boolean {
  if (!isPodReady(p)) return false;
  if (!minReadySeconds) return true;
  const since = parseTime(readyCondition(p)?.lastTransitionTime);
  return since !== undefined && since + minReadySeconds * 1000 < now;
}

/** Milliseconds of an RFC 3339 time; undefined for an absent or unparsable one (a zero Time). */
export function parseTime(t: string | Date | undefined): number | undefined {
  if (t === undefined || t === null) return undefined;
  const ms = t instanceof Date ? t.getTime() : Date.parse(t);
  return Number.isNaN(ms) ? undefined : ms;
}

/** The pod-deletion-cost annotation as an int32; 0 when absent or invalid (as upstream). */
export function deletionCost(p: Pod): number {
  const v = p.metadata?.annotations?.[POD_DELETION_COST];
  if (v === undefined || !/^[+-]?\d+$/.test(v)) return 0;
  const n = Number(v);
  return n >= -2147483648 && n <= 2147483647 ? n : 0;
}

function maxContainerRestarts(p: Pod): number {
  let max = 0;
  for (const c of p.status?.containerStatuses ?? []) max = Math.max(max, c.restartCount ?? 0);
  return max;
}

const PHASE_ORDINAL: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

function phaseOrdinal(p: Pod): number {
  return PHASE_ORDINAL[p.status?.phase ?? ''] ?? 0;
}

/** Whole log2 of the age in nanoseconds, as upstream buckets ages (-1 for no age). */
function logRank(t: number, now: number): number {
  const d = (now - t) * 1e6;
  return d > 0 ? Math.floor(Math.log2(d)) : -1;
}

/** `a` after `b`, a missing time counting as the earliest of all (afterOrZero). */
function afterOrZero(a: number | undefined, b: number | undefined): boolean {
  if (a === undefined || b === undefined) return a === undefined;
  return a > b;
}

/** Newer first, in logarithmic buckets of age, ties broken by UID (LogarithmicScaleDown). */
function newerFirst(a: Pod, b: Pod, ta: number | undefined, tb: number | undefined, now: number | undefined): boolean {
  if (now === undefined || ta === undefined || tb === undefined) return afterOrZero(ta, tb);
  const diff = logRank(ta, now) - logRank(tb, now);
  if (diff === 0) return (a.metadata?.uid ?? '') < (b.metadata?.uid ?? '');
  return diff < 0;
}

export interface RankedPod {
  pod: Pod;
  /** Active related pods on the same node (more colocated: deleted first). */
  rank: number;
}

/**
 * ActivePodsWithRanks.Less: true when `a` should be deleted before `b`.
 *  1. unassigned < assigned; 2. Pending < Unknown < Running; 3. not ready < ready;
 *  4. lower pod-deletion-cost first; 5. higher rank (doubled up) first;
 *  6. both ready: ready for less time first; 7. more container restarts first;
 *  8. newer creation first. Times in 6 and 8 compare in log2 buckets of age when `now` is given.
 */
export function deleteBefore(a: RankedPod, b: RankedPod, now?: number): boolean {
  const pa = a.pod;
  const pb = b.pod;
  const na = pa.spec?.nodeName ?? '';
  const nb = pb.spec?.nodeName ?? '';
  if (na !== nb && (na === '' || nb === '')) return na === '';
  if (phaseOrdinal(pa) !== phaseOrdinal(pb)) return phaseOrdinal(pa) < phaseOrdinal(pb);
  const ra = isPodReady(pa);
  const rb = isPodReady(pb);
  if (ra !== rb) return !ra;
  const ca = deletionCost(pa);
  const cb = deletionCost(pb);
  if (ca !== cb) return ca < cb;
  if (a.rank !== b.rank) return a.rank > b.rank;
  if (ra && rb) {
    const ta = podReadyTime(pa);
    const tb = podReadyTime(pb);
    if (ta !== tb) return newerFirst(pa, pb, ta, tb, now);
  }
  const xa = maxContainerRestarts(pa);
  const xb = maxContainerRestarts(pb);
  if (xa !== xb) return xa > xb;
  const ta = parseTime(pa.metadata?.creationTimestamp);
  const tb = parseTime(pb.metadata?.creationTimestamp);
  if (ta !== tb) return newerFirst(pa, pb, ta, tb, now);
  return false;
}

/** Pods sorted so that the ones to delete first come first. */
export function sortForDeletion(pods: readonly RankedPod[], now?: number): RankedPod[] {
  return [...pods].sort((a, b) => (deleteBefore(a, b, now) ? -1 : deleteBefore(b, a, now) ? 1 : 0));
}

/**
 * Ranks each pod by how many active pods of `related` share its node
 * (getPodsRankedByRelatedPodsOnSameNode); `related` is usually a superset of `pods`.
 */
export function rankByRelatedPodsOnSameNode(pods: readonly Pod[], related: readonly Pod[]): RankedPod[] {
  const onNode = new Map<string, number>();
  for (const p of related) {
    if (!isPodActive(p)) continue;
    const node = p.spec?.nodeName ?? '';
    onNode.set(node, (onNode.get(node) ?? 0) + 1);
  }
  return pods.map((pod) => ({ pod, rank: onNode.get(pod.spec?.nodeName ?? '') ?? 0 }));
}

/** The `diff` pods to delete (getPodsToDelete): all of them, or the best-ranked victims. */
export function getPodsToDelete(pods: readonly Pod[], related: readonly Pod[], diff: number, now: number): Pod[] {
  if (diff >= pods.length) return pods.slice(0, diff);
  return sortForDeletion(rankByRelatedPodsOnSameNode(pods, related), now)
    .slice(0, diff)
    .map((r) => r.pod);
}
