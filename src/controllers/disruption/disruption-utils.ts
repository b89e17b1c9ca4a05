// The arithmetic of PodDisruptionBudget status (pkg/controller/disruption and
// component-helpers' poddisruptionbudget), free of I/O: time comes in as `now` (ms).
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { PodDisruptionBudget, PodDisruptionBudgetStatus } from 'kubernetes-types/policy/v1.js';
import type { Condition } from 'kubernetes-types/meta/v1.js';

/** How long a pod may stay in status.disruptedPods without being seen terminating (DeletionTimeout). */
export const DELETION_TIMEOUT_MS = 2 * 60_000;
/** How long a pod may carry a stale DisruptionTarget=True condition (stalePodDisruptionTimeout). */
export const STALE_POD_DISRUPTION_TIMEOUT_MS = 2 * 60_000;

export const DISRUPTION_ALLOWED = 'DisruptionAllowed';
export const SUFFICIENT_PODS = 'SufficientPods';
export const INSUFFICIENT_PODS = 'InsufficientPods';
export const SYNC_FAILED = 'SyncFailed';

type IntOrString = number | string;

/**
 * intstr.GetScaledValueFromIntOrPercent: an int as is; "N%" of `total`, rounded up or down.
 * Throws for a string that is not a percentage.
 */
export function scaledValue(v: IntOrString, total: number, roundUp: boolean): number {
  if (typeof v === 'number') return v;
  const m = /^(-?\d+)%$/.exec(v);
  if (!m) throw new Error(`invalid value for IntOrString: invalid type: string is not a percentage`);
  const x = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(x) : Math.floor(x);
}

/** What a pod's controller contributes to expectedPods: its uid and spec.replicas. */
export interface ControllerScale {
  uid: string;
  scale: number;
}

/** Finds the scale of a pod's controller; undefined when none is found. */
export type ScaleFinder = (pod: Pod) => Promise<ControllerScale | undefined>;

export interface ExpectedCount {
  expectedCount: number;
  desiredHealthy: number;
  /** Names of selected pods without a controller (only looked for when scales are needed). */
  unmanagedPods: string[];
}

/**
 * getExpectedPodCount: maxUnavailable and percentage minAvailable are relative to the sum of the
 * pods' controllers' scales; an integer minAvailable needs no controllers (expected = pod count).
 */
export async function expectedPodCount(pdb: PodDisruptionBudget, pods: Pod[], find: ScaleFinder): Promise<ExpectedCount> {
  const spec = pdb.spec ?? {};
  if (spec.maxUnavailable !== undefined && spec.maxUnavailable !== null) {
    const { expectedCount, unmanagedPods } = await expectedScale(pods, find);
    const maxUnavailable = scaledValue(spec.maxUnavailable, expectedCount, true);
    return { expectedCount, desiredHealthy: Math.max(0, expectedCount - maxUnavailable), unmanagedPods };
  }
  if (spec.minAvailable !== undefined && spec.minAvailable !== null) {
    if (typeof spec.minAvailable === 'number') return { expectedCount: pods.length, desiredHealthy: spec.minAvailable, unmanagedPods: [] };
    const { expectedCount, unmanagedPods } = await expectedScale(pods, find);
    return { expectedCount, desiredHealthy: scaledValue(spec.minAvailable, expectedCount, true), unmanagedPods };
  }
  return { expectedCount: 0, desiredHealthy: 0, unmanagedPods: [] };
}

/**
 * getExpectedScale: the sum of the scales of the distinct controllers of the pods. Pods without
 * a controller are reported, not counted; a controller that cannot be found is an error.
 */
export async function expectedScale(pods: Pod[], find: ScaleFinder): Promise<{ expectedCount: number; unmanagedPods: string[] }> {
  const scales = new Map<string, number>();
  const unmanagedPods: string[] = [];
  for (const pod of pods) {
    const ref = controllerOf(pod);
    if (!ref) {
      unmanagedPods.push(pod.metadata?.name ?? '');
      continue;
    }
    if (ref.uid && scales.has(ref.uid)) continue;
    const found = await find(pod);
    if (!found) throw new Error(`found no controllers for pod "${pod.metadata?.name ?? ''}"`);
    scales.set(found.uid, found.scale);
  }
  let expectedCount = 0;
  for (const s of scales.values()) expectedCount += s;
  return { expectedCount, unmanagedPods };
}

export function controllerOf(o: { metadata?: { ownerReferences?: Array<{ controller?: boolean; apiVersion: string; kind: string; name: string; uid: string }> } }) {
  return o.metadata?.ownerReferences?.find((r) => r.controller === true);
}

/** podutil.IsPodReady. */
export function isPodReady(pod: Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

function timeMs(t: unknown): number {
  const ms = typeof t === 'string' ? Date.parse(t) : NaN;
  return Number.isFinite(ms) ? ms : 0;
}

/** Ready pods that are neither terminating nor recently disrupted (countHealthyPods). */
export function countHealthyPods(pods: Pod[], disruptedPods: Record<string, string>, now: number): number {
  let healthy = 0;
  for (const pod of pods) {
    if (pod.metadata?.deletionTimestamp) continue;
    const at = disruptedPods[pod.metadata?.name ?? ''];
    if (at !== undefined && timeMs(at) + DELETION_TIMEOUT_MS > now) continue;
    if (isPodReady(pod)) healthy++;
  }
  return healthy;
}

/**
 * buildDisruptedPodMap: keeps the entries of pods that exist, are not terminating yet and were
 * disrupted less than DELETION_TIMEOUT ago; `recheckAt` is when the earliest kept one expires.
 * `expired` names the pods that were expected to be deleted but were not.
 */
export function buildDisruptedPodMap(pods: Pod[], pdb: PodDisruptionBudget, now: number): { disruptedPods: Record<string, string>; recheckAt?: number; expired: Pod[] } {
  const old = (pdb.status?.disruptedPods ?? {}) as Record<string, string>;
  const disruptedPods: Record<string, string> = {};
  const expired: Pod[] = [];
  let recheckAt: number | undefined;
  for (const pod of pods) {
    if (pod.metadata?.deletionTimestamp) continue;
    const name = pod.metadata?.name ?? '';
    const at = old[name];
    if (at === undefined) continue;
    const expectedDeletion = timeMs(at) + DELETION_TIMEOUT_MS;
    if (expectedDeletion < now) {
      expired.push(pod);
    } else {
      if (recheckAt === undefined || expectedDeletion < recheckAt) recheckAt = expectedDeletion;
      disruptedPods[name] = at;
    }
  }
  return { disruptedPods, recheckAt, expired };
}

/** disruptionsAllowed: the healthy surplus, and 0 while no pods are expected. */
export function disruptionsAllowed(currentHealthy: number, desiredHealthy: number, expectedCount: number): number {
  const allowed = currentHealthy - desiredHealthy;
  return expectedCount <= 0 || allowed <= 0 ? 0 : allowed;
}

/** meta.SetStatusCondition: lastTransitionTime moves only when the status changes. */
export function setStatusCondition(conditions: Condition[], want: Omit<Condition, 'lastTransitionTime'>, now: string): Condition[] {
  const old = conditions.find((c) => c.type === want.type);
  if (!old) return [...conditions, { ...want, lastTransitionTime: now }];
  const next: Condition = { ...old, ...want, lastTransitionTime: old.status === want.status ? old.lastTransitionTime : now };
  return conditions.map((c) => (c === old ? next : c));
}

/** pdbhelper.UpdateDisruptionAllowedCondition. */
export function updateDisruptionAllowedCondition(status: PodDisruptionBudgetStatus, now: string): void {
  const allowed = status.disruptionsAllowed > 0;
  status.conditions = setStatusCondition(status.conditions ?? [], {
    type: DISRUPTION_ALLOWED,
    status: allowed ? 'True' : 'False',
    reason: allowed ? SUFFICIENT_PODS : INSUFFICIENT_PODS,
    message: '',
    observedGeneration: status.observedGeneration,
  }, now);
}

/** pdbhelper.ConditionsAreUpToDate. */
export function conditionsAreUpToDate(pdb: PodDisruptionBudget): boolean {
  const st = pdb.status;
  const cond = st?.conditions?.find((c) => c.type === DISRUPTION_ALLOWED);
  if (!st || !cond) return false;
  if ((st.observedGeneration ?? 0) !== (pdb.metadata?.generation ?? 0)) return false;
  if (st.disruptionsAllowed > 0) return cond.status === 'True' && cond.reason === SUFFICIENT_PODS;
  return cond.status === 'False' && cond.reason === INSUFFICIENT_PODS;
}

export interface ComputedStatus {
  currentHealthy: number;
  desiredHealthy: number;
  expectedPods: number;
  disruptedPods: Record<string, string>;
}

/**
 * The status updatePdbStatus would write, or undefined when the current one is up to date.
 * Conditions are carried over and the DisruptionAllowed one refreshed.
 */
export function nextStatus(pdb: PodDisruptionBudget, c: ComputedStatus, now: string): PodDisruptionBudgetStatus | undefined {
  const allowed = disruptionsAllowed(c.currentHealthy, c.desiredHealthy, c.expectedPods);
  const st = pdb.status;
  const generation = pdb.metadata?.generation ?? 0;
  if (
    st && st.currentHealthy === c.currentHealthy && st.desiredHealthy === c.desiredHealthy && st.expectedPods === c.expectedPods &&
    st.disruptionsAllowed === allowed && sameMap(st.disruptedPods ?? {}, c.disruptedPods) && (st.observedGeneration ?? 0) === generation &&
    conditionsAreUpToDate(pdb)
  ) {
    return undefined;
  }
  const next: PodDisruptionBudgetStatus = {
    currentHealthy: c.currentHealthy,
    desiredHealthy: c.desiredHealthy,
    expectedPods: c.expectedPods,
    disruptionsAllowed: allowed,
    observedGeneration: generation,
    conditions: st?.conditions ?? [],
  };
  if (Object.keys(c.disruptedPods).length) next.disruptedPods = c.disruptedPods;
  updateDisruptionAllowedCondition(next, now);
  return next;
}

/** failSafe: no disruptions, and why. */
export function failSafeStatus(pdb: PodDisruptionBudget, message: string, now: string): PodDisruptionBudgetStatus {
  const st: PodDisruptionBudgetStatus = { currentHealthy: 0, desiredHealthy: 0, expectedPods: 0, ...structuredClone(pdb.status ?? {}), disruptionsAllowed: 0 };
  st.conditions = setStatusCondition(st.conditions ?? [], {
    type: DISRUPTION_ALLOWED, status: 'False', reason: SYNC_FAILED, message, observedGeneration: st.observedGeneration,
  }, now);
  return st;
}

/**
 * nonTerminatingPodHasStaleDisruptionCondition: a pod not being deleted, not terminal, with a
 * DisruptionTarget=True condition not set by the kubelet; answers after how long it is stale.
 */
export function staleDisruptionCondition(pod: Pod, now: number, timeoutMs = STALE_POD_DISRUPTION_TIMEOUT_MS): { stale: boolean; afterMs: number } {
  if (pod.metadata?.deletionTimestamp) return { stale: false, afterMs: 0 };
  const cond = pod.status?.conditions?.find((c) => c.type === 'DisruptionTarget');
  const phase = pod.status?.phase;
  if (!cond || cond.status !== 'True' || cond.reason === 'TerminationByKubelet' || phase === 'Succeeded' || phase === 'Failed') {
    return { stale: false, afterMs: 0 };
  }
  return { stale: true, afterMs: Math.max(0, timeoutMs - (now - timeMs(cond.lastTransitionTime))) };
}

function sameMap(a: Record<string, string>, b: Record<string, string>): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => b[k] !== undefined && timeMs(a[k]) === timeMs(b[k]));
}
