// The parts of a sync every strategy shares (upstream sync.go): finding the new and old
// ReplicaSets and keeping revisions in step, creating the new ReplicaSet, scaling one
// ReplicaSet with its event, proportional scaling when a Deployment is resized (or paused),
// revisionHistoryLimit clean-up, and the paused/resumed Progressing condition.
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import { hasStatusCause, isAlreadyExists, isNotFound } from '../../client/errors.js';
import { replicaSets } from '../../client/resources.js';
import {
  DEPRECATED_ROLLBACK_TO, REVISION_ANNOTATION, getDesiredReplicasAnnotation, maxRevision, replicasAnnotationsNeedUpdate, revisionOf,
  setDeploymentRevision, setNewReplicaSetAnnotations, setReplicasAnnotations,
} from './annotations.js';
import {
  FAILED_RS_CREATE_REASON, FOUND_NEW_RS_REASON, NEW_REPLICA_SET_REASON, PAUSED_DEPLOY_REASON, RESUMED_DEPLOY_REASON, TIMED_OUT_REASON,
  getCondition, hasProgressDeadline, newCondition, setCondition,
} from './conditions.js';
import { deploymentRef, type DeploymentSyncContext } from './context.js';
import { computeHash } from './hash.js';
import {
  DEFAULT_DEPLOYMENT_UNIQUE_LABEL_KEY, activeReplicaSets, byCreationTimestamp, equalIgnoreHash, findActiveOrLatest, findNewReplicaSet,
  findOldReplicaSets, isRollingUpdate, isSaturated, maxSurge, newRSNewReplicas, proportionalSizes, specReplicas,
} from './replicas.js';
import { syncDeploymentStatus, updateDeploymentStatus } from './status.js';

export interface ReplicaSetsOfDeployment {
  newRS: ReplicaSet | undefined;
  oldRSs: ReplicaSet[];
}

/** The rollback revision asked for through the deprecated annotation, if any. */
export function getRollbackTo(d: Deployment): number | undefined {
  const v = d.metadata?.annotations?.[DEPRECATED_ROLLBACK_TO];
  if (v === undefined || v === '' || !/^[+-]?\d+$/.test(v)) return undefined;
  return parseInt(v, 10);
}

/** New and old ReplicaSets, with the new one's revision (and the Deployment's) brought up to date. */
export async function getAllReplicaSetsAndSyncRevision(c: DeploymentSyncContext, d: Deployment, rsList: ReplicaSet[], createIfNotExisted: boolean): Promise<ReplicaSetsOfDeployment> {
  const oldRSs = findOldReplicaSets(d, rsList);
  const newRS = await getNewReplicaSet(c, d, rsList, oldRSs, createIfNotExisted);
  return { newRS, oldRSs };
}

function rsApi(c: DeploymentSyncContext, ns: string | undefined) {
  return c.client.resource(replicaSets).namespace(ns);
}

/**
 * The ReplicaSet running the Deployment's template: the existing one with its annotations and
 * minReadySeconds synced, or (createIfNotExisted) a new one named `<deployment>-<hash>` sized as
 * the strategy allows.
 */
export async function getNewReplicaSet(c: DeploymentSyncContext, d: Deployment, rsList: ReplicaSet[], oldRSs: ReplicaSet[], createIfNotExisted: boolean): Promise<ReplicaSet | undefined> {
  const existing = findNewReplicaSet(d, rsList);
  const newRevision = maxRevision(oldRSs) + 1;
  const maxReplicas = specReplicas(d) + maxSurge(d);
  const now = c.clock.now();
  if (existing) {
    const rs = structuredClone(existing);
    const annotationsUpdated = setNewReplicaSetAnnotations(d, rs, newRevision, true, maxReplicas);
    if (annotationsUpdated || (rs.spec?.minReadySeconds ?? 0) !== (d.spec?.minReadySeconds ?? 0)) {
      rs.spec!.minReadySeconds = d.spec?.minReadySeconds;
      return rsApi(c, rs.metadata?.namespace).update(rs);
    }
    // The new ReplicaSet's revision is the reliable one: the Deployment copies it.
    let needsUpdate = setDeploymentRevision(d, rs.metadata?.annotations?.[REVISION_ANNOTATION] ?? '');
    if (hasProgressDeadline(d) && !getCondition(d.status, 'Progressing')) {
      setCondition((d.status ??= {}), newCondition('Progressing', 'True', FOUND_NEW_RS_REASON, `Found new replica set "${rs.metadata?.name}"`, now));
      needsUpdate = true;
    }
    if (needsUpdate) await updateDeploymentStatus(c, d);
    return rs;
  }
  if (!createIfNotExisted) return undefined;

  const hash = computeHash(d.spec?.template, d.status?.collisionCount);
  const template = structuredClone(d.spec!.template);
  const labels = { ...template.metadata?.labels, [DEFAULT_DEPLOYMENT_UNIQUE_LABEL_KEY]: hash };
  template.metadata = { ...template.metadata, labels };
  const selector = structuredClone(d.spec!.selector);
  selector.matchLabels = { ...selector.matchLabels, [DEFAULT_DEPLOYMENT_UNIQUE_LABEL_KEY]: hash };
  const dm = d.metadata!;
  const newRS: ReplicaSet = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${dm.name}-${hash}`,
      namespace: dm.namespace,
      labels: { ...labels },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: dm.name!, uid: dm.uid!, controller: true, blockOwnerDeletion: true }],
    },
    spec: { replicas: 0, minReadySeconds: d.spec?.minReadySeconds, selector, template },
  };
  const count = newRSNewReplicas(d, [...oldRSs, newRS], newRS);
  newRS.spec!.replicas = count;
  setNewReplicaSetAnnotations(d, newRS, newRevision, false, maxReplicas);

  let created: ReplicaSet;
  let alreadyExists = false;
  try {
    created = await rsApi(c, dm.namespace).create(newRS);
  } catch (err) {
    if (isAlreadyExists(err)) {
      // A slow cache, or a hash collision with a ReplicaSet that is not ours.
      const found = c.rsLister.namespace(dm.namespace!).get(newRS.metadata!.name!) ?? (await rsApi(c, dm.namespace).get(newRS.metadata!.name!));
      const ref = found.metadata?.ownerReferences?.find((r) => r.controller);
      if (ref && ref.uid === dm.uid && equalIgnoreHash(d.spec?.template, found.spec?.template)) {
        created = found;
        alreadyExists = true;
      } else {
        (d.status ??= {}).collisionCount = (d.status.collisionCount ?? 0) + 1;
        await updateDeploymentStatus(c, d).catch(() => undefined);
        throw err;
      }
    } else if (hasStatusCause(err, 'NamespaceTerminating')) {
      throw err;
    } else {
      const msg = `Failed to create new replica set "${newRS.metadata!.name}": ${(err as Error).message}`;
      if (hasProgressDeadline(d)) {
        setCondition((d.status ??= {}), newCondition('Progressing', 'False', FAILED_RS_CREATE_REASON, msg, now));
        await updateDeploymentStatus(c, d).catch(() => undefined);
      }
      c.recorder.event(deploymentRef(d), 'Warning', FAILED_RS_CREATE_REASON, msg);
      throw err;
    }
  }
  if (!alreadyExists && count > 0) {
    c.recorder.event(deploymentRef(d), 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${created.metadata?.name} from 0 to ${count}`);
  }
  let needsUpdate = setDeploymentRevision(d, String(newRevision));
  if (!alreadyExists && hasProgressDeadline(d)) {
    setCondition((d.status ??= {}), newCondition('Progressing', 'True', NEW_REPLICA_SET_REASON, `Created new replica set "${created.metadata?.name}"`, now));
    needsUpdate = true;
  }
  if (needsUpdate) await updateDeploymentStatus(c, d);
  return created;
}

/** Scales `rs` to `newScale` (and refreshes its replicas annotations); records ScalingReplicaSet. */
export async function scaleReplicaSet(c: DeploymentSyncContext, rs: ReplicaSet, newScale: number, d: Deployment): Promise<{ scaled: boolean; rs: ReplicaSet }> {
  const oldScale = specReplicas(rs);
  const sizeNeedsUpdate = oldScale !== newScale;
  const desired = specReplicas(d);
  const max = desired + maxSurge(d);
  if (!sizeNeedsUpdate && !replicasAnnotationsNeedUpdate(rs, desired, max)) return { scaled: false, rs };
  const copy = structuredClone(rs);
  copy.spec!.replicas = newScale;
  setReplicasAnnotations(copy, desired, max);
  const updated = await rsApi(c, copy.metadata?.namespace).update(copy);
  if (sizeNeedsUpdate) {
    const op = oldScale < newScale ? 'up' : 'down';
    c.recorder.event(deploymentRef(d), 'Normal', 'ScalingReplicaSet', `Scaled ${op} replica set ${updated.metadata?.name} from ${oldScale} to ${newScale}`);
  }
  return { scaled: sizeNeedsUpdate, rs: updated };
}

/** scaleReplicaSetAndRecordEvent: nothing to do when the size is already right. */
export async function scaleReplicaSetAndRecordEvent(c: DeploymentSyncContext, rs: ReplicaSet, newScale: number, d: Deployment): Promise<{ scaled: boolean; rs: ReplicaSet }> {
  if (specReplicas(rs) === newScale) return { scaled: false, rs };
  return scaleReplicaSet(c, rs, newScale, d);
}

/**
 * Resizing (or a paused Deployment): one active ReplicaSet takes the whole size; a saturated new
 * ReplicaSet leaves the old ones at 0; otherwise a rolling Deployment spreads the change in
 * proportion to the ReplicaSets' sizes, so a resize neither hastens nor slows the rollout.
 */
export async function scale(c: DeploymentSyncContext, d: Deployment, newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): Promise<void> {
  const one = findActiveOrLatest(newRS, oldRSs);
  if (one) {
    if (specReplicas(one) !== specReplicas(d)) await scaleReplicaSetAndRecordEvent(c, one, specReplicas(d), d);
    return;
  }
  if (isSaturated(d, newRS)) {
    for (const old of activeReplicaSets(oldRSs)) await scaleReplicaSetAndRecordEvent(c, old, 0, d);
    return;
  }
  if (!isRollingUpdate(d)) return;
  const { order, sizes } = proportionalSizes(d, activeReplicaSets([...oldRSs, newRS]));
  for (const rs of order) await scaleReplicaSet(c, rs, sizes.get(rs.metadata?.name ?? '') ?? specReplicas(rs), d);
}

/** Deletes the oldest old ReplicaSets beyond revisionHistoryLimit (only empty, settled ones). */
export async function cleanupDeployment(c: DeploymentSyncContext, oldRSs: ReplicaSet[], d: Deployment): Promise<void> {
  const limit = d.spec?.revisionHistoryLimit;
  if (limit === undefined || limit === null) return;
  const cleanable = oldRSs.filter((rs) => !rs.metadata?.deletionTimestamp);
  const diff = cleanable.length - limit;
  if (diff <= 0) return;
  cleanable.sort((a, b) => {
    const ra = revisionOf(a) || 0;
    const rb = revisionOf(b) || 0;
    return ra === rb ? byCreationTimestamp(a, b) : ra - rb;
  });
  for (const rs of cleanable.slice(0, diff)) {
    if ((rs.status?.replicas ?? 0) !== 0 || specReplicas(rs) !== 0) continue;
    if ((rs.metadata?.generation ?? 0) > (rs.status?.observedGeneration ?? 0)) continue;
    try {
      await rsApi(c, rs.metadata?.namespace).delete(rs.metadata!.name!);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}

/** Resizing or paused: scale proportionally, clean up when paused, report status. */
export async function sync(c: DeploymentSyncContext, d: Deployment, rsList: ReplicaSet[]): Promise<void> {
  const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(c, d, rsList, false);
  await scale(c, d, newRS, oldRSs);
  if (d.spec?.paused && getRollbackTo(d) === undefined) await cleanupDeployment(c, oldRSs, d);
  await syncDeploymentStatus(c, [...oldRSs, newRS], newRS, d);
}

/** A resize: an active ReplicaSet was last scaled for a different spec.replicas. */
export async function isScalingEvent(c: DeploymentSyncContext, d: Deployment, rsList: ReplicaSet[]): Promise<boolean> {
  const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(c, d, rsList, false);
  return activeReplicaSets([...oldRSs, newRS]).some((rs) => {
    const desired = getDesiredReplicasAnnotation(rs);
    return desired !== undefined && desired !== specReplicas(d);
  });
}

/**
 * Progressing=Unknown DeploymentPaused / DeploymentResumed when pausing or resuming, so time
 * spent paused never counts against progressDeadlineSeconds.
 */
export async function checkPausedConditions(c: DeploymentSyncContext, d: Deployment): Promise<void> {
  if (!hasProgressDeadline(d)) return;
  const cond = getCondition(d.status, 'Progressing');
  if (cond?.reason === TIMED_OUT_REASON) return; // keep reporting the failure
  const pausedCond = cond?.reason === PAUSED_DEPLOY_REASON;
  const now = c.clock.now();
  if (d.spec?.paused && !pausedCond) {
    setCondition((d.status ??= {}), newCondition('Progressing', 'Unknown', PAUSED_DEPLOY_REASON, 'Deployment is paused', now));
  } else if (!d.spec?.paused && pausedCond) {
    setCondition((d.status ??= {}), newCondition('Progressing', 'Unknown', RESUMED_DEPLOY_REASON, 'Deployment is resumed', now));
  } else return;
  await updateDeploymentStatus(c, d);
}
