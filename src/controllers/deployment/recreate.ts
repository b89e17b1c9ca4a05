// Recreate (upstream recreate.go): scale every old ReplicaSet to 0, wait until no old pod runs,
// then create (or scale up) the new ReplicaSet to spec.replicas.
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { deploymentComplete } from './conditions.js';
import type { DeploymentSyncContext } from './context.js';
import { syncRolloutStatus } from './progress.js';
import { activeReplicaSets, actualReplicaCount, specReplicas } from './replicas.js';
import { cleanupDeployment, getAllReplicaSetsAndSyncRevision, scaleReplicaSetAndRecordEvent } from './sync.js';

/** Pods of the Deployment by the UID of the ReplicaSet controlling them. */
export type PodMap = Map<string, Pod[]>;

export async function rolloutRecreate(c: DeploymentSyncContext, d: Deployment, rsList: ReplicaSet[], podMap: PodMap): Promise<void> {
  let { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(c, d, rsList, false);
  let allRSs = [...oldRSs, newRS];
  let scaledDown = false;
  for (const rs of activeReplicaSets(oldRSs)) {
    if ((await scaleReplicaSetAndRecordEvent(c, rs, 0, d)).scaled) scaledDown = true;
  }
  if (scaledDown) return syncRolloutStatus(c, allRSs, newRS, d);
  // Never run old and new pods side by side.
  if (oldPodsRunning(newRS, oldRSs, podMap)) return syncRolloutStatus(c, allRSs, newRS, d);
  if (!newRS) {
    ({ newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(c, d, rsList, true));
    allRSs = [...oldRSs, newRS];
  }
  if (newRS) await scaleReplicaSetAndRecordEvent(c, newRS, specReplicas(d), d);
  if (deploymentComplete(d, d.status ?? {})) await cleanupDeployment(c, oldRSs, d);
  return syncRolloutStatus(c, allRSs, newRS, d);
}

/** Whether old ReplicaSets still report replicas, or any pod not of the new one is not finished. */
export function oldPodsRunning(newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[], podMap: PodMap): boolean {
  if (actualReplicaCount(oldRSs) > 0) return true;
  for (const [uid, pods] of podMap) {
    if (newRS && newRS.metadata?.uid === uid) continue;
    for (const p of pods) {
      const phase = p.status?.phase;
      if (phase === 'Failed' || phase === 'Succeeded') continue;
      return true;
    }
  }
  return false;
}
