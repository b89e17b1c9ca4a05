// The Progressing condition during a rollout (upstream progress.go): NewReplicaSetAvailable once
// complete, ReplicaSetUpdated while it moves, ProgressDeadlineExceeded when it has not moved for
// progressDeadlineSeconds; ReplicaFailure copied from the ReplicaSets; and a requeue timed for
// the deadline so a stuck rollout is noticed without waiting for an event.
import type { Deployment, DeploymentCondition, DeploymentStatus, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import {
  NEW_RS_AVAILABLE_REASON, REPLICA_SET_UPDATED_REASON, TIMED_OUT_REASON, deploymentComplete, deploymentProgressing, deploymentTimedOut,
  getCondition, hasProgressDeadline, newCondition, removeCondition, replicaSetToDeploymentCondition, setCondition,
} from './conditions.js';
import type { DeploymentSyncContext } from './context.js';
import { calculateStatus, statusEqual, updateDeploymentStatus } from './status.js';

/** The status of a Deployment in a rollout, with Progressing estimated (pure; `now` in ms). */
export function rolloutStatus(allRSs: Array<ReplicaSet | undefined>, newRS: ReplicaSet | undefined, d: Deployment, now: number): DeploymentStatus {
  const status = calculateStatus(allRSs, newRS, d, now);
  if (!hasProgressDeadline(d)) removeCondition(status, 'Progressing');
  const current = getCondition(d.status, 'Progressing');
  const isCompleteDeployment = status.replicas === status.updatedReplicas && current?.reason === NEW_RS_AVAILABLE_REASON;
  if (hasProgressDeadline(d) && !isCompleteDeployment) {
    const name = d.metadata?.name;
    const rsName = newRS?.metadata?.name;
    if (deploymentComplete(d, status)) {
      const msg = rsName ? `ReplicaSet "${rsName}" has successfully progressed.` : `Deployment "${name}" has successfully progressed.`;
      setCondition(status, newCondition('Progressing', 'True', NEW_RS_AVAILABLE_REASON, msg, now));
    } else if (deploymentProgressing(d, status)) {
      const msg = rsName ? `ReplicaSet "${rsName}" is progressing.` : `Deployment "${name}" is progressing.`;
      const c = newCondition('Progressing', 'True', REPLICA_SET_UPDATED_REASON, msg, now);
      // Progress moves lastUpdateTime even when the reason stays ReplicaSetUpdated.
      if (current) {
        if (current.status === 'True') c.lastTransitionTime = current.lastTransitionTime;
        removeCondition(status, 'Progressing');
      }
      setCondition(status, c);
    } else if (deploymentTimedOut(d, status, now)) {
      const msg = rsName ? `ReplicaSet "${rsName}" has timed out progressing.` : `Deployment "${name}" has timed out progressing.`;
      setCondition(status, newCondition('Progressing', 'False', TIMED_OUT_REASON, msg, now));
    }
  }
  const failures = replicaFailures(allRSs, newRS);
  if (failures.length) setCondition(status, failures[0]!);
  else removeCondition(status, 'ReplicaFailure');
  return status;
}

/** ReplicaFailure conditions, the new ReplicaSet's first. */
export function replicaFailures(allRSs: Array<ReplicaSet | undefined>, newRS: ReplicaSet | undefined): DeploymentCondition[] {
  const of = (rs: ReplicaSet | undefined) => (rs?.status?.conditions ?? []).filter((c) => c.type === 'ReplicaFailure').map(replicaSetToDeploymentCondition);
  const fromNew = of(newRS);
  return fromNew.length ? fromNew : allRSs.flatMap(of);
}

/** Writes the rollout status when it changed; otherwise schedules the next deadline check. */
export async function syncRolloutStatus(c: DeploymentSyncContext, allRSs: Array<ReplicaSet | undefined>, newRS: ReplicaSet | undefined, d: Deployment): Promise<void> {
  const status = rolloutStatus(allRSs, newRS, d, c.clock.now());
  if (statusEqual(d.status, status)) {
    requeueStuckDeployment(c, d, status);
    return;
  }
  d.status = status;
  await updateDeploymentStatus(c, d);
}

/**
 * When a rollout shows no progress, sync again when its deadline passes (lastUpdateTime +
 * progressDeadlineSeconds), plus a second for rounding. Answers the delay (-1: none needed).
 */
export function requeueStuckDeployment(c: DeploymentSyncContext, d: Deployment, status: DeploymentStatus): number {
  const current = getCondition(d.status, 'Progressing');
  if (!hasProgressDeadline(d) || !current) return -1;
  if (deploymentComplete(d, status) || current.reason === TIMED_OUT_REASON) return -1;
  const last = current.lastUpdateTime ? Date.parse(current.lastUpdateTime) : c.clock.now();
  const after = last + (d.spec!.progressDeadlineSeconds ?? 0) * 1000 - c.clock.now();
  if (after < 1000) {
    c.enqueueRateLimited(d);
    return 0;
  }
  c.enqueueAfter(d, after + 1000);
  return after;
}
