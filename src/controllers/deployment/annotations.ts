// The annotations a Deployment and its ReplicaSets carry (deploymentutil): the revision (and the
// revisions a ReplicaSet had before a rollback), the Deployment size each ReplicaSet was last
// scaled for, and which of the Deployment's own annotations its new ReplicaSet copies.
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';

export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY_ANNOTATION = 'deployment.kubernetes.io/revision-history';
export const DESIRED_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/max-replicas';
/** apps/v1's stand-in for the removed spec.rollbackTo. */
export const DEPRECATED_ROLLBACK_TO = 'deprecated.deployment.rollback.to';
export const LAST_APPLIED_CONFIG_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';
/** The longest revision-history annotation kept (characters). */
export const MAX_REV_HISTORY_LENGTH_IN_CHARS = 2000;

const ANNOTATIONS_TO_SKIP = new Set([
  LAST_APPLIED_CONFIG_ANNOTATION,
  REVISION_ANNOTATION,
  REVISION_HISTORY_ANNOTATION,
  DESIRED_REPLICAS_ANNOTATION,
  MAX_REPLICAS_ANNOTATION,
  DEPRECATED_ROLLBACK_TO,
]);

/** Annotations of the Deployment that are the controller's own, never copied between objects. */
export function skipCopyAnnotation(key: string): boolean {
  return ANNOTATIONS_TO_SKIP.has(key);
}

const INT = /^[+-]?\d+$/;

/** The revision of an object (0 when unset); NaN when the annotation is not an integer. */
export function revisionOf(o: { metadata?: { annotations?: Record<string, string> } } | undefined): number {
  const v = o?.metadata?.annotations?.[REVISION_ANNOTATION];
  if (v === undefined || v === '') return 0;
  return INT.test(v) ? parseInt(v, 10) : NaN;
}

/** The highest revision among the ReplicaSets (unparsable ones skipped). */
export function maxRevision(rss: ReplicaSet[]): number {
  let max = 0;
  for (const rs of rss) {
    const v = revisionOf(rs);
    if (Number.isFinite(v) && v > max) max = v;
  }
  return max;
}

/** The second highest revision: the one `rollout undo` without --to-revision goes back to. */
export function lastRevision(rss: Array<ReplicaSet | undefined>): number {
  let max = 0;
  let sec = 0;
  for (const rs of rss) {
    if (!rs) continue;
    const v = revisionOf(rs);
    if (!Number.isFinite(v)) continue;
    if (v >= max) {
      sec = max;
      max = v;
    } else if (v > sec) sec = v;
  }
  return sec;
}

function intAnnotation(rs: ReplicaSet, key: string): number | undefined {
  const v = rs.metadata?.annotations?.[key];
  return v !== undefined && INT.test(v) ? parseInt(v, 10) : undefined;
}

export const getDesiredReplicasAnnotation = (rs: ReplicaSet) => intAnnotation(rs, DESIRED_REPLICAS_ANNOTATION);
export const getMaxReplicasAnnotation = (rs: ReplicaSet) => intAnnotation(rs, MAX_REPLICAS_ANNOTATION);

/** Whether desired-replicas / max-replicas differ from the given sizes. */
export function replicasAnnotationsNeedUpdate(rs: ReplicaSet, desired: number, max: number): boolean {
  const a = rs.metadata?.annotations;
  return a?.[DESIRED_REPLICAS_ANNOTATION] !== String(desired) || a?.[MAX_REPLICAS_ANNOTATION] !== String(max);
}

/** Sets desired-replicas / max-replicas; answers whether anything changed. */
export function setReplicasAnnotations(rs: ReplicaSet, desired: number, max: number): boolean {
  const meta = (rs.metadata ??= {});
  const a = (meta.annotations ??= {});
  let changed = false;
  if (a[DESIRED_REPLICAS_ANNOTATION] !== String(desired)) {
    a[DESIRED_REPLICAS_ANNOTATION] = String(desired);
    changed = true;
  }
  if (a[MAX_REPLICAS_ANNOTATION] !== String(max)) {
    a[MAX_REPLICAS_ANNOTATION] = String(max);
    changed = true;
  }
  return changed;
}

/** Copies the Deployment's own annotations onto the ReplicaSet; answers whether any changed. */
export function copyDeploymentAnnotationsToReplicaSet(d: Deployment, rs: ReplicaSet): boolean {
  const a = ((rs.metadata ??= {}).annotations ??= {});
  let changed = false;
  for (const [k, v] of Object.entries(d.metadata?.annotations ?? {})) {
    if (skipCopyAnnotation(k) || a[k] === v) continue;
    a[k] = v;
    changed = true;
  }
  return changed;
}

/**
 * deploymentutil.SetNewReplicaSetAnnotations: copies the Deployment's annotations, raises the
 * revision to `newRevision` when lower (remembering the old one in revision-history: this is a
 * rollback to an existing ReplicaSet), and on a ReplicaSet about to be created sets the replicas
 * annotations. Answers whether anything changed.
 */
export function setNewReplicaSetAnnotations(d: Deployment, rs: ReplicaSet, newRevision: number, exists: boolean, maxReplicas: number): boolean {
  let changed = copyDeploymentAnnotationsToReplicaSet(d, rs);
  const a = ((rs.metadata ??= {}).annotations ??= {});
  const had = REVISION_ANNOTATION in a;
  const oldRevision = a[REVISION_ANNOTATION] ?? '';
  let oldRevisionInt = 0;
  if (oldRevision !== '') {
    if (!INT.test(oldRevision)) return false;
    oldRevisionInt = parseInt(oldRevision, 10);
  }
  if (oldRevisionInt < newRevision) {
    a[REVISION_ANNOTATION] = String(newRevision);
    changed = true;
    if (had) {
      const history = a[REVISION_HISTORY_ANNOTATION] ?? '';
      let olds = history.split(',');
      if (olds[0]!.length === 0) a[REVISION_HISTORY_ANNOTATION] = oldRevision;
      else {
        let total = history.length + oldRevision.length + 1;
        let start = 0;
        while (total > MAX_REV_HISTORY_LENGTH_IN_CHARS && start < olds.length) {
          total -= olds[start]!.length + 1;
          start++;
        }
        if (total <= MAX_REV_HISTORY_LENGTH_IN_CHARS) {
          olds = [...olds.slice(start), oldRevision];
          a[REVISION_HISTORY_ANNOTATION] = olds.join(',');
        }
      }
    }
  }
  if (!exists && setReplicasAnnotations(rs, d.spec?.replicas ?? 0, maxReplicas)) changed = true;
  return changed;
}

/** Sets the Deployment's revision annotation; answers whether it changed. */
export function setDeploymentRevision(d: Deployment, revision: string): boolean {
  const a = ((d.metadata ??= {}).annotations ??= {});
  if (a[REVISION_ANNOTATION] === revision) return false;
  a[REVISION_ANNOTATION] = revision;
  return true;
}

/** Rollback: the Deployment takes the ReplicaSet's annotations (its own skipped ones kept). */
export function setDeploymentAnnotationsTo(d: Deployment, rs: ReplicaSet): void {
  const meta = (d.metadata ??= {});
  const kept: Record<string, string> = {};
  for (const [k, v] of Object.entries(meta.annotations ?? {})) if (skipCopyAnnotation(k)) kept[k] = v;
  for (const [k, v] of Object.entries(rs.metadata?.annotations ?? {})) if (!skipCopyAnnotation(k)) kept[k] = v;
  meta.annotations = kept;
}
