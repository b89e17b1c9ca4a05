// The scheduling algorithm for one pod (upstream's schedulePod): PreFilter → Filter over the
// nodes (the nominated node first; only as many feasible nodes as percentageOfNodesToScore asks,
// starting where the last cycle stopped) → PreScore/Score/NormalizeScore with weights → the
// highest score, ties broken at random. Pure over the snapshot: no I/O.
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { Snapshot } from './cache/snapshot.js';
import type { CycleState } from './framework/cycle-state.js';
import type { NodePluginScores, Framework } from './framework/runtime.js';
import { isRejected, isSuccess, Status } from './framework/status.js';
import type { NodeInfo } from './framework/types.js';
import { FitError, newDiagnosis, NoNodesAvailableError, type Diagnosis } from './fit-error.js';

/** upstream's minFeasibleNodesToFind and minFeasibleNodesPercentageToFind. */
export const MIN_FEASIBLE_NODES_TO_FIND = 100;
export const MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND = 5;

export interface ScheduleResult {
  suggestedHost: string;
  evaluatedNodes: number;
  feasibleNodes: number;
}

/** Thrown (as an Error status) when a plugin fails unexpectedly. */
export class PluginError extends Error {
  constructor(readonly status: Status) {
    super(status.message());
  }
}

/**
 * How many feasible nodes to look for: all below 100 nodes, else the given percentage, or
 * upstream's adaptive one (50% − 1% per 125 nodes, at least 5%), and never fewer than 100.
 */
export function numFeasibleNodesToFind(percentage: number | undefined, numAllNodes: number): number {
  if (numAllNodes < MIN_FEASIBLE_NODES_TO_FIND) return numAllNodes;
  let p = percentage ?? 0;
  if (p <= 0) p = Math.max(50 - Math.trunc(numAllNodes / 125), MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND);
  if (p >= 100) return numAllNodes;
  return Math.max(Math.trunc((numAllNodes * p) / 100), MIN_FEASIBLE_NODES_TO_FIND);
}

export class PodScheduler {
  /** Where the next search over the node list starts, so that nodes are evaluated in turn. */
  private nextStartNodeIndex = 0;

  constructor(
    private readonly snapshot: Snapshot,
    private readonly random: () => number = Math.random,
  ) {}

  /** Picks a node for the pod, or throws FitError / NoNodesAvailableError / PluginError. */
  schedule(fwk: Framework, state: CycleState, pod: Pod): ScheduleResult {
    const numNodes = this.snapshot.numNodes();
    if (numNodes === 0) throw new NoNodesAvailableError();
    const { feasible, diagnosis } = this.findNodesThatFitPod(fwk, state, pod);
    if (feasible.length === 0) throw new FitError(numNodes, diagnosis);
    if (feasible.length === 1) return { suggestedHost: feasible[0]!.name, evaluatedNodes: 1 + diagnosis.nodeToStatus.byNode.size, feasibleNodes: 1 };
    const scores = this.prioritizeNodes(fwk, state, pod, feasible);
    return { suggestedHost: this.selectHost(scores), evaluatedNodes: feasible.length + diagnosis.nodeToStatus.byNode.size, feasibleNodes: feasible.length };
  }

  findNodesThatFitPod(fwk: Framework, state: CycleState, pod: Pod): { feasible: NodeInfo[]; diagnosis: Diagnosis } {
    const diagnosis = newDiagnosis();
    const allNodes = this.snapshot.list();
    const pre = fwk.runPreFilterPlugins(state, pod, allNodes);
    if (!isSuccess(pre.status)) {
      if (!isRejected(pre.status)) throw new PluginError(pre.status!);
      diagnosis.nodeToStatus.absent = pre.status;
      diagnosis.preFilterMsg = pre.status!.message();
      if (pre.status!.plugin) diagnosis.unschedulablePlugins.add(pre.status!.plugin);
      return { feasible: [], diagnosis };
    }
    // A pod nominated by an earlier preemption tries its node first.
    const nominated = pod.status?.nominatedNodeName;
    if (nominated) {
      const ni = this.snapshot.get(nominated);
      if (ni && (!pre.result || pre.result.allNodes() || pre.result.nodeNames!.has(nominated))) {
        const s = fwk.runFilterPluginsWithNominatedPods(state, pod, ni);
        if (isSuccess(s)) return { feasible: [ni], diagnosis };
        if (!isRejected(s)) throw new PluginError(s!);
      }
    }
    let nodes = allNodes;
    if (pre.result && !pre.result.allNodes()) {
      nodes = [...pre.result.nodeNames!].map((n) => this.snapshot.get(n)).filter((n): n is NodeInfo => !!n);
      diagnosis.nodeToStatus.absent = Status.unresolvable(`node(s) didn't satisfy plugin(s) [${[...new Set(pre.narrowedBy)].sort().join(' ')}]`);
    }
    const feasible = this.findNodesThatPassFilters(fwk, state, pod, diagnosis, nodes, allNodes.length);
    return { feasible, diagnosis };
  }

  private findNodesThatPassFilters(fwk: Framework, state: CycleState, pod: Pod, diagnosis: Diagnosis, nodes: NodeInfo[], numAllNodes: number): NodeInfo[] {
    const n = nodes.length;
    const want = numFeasibleNodesToFind(fwk.percentageOfNodesToScore, n);
    const feasible: NodeInfo[] = [];
    if (n === 0) return feasible;
    const start = this.nextStartNodeIndex % n;
    let processed = 0;
    for (let i = 0; i < n && feasible.length < want; i++) {
      const ni = nodes[(start + i) % n]!;
      processed++;
      const s = fwk.filter.length ? fwk.runFilterPluginsWithNominatedPods(state, pod, ni) : undefined;
      if (isSuccess(s)) {
        feasible.push(ni);
      } else if (isRejected(s)) {
        diagnosis.nodeToStatus.set(ni.name, s!);
        if (s!.plugin) diagnosis.unschedulablePlugins.add(s!.plugin);
      } else {
        throw new PluginError(s!);
      }
    }
    this.nextStartNodeIndex = numAllNodes ? (this.nextStartNodeIndex + processed) % numAllNodes : 0;
    return feasible;
  }

  prioritizeNodes(fwk: Framework, state: CycleState, pod: Pod, nodes: NodeInfo[]): NodePluginScores[] {
    if (fwk.score.length === 0) return nodes.map((n) => ({ name: n.name, totalScore: 1 }));
    const pre = fwk.runPreScorePlugins(state, pod, nodes);
    if (!isSuccess(pre)) throw new PluginError(pre!);
    const scores = fwk.runScorePlugins(state, pod, nodes);
    if (scores instanceof Status) throw new PluginError(scores);
    return scores;
  }

  /** The node with the highest total score; ties broken uniformly at random (reservoir sampling). */
  selectHost(scores: NodePluginScores[]): string {
    if (scores.length === 0) throw new Error('empty priorityList');
    let best = scores[0]!;
    let ties = 1;
    for (let i = 1; i < scores.length; i++) {
      const s = scores[i]!;
      if (s.totalScore > best.totalScore) {
        best = s;
        ties = 1;
      } else if (s.totalScore === best.totalScore) {
        ties++;
        if (Math.floor(this.random() * ties) === 0) best = s;
      }
    }
    return best.name;
  }
}
