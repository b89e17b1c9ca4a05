// Pure replica arithmetic of upstream's deployment/util: surge and unavailability fenceposts,
// counts over ReplicaSets, the orders ReplicaSets are scaled in, how many replicas a new
// ReplicaSet may have next, and proportional scaling. No I/O.
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import { semanticEqual } from '../../api/validation/field.js';
import { DESIRED_REPLICAS_ANNOTATION, getMaxReplicasAnnotation } from './annotations.js';

export const DEFAULT_DEPLOYMENT_UNIQUE_LABEL_KEY = 'pod-template-hash';

/** spec.replicas (the apiserver defaults it; absent counts as 0 for ReplicaSets we build). */
export function specReplicas(o: Deployment | ReplicaSet | undefined): number {
  return o?.spec?.replicas ?? 0;
}

/**
 * intstr.GetScaledValueFromIntOrPercent: an int as is, "N%" of `total` rounded up or down.
 * Throws for a string that is not a percentage.
 */
export function scaledValueFromIntOrPercent(v: number | string | undefined, total: number, roundUp: boolean): number {
  if (v === undefined || v === null) return 0;
  if (typeof v === 'number') return v;
  if (!v.endsWith('%') || !/^-?\d+$/.test(v.slice(0, -1))) {
    throw new Error(`invalid value for IntOrString: invalid type: string is not a percentage`);
  }
  const pct = parseInt(v.slice(0, -1), 10);
  const scaled = (pct * total) / 100;
  return roundUp ? Math.ceil(scaled) : Math.floor(scaled);
}

/** deploymentutil.ResolveFenceposts: [maxSurge, maxUnavailable] for `desired` replicas (never both 0). */
export function resolveFenceposts(maxSurge: number | string | undefined, maxUnavailable: number | string | undefined, desired: number): [number, number] {
  const surge = scaledValueFromIntOrPercent(maxSurge ?? 0, desired, true);
  let unavailable = scaledValueFromIntOrPercent(maxUnavailable ?? 0, desired, false);
  // Validation forbids both 0 explicitly, but rounding down may get there: surge might not
  // work because of quota, so allow one unavailable replica.
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return [surge, unavailable];
}

export function isRollingUpdate(d: Deployment): boolean {
  return (d.spec?.strategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
}

function fenceposts(d: Deployment): [number, number] {
  const ru = d.spec?.strategy?.rollingUpdate;
  try {
    return resolveFenceposts(ru?.maxSurge, ru?.maxUnavailable, specReplicas(d));
  } catch {
    return [0, 0]; // caught by validation
  }
}

/** How many replicas above spec.replicas a rolling update may run. */
export function maxSurge(d: Deployment): number {
  return isRollingUpdate(d) ? fenceposts(d)[0] : 0;
}

/** How many of spec.replicas may be unavailable during a rolling update (at most spec.replicas). */
export function maxUnavailable(d: Deployment): number {
  const desired = specReplicas(d);
  if (!isRollingUpdate(d) || desired === 0) return 0;
  return Math.min(fenceposts(d)[1], desired);
}

// ── counts ──────────────────────────────────────────────────────────────────

const sum = (rss: Array<ReplicaSet | undefined>, f: (rs: ReplicaSet) => number) => rss.reduce((n, rs) => n + (rs ? f(rs) : 0), 0);
/** Σ spec.replicas. */
export const replicaCount = (rss: Array<ReplicaSet | undefined>) => sum(rss, specReplicas);
/** Σ status.replicas. */
export const actualReplicaCount = (rss: Array<ReplicaSet | undefined>) => sum(rss, (rs) => rs.status?.replicas ?? 0);
export const readyReplicaCount = (rss: Array<ReplicaSet | undefined>) => sum(rss, (rs) => rs.status?.readyReplicas ?? 0);
export const availableReplicaCount = (rss: Array<ReplicaSet | undefined>) => sum(rss, (rs) => rs.status?.availableReplicas ?? 0);

/** controller.FilterActiveReplicaSets: those with spec.replicas > 0. */
export function activeReplicaSets(rss: Array<ReplicaSet | undefined>): ReplicaSet[] {
  return rss.filter((rs): rs is ReplicaSet => !!rs && specReplicas(rs) > 0);
}

// ── orders ──────────────────────────────────────────────────────────────────

function created(rs: ReplicaSet): number {
  const t = rs.metadata?.creationTimestamp;
  return t ? Date.parse(t) : 0;
}

/** ReplicaSetsByCreationTimestamp: older first, then by name. */
export function byCreationTimestamp(a: ReplicaSet, b: ReplicaSet): number {
  const d = created(a) - created(b);
  if (d !== 0) return d;
  const an = a.metadata?.name ?? '';
  const bn = b.metadata?.name ?? '';
  return an < bn ? -1 : an > bn ? 1 : 0;
}

/** ReplicaSetsBySizeOlder: larger first; equal sizes older first (scaling down). */
export function bySizeOlder(a: ReplicaSet, b: ReplicaSet): number {
  return specReplicas(b) - specReplicas(a) || byCreationTimestamp(a, b);
}

/** ReplicaSetsBySizeNewer: larger first; equal sizes newer first (scaling up). */
export function bySizeNewer(a: ReplicaSet, b: ReplicaSet): number {
  return specReplicas(b) - specReplicas(a) || byCreationTimestamp(b, a);
}

// ── new and old ReplicaSets ─────────────────────────────────────────────────

/** Templates equal but for the pod-template-hash label (apiequality.Semantic, nil == empty). */
export function equalIgnoreHash(a: PodTemplateSpec | undefined, b: PodTemplateSpec | undefined): boolean {
  return semanticEqual(withoutHash(a), withoutHash(b));
}

function withoutHash(t: PodTemplateSpec | undefined): PodTemplateSpec {
  const c = structuredClone(t ?? {});
  if (c.metadata?.labels) delete c.metadata.labels[DEFAULT_DEPLOYMENT_UNIQUE_LABEL_KEY];
  return c;
}

/** The oldest ReplicaSet whose template is the Deployment's (issue 40415: there may be several). */
export function findNewReplicaSet(d: Deployment, rsList: ReplicaSet[]): ReplicaSet | undefined {
  return [...rsList].sort(byCreationTimestamp).find((rs) => equalIgnoreHash(rs.spec?.template, d.spec?.template));
}

/** Every ReplicaSet but the new one. */
export function findOldReplicaSets(d: Deployment, rsList: ReplicaSet[]): ReplicaSet[] {
  const newRS = findNewReplicaSet(d, rsList);
  return rsList.filter((rs) => !newRS || rs.metadata?.uid !== newRS.metadata?.uid);
}

/** The one active ReplicaSet (or the newest when none is active); undefined when several are. */
export function findActiveOrLatest(newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): ReplicaSet | undefined {
  if (!newRS && oldRSs.length === 0) return undefined;
  const olds = [...oldRSs].sort((a, b) => byCreationTimestamp(b, a));
  const active = activeReplicaSets([...olds, newRS]);
  if (active.length === 0) return newRS ?? olds[0];
  return active.length === 1 ? active[0] : undefined;
}

/** The replicas the new ReplicaSet may have now (deploymentutil.NewRSNewReplicas). */
export function newRSNewReplicas(d: Deployment, allRSs: Array<ReplicaSet | undefined>, newRS: ReplicaSet): number {
  const desired = specReplicas(d);
  if (!isRollingUpdate(d)) return desired;
  const surge = scaledValueFromIntOrPercent(d.spec?.strategy?.rollingUpdate?.maxSurge ?? 0, desired, true);
  const current = replicaCount(allRSs);
  const maxTotal = desired + surge;
  if (current >= maxTotal) return specReplicas(newRS); // cannot scale up
  const scaleUp = Math.min(maxTotal - current, desired - specReplicas(newRS));
  return specReplicas(newRS) + scaleUp;
}

/** The new ReplicaSet runs all of spec.replicas, all available, for the current size. */
export function isSaturated(d: Deployment, rs: ReplicaSet | undefined): boolean {
  if (!rs) return false;
  const desiredAnn = rs.metadata?.annotations?.[DESIRED_REPLICAS_ANNOTATION];
  if (desiredAnn === undefined || !/^-?\d+$/.test(desiredAnn)) return false;
  const desired = specReplicas(d);
  return specReplicas(rs) === desired && parseInt(desiredAnn, 10) === desired && (rs.status?.availableReplicas ?? 0) === desired;
}

// ── proportional scaling ────────────────────────────────────────────────────

/** integer.RoundToInt32: half away from zero. */
export function roundToInt32(a: number): number {
  return a < 0 ? Math.trunc(a - 0.5) : Math.trunc(a + 0.5);
}

/** This ReplicaSet's share of a resize, by its size relative to the Deployment's last max size. */
export function replicaSetFraction(rs: ReplicaSet, d: Deployment): number {
  const desired = specReplicas(d);
  if (desired === 0) return -specReplicas(rs); // scaling to zero: all of it
  const maxNow = desired + maxSurge(d);
  let maxBefore = getMaxReplicasAnnotation(rs);
  if (maxBefore === undefined || maxBefore === 0) {
    // Annotation edited away or scaled to zero: fall back to the Deployment's current size.
    maxBefore = d.status?.replicas ?? 0;
    if (maxBefore === 0) return 0;
  }
  return roundToInt32((specReplicas(rs) * maxNow) / maxBefore) - specReplicas(rs);
}

/** How many replicas `rs` gets of `toAdd` (negative: removes), given `added` so far. */
export function proportion(rs: ReplicaSet | undefined, d: Deployment, toAdd: number, added: number): number {
  if (!rs || specReplicas(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
  const fraction = replicaSetFraction(rs, d);
  const allowed = toAdd - added;
  // Never add (remove) more than is left to add (remove).
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}

/**
 * The sizes of the active ReplicaSets after spreading `spec.replicas + maxSurge` among them in
 * proportion (DeploymentController.scale), in the order they should be written, with the
 * direction for events. Leftovers go to the first (largest) ReplicaSet.
 */
export function proportionalSizes(d: Deployment, active: ReplicaSet[]): { order: ReplicaSet[]; sizes: Map<string, number>; op: 'up' | 'down' | '' } {
  const desired = specReplicas(d);
  const allowedSize = desired > 0 ? desired + maxSurge(d) : 0;
  const toAdd = allowedSize - replicaCount(active);
  const order = [...active];
  let op: 'up' | 'down' | '' = '';
  if (toAdd > 0) {
    order.sort(bySizeNewer);
    op = 'up';
  } else if (toAdd < 0) {
    order.sort(bySizeOlder);
    op = 'down';
  }
  const sizes = new Map<string, number>();
  let added = 0;
  for (const rs of order) {
    const name = rs.metadata?.name ?? '';
    if (toAdd !== 0) {
      const p = proportion(rs, d, toAdd, added);
      sizes.set(name, specReplicas(rs) + p);
      added += p;
    } else sizes.set(name, specReplicas(rs));
  }
  if (order.length && toAdd !== 0) {
    const first = order[0]!.metadata?.name ?? '';
    sizes.set(first, Math.max(0, sizes.get(first)! + toAdd - added));
  }
  return { order, sizes, op };
}
