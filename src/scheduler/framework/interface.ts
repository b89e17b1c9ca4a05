// The extension points of a scheduling profile (upstream's framework/interface.go), one
// interface each. A plugin implements the points it needs; the framework finds them by shape
// (the type guards below) and runs them in the profile's order.
//
//   queue:       QueueSort, EnqueueExtensions (which cluster events may help a rejected pod)
//   scheduling:  PreFilter → Filter (per node) → PostFilter (when no node fits)
//                → PreScore → Score (per node) → NormalizeScore → Reserve → Permit
//   binding:     PreBind → Bind → PostBind (asynchronous, one per pod)
//
// Scheduling-cycle points are synchronous: one pod is scheduled at a time and the cycle sees a
// consistent snapshot. Binding-cycle points may wait on the API.
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { RestClient, SharedInformerFactory, TimerClock } from '../../client/index.js';
import type { CycleState } from './cycle-state.js';
import type { ClusterEventWithHint } from './events.js';
import type { MaybeStatus, Status } from './status.js';
import type { NodeInfo, PodInfo, QueuedPodInfo } from './types.js';

export interface Plugin {
  readonly name: string;
}

export interface QueueSortPlugin extends Plugin {
  /** Whether `a` should be scheduled before `b`. */
  less(a: QueuedPodInfo, b: QueuedPodInfo): boolean;
}

export interface EnqueueExtensions extends Plugin {
  /** Events that may make a pod this plugin rejected schedulable (with an optional finer hint). */
  eventsToRegister(): ClusterEventWithHint[];
}

/** PreFilter's narrowing of the candidate nodes (undefined names: all nodes). */
export class PreFilterResult {
  constructor(readonly nodeNames: Set<string> | undefined) {}

  allNodes(): boolean {
    return this.nodeNames === undefined;
  }

  /** The intersection of two narrowings. */
  merge(other: PreFilterResult | undefined): PreFilterResult {
    if (!other || other.allNodes()) return this;
    if (this.allNodes()) return other;
    return new PreFilterResult(new Set([...this.nodeNames!].filter((n) => other.nodeNames!.has(n))));
  }
}

/** Keeps a PreFilter's state right when preemption adds or removes pods on a node copy. */
export interface PreFilterExtensions {
  addPod(state: CycleState, podToSchedule: Pod, podInfoToAdd: PodInfo, nodeInfo: NodeInfo): MaybeStatus;
  removePod(state: CycleState, podToSchedule: Pod, podInfoToRemove: PodInfo, nodeInfo: NodeInfo): MaybeStatus;
}

export interface PreFilterPlugin extends Plugin {
  /** Computes per-cycle state; Skip means this plugin's Filter need not run for the pod. */
  preFilter(state: CycleState, pod: Pod, nodes: NodeInfo[]): MaybeStatus | PreFilterResult;
  preFilterExtensions?(): PreFilterExtensions | undefined;
}

export interface FilterPlugin extends Plugin {
  /** Whether the pod fits on the node; Unschedulable(AndUnresolvable) with reasons when not. */
  filter(state: CycleState, pod: Pod, nodeInfo: NodeInfo): MaybeStatus;
}

/** The filter status of every node that did not fit; nodes absent from the map get `absent`. */
export class NodeToStatus {
  readonly byNode = new Map<string, Status>();
  absent: Status | undefined;

  get(name: string): Status | undefined {
    return this.byNode.get(name) ?? this.absent;
  }

  set(name: string, s: Status): void {
    this.byNode.set(name, s);
  }
}

export interface PostFilterResult {
  /** The node the pod is nominated to (after preemption), "" to clear a nomination. */
  nominatedNodeName?: string;
}

export interface PostFilterPlugin extends Plugin {
  /** Runs when no node fits (e.g. preemption); Success means the pod may fit later. */
  postFilter(state: CycleState, pod: Pod, statuses: NodeToStatus): { result?: PostFilterResult; status: MaybeStatus };
}

export interface PreScorePlugin extends Plugin {
  /** Prepares scoring over the feasible nodes; Skip means this plugin's Score is not run. */
  preScore(state: CycleState, pod: Pod, nodes: NodeInfo[]): MaybeStatus;
}

export interface NodeScore {
  name: string;
  score: number;
}

export interface ScoreExtensions {
  /** Rescales the scores in place to [MIN_NODE_SCORE, MAX_NODE_SCORE]. */
  normalizeScore(state: CycleState, pod: Pod, scores: NodeScore[]): MaybeStatus;
}

export interface ScorePlugin extends Plugin {
  /** The node's score, or a Status on error. */
  score(state: CycleState, pod: Pod, nodeInfo: NodeInfo): number | Status;
  scoreExtensions?(): ScoreExtensions | undefined;
}

export interface ReservePlugin extends Plugin {
  reserve(state: CycleState, pod: Pod, nodeName: string): MaybeStatus;
  /** Undoes reserve (also called for plugins whose reserve was not reached); must not fail. */
  unreserve(state: CycleState, pod: Pod, nodeName: string): void;
}

export interface PermitPlugin extends Plugin {
  /** Success, Wait (with a timeout) or a rejection. */
  permit(state: CycleState, pod: Pod, nodeName: string): { status: MaybeStatus; timeoutMs?: number };
}

export interface PreBindPlugin extends Plugin {
  preBind(state: CycleState, pod: Pod, nodeName: string): Promise<MaybeStatus>;
}

export interface BindPlugin extends Plugin {
  /** Binds the pod; Skip hands it to the next binder. */
  bind(state: CycleState, pod: Pod, nodeName: string): Promise<MaybeStatus>;
}

export interface PostBindPlugin extends Plugin {
  postBind(state: CycleState, pod: Pod, nodeName: string): void;
}

/** Read access to the cycle's snapshot of nodes. */
export interface NodeInfoLister {
  list(): NodeInfo[];
  get(name: string): NodeInfo | undefined;
  havePodsWithAffinityList(): NodeInfo[];
  havePodsWithRequiredAntiAffinityList(): NodeInfo[];
  /** Position in the log of changed nodes (snapshots kept by the cache). */
  readonly version?: number;
  /** Nodes changed since `version`; undefined when unknown (then recount from scratch). */
  changesSince?(version: number): string[] | undefined;
}

/** Pods nominated to nodes by preemption, not yet bound (upstream's PodNominator). */
export interface PodNominator {
  nominatedPodsForNode(nodeName: string): PodInfo[];
}

/** The framework as preemption sees it: filters that account for nominated pods. */
export interface FilterRunner {
  runPreFilterExtensionAddPod(state: CycleState, pod: Pod, toAdd: PodInfo, nodeInfo: NodeInfo): MaybeStatus;
  runPreFilterExtensionRemovePod(state: CycleState, pod: Pod, toRemove: PodInfo, nodeInfo: NodeInfo): MaybeStatus;
  runFilterPluginsWithNominatedPods(state: CycleState, pod: Pod, nodeInfo: NodeInfo): MaybeStatus;
}

/** What a plugin factory gets: access to the cluster, the snapshot and the framework. */
export interface Handle {
  client?: RestClient;
  informers?: SharedInformerFactory;
  clock: TimerClock;
  snapshot(): NodeInfoLister;
  nominator(): PodNominator;
  framework(): FilterRunner;
  /** Name of the profile's scheduler (spec.schedulerName). */
  schedulerName: string;
}

export type PluginFactory = (args: unknown, handle: Handle) => Plugin;

/** Plugin name → factory. Built explicitly at start-up (no import-time registration). */
export type Registry = Map<string, PluginFactory>;

function has(p: Plugin, method: string): boolean {
  return typeof (p as unknown as Record<string, unknown>)[method] === 'function';
}

export const isQueueSort = (p: Plugin): p is QueueSortPlugin => has(p, 'less');
export const isEnqueueExtensions = (p: Plugin): p is EnqueueExtensions => has(p, 'eventsToRegister');
export const isPreFilter = (p: Plugin): p is PreFilterPlugin => has(p, 'preFilter');
export const isFilter = (p: Plugin): p is FilterPlugin => has(p, 'filter');
export const isPostFilter = (p: Plugin): p is PostFilterPlugin => has(p, 'postFilter');
export const isPreScore = (p: Plugin): p is PreScorePlugin => has(p, 'preScore');
export const isScore = (p: Plugin): p is ScorePlugin => has(p, 'score');
export const isReserve = (p: Plugin): p is ReservePlugin => has(p, 'reserve');
export const isPermit = (p: Plugin): p is PermitPlugin => has(p, 'permit');
export const isPreBind = (p: Plugin): p is PreBindPlugin => has(p, 'preBind');
export const isBind = (p: Plugin): p is BindPlugin => has(p, 'bind');
export const isPostBind = (p: Plugin): p is PostBindPlugin => has(p, 'postBind');
