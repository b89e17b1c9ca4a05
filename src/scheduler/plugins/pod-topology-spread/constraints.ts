// Topology spread constraints as the plugin evaluates them (upstream's podtopologyspread
// common.go): the pod's own constraints, or the cluster's default ones (zone and hostname,
// ScheduleAnyway) with a selector from the Services/ReplicaSets/… that select the pod.
import type { Node, Pod, TopologySpreadConstraint } from 'kubernetes-types/core/v1.js';
import { fromLabelSelector, LabelSelector } from '../../../api/selectors/index.js';
import { requiredNodeAffinityMatches } from '../node-affinity/index.js';
import { LABEL_HOSTNAME } from '../../framework/types.js';
import { findMatchingUntoleratedTaint } from '../../framework/helpers.js';

export const LABEL_ZONE = 'topology.kubernetes.io/zone';

export interface Constraint {
  maxSkew: number;
  topologyKey: string;
  selector: LabelSelector;
  minDomains: number;
  nodeAffinityPolicy: 'Honor' | 'Ignore';
  nodeTaintsPolicy: 'Honor' | 'Ignore';
}

/** upstream's systemDefaultConstraints. */
export const SYSTEM_DEFAULT_CONSTRAINTS: Array<Pick<TopologySpreadConstraint, 'maxSkew' | 'topologyKey' | 'whenUnsatisfiable'>> = [
  { topologyKey: LABEL_HOSTNAME, whenUnsatisfiable: 'ScheduleAnyway', maxSkew: 3 },
  { topologyKey: LABEL_ZONE, whenUnsatisfiable: 'ScheduleAnyway', maxSkew: 5 },
];

/** The pod's constraints of one kind, with matchLabelKeys folded into the selector. */
export function podConstraints(pod: Pod, action: 'DoNotSchedule' | 'ScheduleAnyway'): Constraint[] {
  const out: Constraint[] = [];
  for (const c of pod.spec?.topologySpreadConstraints ?? []) {
    if (c.whenUnsatisfiable !== action) continue;
    let selector: LabelSelector;
    try {
      selector = fromLabelSelector(c.labelSelector ?? null);
    } catch {
      selector = LabelSelector.nothing();
    }
    const extra = (c.matchLabelKeys ?? []).filter((k) => pod.metadata?.labels?.[k] !== undefined).map((k) => ({ key: k, operator: '=' as const, values: [pod.metadata!.labels![k]!] }));
    if (extra.length && !selector.matchesNothing()) selector = LabelSelector.of([...selector.requirements, ...extra]);
    out.push(constraint(c.maxSkew, c.topologyKey, selector, c.minDomains, c.nodeAffinityPolicy, c.nodeTaintsPolicy));
  }
  return out;
}

export function constraint(maxSkew: number, topologyKey: string, selector: LabelSelector, minDomains?: number, affinity?: string, taints?: string): Constraint {
  return {
    maxSkew,
    topologyKey,
    selector,
    minDomains: minDomains ?? 1,
    nodeAffinityPolicy: affinity === 'Ignore' ? 'Ignore' : 'Honor',
    nodeTaintsPolicy: taints === 'Honor' ? 'Honor' : 'Ignore',
  };
}

/** Whether the node has every topology key of the constraints. */
export function nodeLabelsMatchSpreadConstraints(node: Node, cs: Constraint[]): boolean {
  const labels = node.metadata?.labels ?? {};
  return cs.every((c) => Object.hasOwn(labels, c.topologyKey));
}

/** Whether pods on the node count for the constraint (nodeAffinityPolicy / nodeTaintsPolicy). */
export function nodeIncluded(c: Constraint, pod: Pod, node: Node): boolean {
  if (c.nodeAffinityPolicy === 'Honor' && !requiredNodeAffinityMatches(pod, node)) return false;
  if (c.nodeTaintsPolicy === 'Honor') {
    const t = findMatchingUntoleratedTaint(node.spec?.taints, pod.spec?.tolerations, (x) => x.effect === 'NoSchedule' || x.effect === 'NoExecute');
    if (t) return false;
  }
  return true;
}

/** nodeInclusion's answer when every node is included. */
export const ALL_INCLUDED = (): boolean => true;

/**
 * nodeIncluded for one pod over many nodes: when no constraint honours node affinity or taints
 * that the pod has (the usual case), every node is included without looking at it.
 */
export function nodeInclusion(pod: Pod, cs: Constraint[]): (c: Constraint, node: Node) => boolean {
  const hasAffinity = Object.keys(pod.spec?.nodeSelector ?? {}).length > 0 || pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution !== undefined;
  const honoursTaints = cs.some((c) => c.nodeTaintsPolicy === 'Honor');
  if (!hasAffinity && !honoursTaints) return ALL_INCLUDED;
  return (c, node) => nodeIncluded(c, pod, node);
}

/** Pods in the namespace matching the selector, not being deleted. */
export function countPodsMatchSelector(pods: Array<{ pod: Pod }>, selector: LabelSelector, ns: string): number {
  let n = 0;
  for (const { pod } of pods) {
    if (pod.metadata?.deletionTimestamp || pod.metadata?.namespace !== ns) continue;
    if (selector.matches(pod.metadata?.labels)) n++;
  }
  return n;
}
