// The Deployment's status: computed from its ReplicaSets (calculateStatus) and written through
// the status subresource. The revision annotation travels with status writes, as upstream's
// status strategy keeps metadata.annotations; where the API server drops metadata changes on a
// status write, the annotation is patched onto the object instead.
import type { Deployment, DeploymentStatus, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import { deployments } from '../../client/resources.js';
import { semanticEqual } from '../../api/validation/field.js';
import { REVISION_ANNOTATION } from './annotations.js';
import { MINIMUM_REPLICAS_AVAILABLE, MINIMUM_REPLICAS_UNAVAILABLE, newCondition, setCondition } from './conditions.js';
import type { DeploymentSyncContext } from './context.js';
import { actualReplicaCount, availableReplicaCount, maxUnavailable, readyReplicaCount, replicaCount, specReplicas } from './replicas.js';

/** The status the ReplicaSets say the Deployment has (conditions copied, Available set). */
export function calculateStatus(allRSs: Array<ReplicaSet | undefined>, newRS: ReplicaSet | undefined, d: Deployment, nowMs: number): DeploymentStatus {
  const available = availableReplicaCount(allRSs);
  const total = replicaCount(allRSs);
  const unavailable = Math.max(0, total - available);
  const status: DeploymentStatus = omitZero({
    observedGeneration: d.metadata?.generation ?? 0,
    replicas: actualReplicaCount(allRSs),
    updatedReplicas: actualReplicaCount([newRS]),
    readyReplicas: readyReplicaCount(allRSs),
    availableReplicas: available,
    unavailableReplicas: unavailable,
  });
  if (d.status?.collisionCount !== undefined && d.status.collisionCount !== null) status.collisionCount = d.status.collisionCount;
  if (d.status?.conditions?.length) status.conditions = d.status.conditions.map((c) => ({ ...c }));
  if (available >= specReplicas(d) - maxUnavailable(d)) {
    setCondition(status, newCondition('Available', 'True', MINIMUM_REPLICAS_AVAILABLE, 'Deployment has minimum availability.', nowMs));
  } else {
    setCondition(status, newCondition('Available', 'False', MINIMUM_REPLICAS_UNAVAILABLE, 'Deployment does not have minimum availability.', nowMs));
  }
  return status;
}

/** Writes the status when it changed (used where no rollout is estimated: paused, scaling). */
export async function syncDeploymentStatus(c: DeploymentSyncContext, allRSs: Array<ReplicaSet | undefined>, newRS: ReplicaSet | undefined, d: Deployment): Promise<void> {
  const status = calculateStatus(allRSs, newRS, d, c.clock.now());
  if (statusEqual(d.status, status)) return;
  d.status = status;
  await updateDeploymentStatus(c, d);
}

export function statusEqual(a: DeploymentStatus | undefined, b: DeploymentStatus | undefined): boolean {
  return semanticEqual(a ?? {}, b ?? {});
}

/**
 * PUT deployments/status with `d`; `d` takes the stored resourceVersion (and generation), so the
 * same sync may write again without a conflict.
 */
export async function updateDeploymentStatus(c: DeploymentSyncContext, d: Deployment): Promise<void> {
  const api = c.client.resource(deployments).namespace(d.metadata!.namespace);
  const stored = await api.updateStatus(d);
  takeVersion(d, stored);
  const want = d.metadata?.annotations?.[REVISION_ANNOTATION];
  if (want !== undefined && stored.metadata?.annotations?.[REVISION_ANNOTATION] !== want) {
    const patched = await api.patch(d.metadata!.name!, { metadata: { annotations: { [REVISION_ANNOTATION]: want } } });
    takeVersion(d, patched);
  }
}

function takeVersion(d: Deployment, stored: Deployment): void {
  const m = (d.metadata ??= {});
  Object.assign(m, { resourceVersion: stored.metadata?.resourceVersion });
  if (stored.metadata?.generation !== undefined) Object.assign(m, { generation: stored.metadata.generation });
}

/** Go's omitempty for the int32 status counters. */
function omitZero(s: Record<string, number>): DeploymentStatus {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(s)) if (v !== 0) out[k] = v;
  return out as DeploymentStatus;
}
