// Rollback through the deprecated `deprecated.deployment.rollback.to` annotation (apps/v1's
// stand-in for extensions/v1beta1 spec.rollbackTo). `kubectl rollout undo` does not use it: it
// patches the template itself and the controller simply rolls out the "new" template, finding
// the old ReplicaSet and giving it the next revision (revision-history keeps the old numbers).
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import { deployments } from '../../client/resources.js';
import { DEPRECATED_ROLLBACK_TO, lastRevision, revisionOf, setDeploymentAnnotationsTo } from './annotations.js';
import { ROLLBACK_DONE, ROLLBACK_REVISION_NOT_FOUND, ROLLBACK_TEMPLATE_UNCHANGED } from './conditions.js';
import { deploymentRef, type DeploymentSyncContext } from './context.js';
import { DEFAULT_DEPLOYMENT_UNIQUE_LABEL_KEY, equalIgnoreHash } from './replicas.js';
import { getAllReplicaSetsAndSyncRevision, getRollbackTo } from './sync.js';

export async function rollback(c: DeploymentSyncContext, d: Deployment, rsList: ReplicaSet[]): Promise<void> {
  const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(c, d, rsList, true);
  const allRSs = [...oldRSs, newRS];
  let revision = getRollbackTo(d) ?? 0;
  if (revision === 0) {
    revision = lastRevision(allRSs);
    if (revision === 0) {
      c.recorder.event(deploymentRef(d), 'Warning', ROLLBACK_REVISION_NOT_FOUND, 'Unable to find last revision.');
      return updateDeploymentAndClearRollbackTo(c, d);
    }
  }
  const target = allRSs.find((rs) => rs && revisionOf(rs) === revision);
  if (!target) {
    c.recorder.event(deploymentRef(d), 'Warning', ROLLBACK_REVISION_NOT_FOUND, 'Unable to find the revision to rollback to.');
    return updateDeploymentAndClearRollbackTo(c, d);
  }
  if (equalIgnoreHash(d.spec?.template, target.spec?.template)) {
    c.recorder.event(deploymentRef(d), 'Warning', ROLLBACK_TEMPLATE_UNCHANGED, `The rollback revision contains the same template as current deployment "${d.metadata?.name}"`);
    return updateDeploymentAndClearRollbackTo(c, d);
  }
  setFromReplicaSetTemplate(d, target);
  // The Deployment takes the old ReplicaSet's annotations, or its current ones would be copied
  // onto the old ReplicaSet when it becomes the new one again.
  setDeploymentAnnotationsTo(d, target);
  await updateDeploymentAndClearRollbackTo(c, d);
  c.recorder.event(deploymentRef(d), 'Normal', ROLLBACK_DONE, `Rolled back deployment "${d.metadata?.name}" to revision ${revision}`);
}

/** The ReplicaSet's template, without its pod-template-hash label, becomes the Deployment's. */
export function setFromReplicaSetTemplate(d: Deployment, rs: ReplicaSet): void {
  const t = structuredClone(rs.spec!.template!);
  if (t.metadata?.labels) delete t.metadata.labels[DEFAULT_DEPLOYMENT_UNIQUE_LABEL_KEY];
  d.spec!.template = t;
}

async function updateDeploymentAndClearRollbackTo(c: DeploymentSyncContext, d: Deployment): Promise<void> {
  if (d.metadata?.annotations) delete d.metadata.annotations[DEPRECATED_ROLLBACK_TO];
  const stored = await c.client.resource(deployments).namespace(d.metadata!.namespace).update(d);
  Object.assign(d.metadata!, { resourceVersion: stored.metadata?.resourceVersion, generation: stored.metadata?.generation });
}
