// Preemption's search (upstream's preemption.Evaluator and DefaultPreemption's
// SelectVictimsOnNode / pickOneNodeForPreemption), without I/O: on a copy of each node where
// preemption might help, remove every lower-priority pod, check the pod fits, then put back as
// many as possible (most important first, PDB-protected ones before the others); pick the node
// whose victims hurt least.
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { CycleState } from '../../framework/cycle-state.js';
import type { FilterRunner } from '../../framework/interface.js';
import { isSuccess, Status, type MaybeStatus } from '../../framework/status.js';
import { podPriority, type NodeInfo, type PodInfo } from '../../framework/types.js';

export const ERR_NO_VICTIMS = 'No preemption victims found for incoming pod';

export interface Candidate {
  nodeName: string;
  victims: Pod[];
  numPDBViolations: number;
}

/** A disruption budget as preemption sees it: which pods it covers and how many may go. */
export interface Budget {
  namespace: string;
  matches(pod: Pod): boolean;
  disruptionsAllowed: number;
}

function startTime(p: Pod): number {
  const t = p.status?.startTime ?? p.metadata?.creationTimestamp;
  return t ? Date.parse(t) : Number.MAX_SAFE_INTEGER;
}

/** MoreImportantPod: higher priority, then the one that started earlier. */
export function moreImportant(a: Pod, b: Pod): boolean {
  const pa = podPriority(a);
  const pb = podPriority(b);
  if (pa !== pb) return pa > pb;
  return startTime(a) < startTime(b);
}

/** Splits pods into those whose eviction a budget forbids and the others, spending the budgets. */
function filterPodsWithPDBViolation(pods: PodInfo[], budgets: Budget[]): [PodInfo[], PodInfo[]] {
  const allowed = budgets.map((b) => b.disruptionsAllowed);
  const violating: PodInfo[] = [];
  const ok: PodInfo[] = [];
  for (const pi of pods) {
    let violates = false;
    budgets.forEach((b, i) => {
      if (b.namespace !== pi.pod.metadata?.namespace || !b.matches(pi.pod)) return;
      allowed[i]!--;
      if (allowed[i]! < 0) violates = true;
    });
    (violates ? violating : ok).push(pi);
  }
  return [violating, ok];
}

/** The fewest, least important pods to remove from the node for `pod` to fit, or why there are none. */
export function selectVictimsOnNode(fw: FilterRunner, state: CycleState, pod: Pod, nodeInfo: NodeInfo, budgets: Budget[]): { victims: Pod[]; numPDBViolations: number; status: MaybeStatus } {
  const prio = podPriority(pod);
  const potential = nodeInfo.pods.filter((pi) => podPriority(pi.pod) < prio);
  if (potential.length === 0) return { victims: [], numPDBViolations: 0, status: Status.unresolvable(ERR_NO_VICTIMS) };
  for (const pi of potential) {
    nodeInfo.removePod(pi.pod);
    const s = fw.runPreFilterExtensionRemovePod(state, pod, pi, nodeInfo);
    if (!isSuccess(s)) return { victims: [], numPDBViolations: 0, status: s };
  }
  const fits = fw.runFilterPluginsWithNominatedPods(state, pod, nodeInfo);
  if (!isSuccess(fits)) return { victims: [], numPDBViolations: 0, status: fits };
  potential.sort((a, b) => (moreImportant(a.pod, b.pod) ? -1 : moreImportant(b.pod, a.pod) ? 1 : 0));
  const [violating, nonViolating] = filterPodsWithPDBViolation(potential, budgets);
  const victims: Pod[] = [];
  let numPDBViolations = 0;
  const reprieve = (pi: PodInfo): boolean => {
    nodeInfo.addPodInfo(pi);
    fw.runPreFilterExtensionAddPod(state, pod, pi, nodeInfo);
    if (isSuccess(fw.runFilterPluginsWithNominatedPods(state, pod, nodeInfo))) return true;
    nodeInfo.removePod(pi.pod);
    fw.runPreFilterExtensionRemovePod(state, pod, pi, nodeInfo);
    victims.push(pi.pod);
    return false;
  };
  for (const pi of violating) if (!reprieve(pi)) numPDBViolations++;
  for (const pi of nonViolating) reprieve(pi);
  return { victims, numPDBViolations, status: undefined };
}

/**
 * pickOneNodeForPreemption: fewest PDB violations, then the lowest highest-priority victim, the
 * smallest sum of priorities, the fewest victims, the latest start of the most important victims.
 */
export function pickOneNode(candidates: Candidate[]): Candidate | undefined {
  if (candidates.length === 0) return undefined;
  const criteria: Array<(c: Candidate) => number> = [
    (c) => -c.numPDBViolations,
    (c) => -Math.max(...c.victims.map(podPriority)),
    // Shifted so that negative priorities still add up to less than positive ones (as upstream).
    (c) => -c.victims.reduce((s, v) => s + podPriority(v) + 2 ** 31 + 1, 0),
    (c) => -c.victims.length,
    (c) => {
      const top = Math.max(...c.victims.map(podPriority));
      return Math.min(...c.victims.filter((v) => podPriority(v) === top).map(startTime));
    },
  ];
  let pool = candidates;
  for (const score of criteria) {
    const best = Math.max(...pool.map(score));
    pool = pool.filter((c) => score(c) === best);
    if (pool.length === 1) break;
  }
  return pool[0];
}
