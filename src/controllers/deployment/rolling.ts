// RollingUpdate (upstream rolling.go): scale the new ReplicaSet up as far as maxSurge allows,
// else scale old ReplicaSets down as far as maxUnavailable allows — unhealthy old replicas first,
// so a broken old ReplicaSet never blocks the rollout — and clean up once complete.
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import { deploymentComplete } from './conditions.js';
import type { DeploymentSyncContext } from './context.js';
import { syncRolloutStatus } from './progress.js';
import { activeReplicaSets, availableReplicaCount, byCreationTimestamp, maxUnavailable, newRSNewReplicas, replicaCount, specReplicas } from './replicas.js';
import { cleanupDeployment, getAllReplicaSetsAndSyncRevision, scaleReplicaSetAndRecordEvent } from './sync.js';

export async function rolloutRolling(c: DeploymentSyncContext, d: Deployment, rsList: ReplicaSet[]): Promise<void> {
  const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(c, d, rsList, true);
  const allRSs = [...oldRSs, newRS];
  if (newRS && (await reconcileNewReplicaSet(c, allRSs, newRS, d))) return syncRolloutStatus(c, allRSs, newRS, d);
  if (await reconcileOldReplicaSets(c, allRSs, activeReplicaSets(oldRSs), newRS, d)) return syncRolloutStatus(c, allRSs, newRS, d);
  if (deploymentComplete(d, d.status ?? {})) await cleanupDeployment(c, oldRSs, d);
  return syncRolloutStatus(c, allRSs, newRS, d);
}

/** Scales the new ReplicaSet toward spec.replicas within maxSurge; answers whether it scaled. */
export async function reconcileNewReplicaSet(c: DeploymentSyncContext, allRSs: Array<ReplicaSet | undefined>, newRS: ReplicaSet, d: Deployment): Promise<boolean> {
  const desired = specReplicas(d);
  if (specReplicas(newRS) === desired) return false;
  if (specReplicas(newRS) > desired) return (await scaleReplicaSetAndRecordEvent(c, newRS, desired, d)).scaled;
  return (await scaleReplicaSetAndRecordEvent(c, newRS, newRSNewReplicas(d, allRSs, newRS), d)).scaled;
}

/**
 * How far old ReplicaSets may shrink now: every replica above minAvailable, less the new
 * ReplicaSet's unavailable ones (they may never become available).
 */
export function maxScaledDown(allRSs: Array<ReplicaSet | undefined>, newRS: ReplicaSet | undefined, d: Deployment): number {
  const minAvailable = specReplicas(d) - maxUnavailable(d);
  const newUnavailable = specReplicas(newRS) - (newRS?.status?.availableReplicas ?? 0);
  return replicaCount(allRSs) - minAvailable - newUnavailable;
}

export async function reconcileOldReplicaSets(c: DeploymentSyncContext, allRSs: Array<ReplicaSet | undefined>, oldRSs: ReplicaSet[], newRS: ReplicaSet | undefined, d: Deployment): Promise<boolean> {
  if (replicaCount(oldRSs) === 0) return false; // nothing to scale down
  const max = maxScaledDown(allRSs, newRS, d);
  if (max <= 0) return false;
  const cleaned = await cleanupUnhealthyReplicas(c, oldRSs, d, max);
  const scaledDown = await scaleDownOldReplicaSetsForRollingUpdate(c, [...cleaned.oldRSs, newRS], cleaned.oldRSs, d);
  return cleaned.count + scaledDown > 0;
}

/** Removes unavailable replicas of old ReplicaSets, oldest first, at most `maxCleanup`. */
async function cleanupUnhealthyReplicas(c: DeploymentSyncContext, oldRSs: ReplicaSet[], d: Deployment, maxCleanup: number): Promise<{ oldRSs: ReplicaSet[]; count: number }> {
  const sorted = [...oldRSs].sort(byCreationTimestamp);
  let total = 0;
  for (let i = 0; i < sorted.length; i++) {
    if (total >= maxCleanup) break;
    const rs = sorted[i]!;
    const unhealthy = specReplicas(rs) - (rs.status?.availableReplicas ?? 0);
    if (specReplicas(rs) === 0 || unhealthy === 0) continue;
    const n = Math.min(maxCleanup - total, unhealthy);
    if (n <= 0) continue;
    sorted[i] = (await scaleReplicaSetAndRecordEvent(c, rs, specReplicas(rs) - n, d)).rs;
    total += n;
  }
  return { oldRSs: sorted, count: total };
}

/** Scales old ReplicaSets down, oldest first, while availability stays above minAvailable. */
async function scaleDownOldReplicaSetsForRollingUpdate(c: DeploymentSyncContext, allRSs: Array<ReplicaSet | undefined>, oldRSs: ReplicaSet[], d: Deployment): Promise<number> {
  const minAvailable = specReplicas(d) - maxUnavailable(d);
  const available = availableReplicaCount(allRSs);
  if (available <= minAvailable) return 0;
  const want = available - minAvailable;
  let total = 0;
  for (const rs of [...oldRSs].sort(byCreationTimestamp)) {
    if (total >= want) break;
    if (specReplicas(rs) === 0) continue;
    const n = Math.min(specReplicas(rs), want - total);
    await scaleReplicaSetAndRecordEvent(c, rs, specReplicas(rs) - n, d);
    total += n;
  }
  return total;
}
