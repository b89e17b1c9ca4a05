// Pure helpers of the ReplicaSet controller (replica_set_utils.go and the parts of
// controller_utils.go it uses): status computation, the ReplicaFailure condition, slow-start
// batching, pods from a template, and the ownerReference patches of adoption and release.
import type { ReplicaSet, ReplicaSetCondition, ReplicaSetStatus } from 'kubernetes-types/apps/v1.js';
import type { Pod, PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import { LabelSelector } from '../../api/selectors/index.js';
import { rfc3339 } from '../../util/clock.js';
import { isPodAvailable, isPodReady } from './active-pods.js';

/** Pods a ReplicaSet creates or deletes at most per sync (BurstReplicas). */
export const BURST_REPLICAS = 500;
/** The first slow-start batch (SlowStartInitialBatchSize). */
export const SLOW_START_INITIAL_BATCH_SIZE = 1;
/** Status updates retried after a failed one (statusUpdateRetries). */
export const STATUS_UPDATE_RETRIES = 1;

export const REPLICA_FAILURE = 'ReplicaFailure';
export const FAILED_CREATE_REASON = 'FailedCreate';
export const FAILED_DELETE_REASON = 'FailedDelete';
export const SUCCESSFUL_CREATE_REASON = 'SuccessfulCreate';
export const SUCCESSFUL_DELETE_REASON = 'SuccessfulDelete';

/** ReplicaSetStatus with the 1.33+ field kubernetes-types does not know yet. */
export type RSStatus = ReplicaSetStatus & { terminatingReplicas?: number };

/**
 * Calls `fn` `count` times in batches of 1, 2, 4, …: each batch runs concurrently, and the
 * first batch with a failure stops the rest (so a quota or admission error costs one call, not
 * hundreds). Answers the number of successful calls and the first error.
 */
export async function slowStartBatch(count: number, initialBatchSize: number, fn: () => Promise<void>): Promise<{ successes: number; error?: unknown }> {
  let remaining = count;
  let successes = 0;
  for (let batch = Math.min(remaining, initialBatchSize); batch > 0; batch = Math.min(2 * batch, remaining)) {
    const results = await Promise.allSettled(Array.from({ length: batch }, () => fn()));
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    successes += batch - failed.length;
    if (failed.length) return { successes, error: failed[0]!.reason };
    remaining -= batch;
  }
  return { successes };
}

/** The desired replicas (defaulted to 1 by the API server). */
export function specReplicas(rs: ReplicaSet): number {
  return rs.spec?.replicas ?? 1;
}

export function getCondition(status: RSStatus | undefined, type: string): ReplicaSetCondition | undefined {
  return status?.conditions?.find((c) => c.type === type);
}

/** Adds or replaces a condition, unless one with the same status and reason is already there. */
export function setCondition(status: RSStatus, cond: ReplicaSetCondition): void {
  const cur = getCondition(status, cond.type);
  if (cur && cur.status === cond.status && cur.reason === cond.reason) return;
  status.conditions = [...(status.conditions ?? []).filter((c) => c.type !== cond.type), cond];
}

export function removeCondition(status: RSStatus, type: string): void {
  const left = (status.conditions ?? []).filter((c) => c.type !== type);
  if (left.length) status.conditions = left;
  else delete status.conditions;
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * The status `rs` should have (calculateStatus): replicas counts the active pods it owns,
 * fullyLabeledReplicas those carrying all template labels, readyReplicas the Ready ones,
 * availableReplicas those Ready for minReadySeconds by `now`; terminatingReplicas is set when
 * `terminating` is given. A manageReplicas error sets ReplicaFailure (FailedCreate when short
 * of pods, FailedDelete when over); success removes it. observedGeneration is left as it was.
 */
export function calculateStatus(rs: ReplicaSet, activePods: readonly Pod[], terminating: readonly Pod[] | undefined, manageErr: unknown, now: number): RSStatus {
  const status: RSStatus = structuredClone(rs.status ?? {}) as RSStatus;
  const templateLabels = LabelSelector.fromSet(rs.spec?.template?.metadata?.labels);
  const minReady = rs.spec?.minReadySeconds ?? 0;
  let fullyLabeled = 0;
  let ready = 0;
  let available = 0;
  for (const p of activePods) {
    if (templateLabels.matches(p.metadata?.labels)) fullyLabeled++;
    if (isPodReady(p)) {
      ready++;
      if (isPodAvailable(p, minReady, now)) available++;
    }
  }
  const failure = getCondition(rs.status, REPLICA_FAILURE);
  if (manageErr !== undefined && !failure) {
    const diff = activePods.length - specReplicas(rs);
    const reason = diff < 0 ? FAILED_CREATE_REASON : diff > 0 ? FAILED_DELETE_REASON : '';
    setCondition(status, { type: REPLICA_FAILURE, status: 'True', lastTransitionTime: rfc3339(now), reason, message: errorMessage(manageErr) });
  } else if (manageErr === undefined && failure) {
    removeCondition(status, REPLICA_FAILURE);
  }
  status.replicas = activePods.length;
  status.fullyLabeledReplicas = fullyLabeled;
  status.readyReplicas = ready;
  status.availableReplicas = available;
  if (terminating) status.terminatingReplicas = terminating.length;
  else delete status.terminatingReplicas;
  return status;
}

/** True when writing `next` would change nothing (updateReplicaSetStatus's early return). */
export function statusUnchanged(rs: ReplicaSet, next: RSStatus): boolean {
  const cur = (rs.status ?? {}) as RSStatus;
  return (
    (cur.replicas ?? 0) === (next.replicas ?? 0) &&
    (cur.fullyLabeledReplicas ?? 0) === (next.fullyLabeledReplicas ?? 0) &&
    (cur.readyReplicas ?? 0) === (next.readyReplicas ?? 0) &&
    (cur.availableReplicas ?? 0) === (next.availableReplicas ?? 0) &&
    cur.terminatingReplicas === next.terminatingReplicas &&
    (rs.metadata?.generation ?? 0) === (cur.observedGeneration ?? 0) &&
    JSON.stringify(cur.conditions ?? []) === JSON.stringify(next.conditions ?? [])
  );
}

export interface OwnerKind {
  apiVersion: string;
  kind: string;
}

/** The controller reference a created or adopted pod carries (NewControllerRef). */
export function newControllerRef(owner: { metadata?: { name?: string; uid?: string } }, kind: OwnerKind): OwnerReference {
  return { apiVersion: kind.apiVersion, kind: kind.kind, name: owner.metadata?.name ?? '', uid: owner.metadata?.uid ?? '', controller: true, blockOwnerDeletion: true };
}

/** The controlling owner reference of an object (GetControllerOf). */
export function getControllerOf(obj: { metadata?: { ownerReferences?: OwnerReference[] } }): OwnerReference | undefined {
  return obj.metadata?.ownerReferences?.find((r) => r.controller === true);
}

/** `<name>-`, or the name itself when the dash would make an invalid generateName. */
export function podNamePrefix(controllerName: string): string {
  const prefix = `${controllerName}-`;
  return prefix.length <= 253 ? prefix : controllerName;
}

/**
 * The pod to create from a template (GetPodFromTemplate): the template's labels, annotations,
 * finalizers and spec, generateName `<owner>-` and the controller reference. Throws when the
 * template has no labels (no selector could ever match the pod).
 */
export function podFromTemplate(template: PodTemplateSpec | undefined, ownerName: string, controllerRef?: OwnerReference): Pod {
  const meta = template?.metadata ?? {};
  if (!meta.labels || Object.keys(meta.labels).length === 0) throw new Error('unable to create pods, no labels');
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { generateName: podNamePrefix(ownerName), labels: { ...meta.labels } },
    spec: structuredClone(template?.spec ?? { containers: [] }),
  };
  if (meta.annotations) pod.metadata!.annotations = { ...meta.annotations };
  if (meta.finalizers?.length) pod.metadata!.finalizers = [...meta.finalizers];
  if (controllerRef) pod.metadata!.ownerReferences = [{ ...controllerRef }];
  return pod;
}

/** The strategic merge patch that makes `owner` a pod's controller (ownerRefControllerPatch). */
export function adoptPatch(owner: { metadata?: { name?: string; uid?: string } }, kind: OwnerKind, podUid: string | undefined): unknown {
  return { metadata: { ownerReferences: [newControllerRef(owner, kind)], uid: podUid } };
}

/** The strategic merge patch that drops `ownerUid` from a pod's owners (GenerateDeleteOwnerRefStrategicMergeBytes). */
export function releasePatch(ownerUid: string | undefined, podUid: string | undefined): unknown {
  return { metadata: { ownerReferences: [{ $patch: 'delete', uid: ownerUid }], uid: podUid } };
}
