// Runs a profile's plugins at each extension point (upstream's frameworkImpl): instantiates
// them from the registry, sorts them into extension points by shape, and applies upstream's
// rules — a Filter failure stops the node's other filters, Skip from PreFilter/PreScore turns
// the plugin's Filter/Score off for the cycle, scores are normalized then weighted, the first
// binder that does not Skip binds.
import type { Pod } from 'kubernetes-types/core/v1.js';
import { CycleState } from './cycle-state.js';
import type { ClusterEventWithHint } from './events.js';
import {
  isBind, isEnqueueExtensions, isFilter, isPermit, isPostBind, isPostFilter, isPreBind, isPreFilter, isPreScore, isQueueSort, isReserve, isScore,
  NodeToStatus, PreFilterResult,
  type BindPlugin, type FilterPlugin, type FilterRunner, type Handle, type NodeScore, type PermitPlugin, type Plugin, type PostBindPlugin,
  type PostFilterPlugin, type PostFilterResult, type PreBindPlugin, type PreFilterPlugin, type PreScorePlugin, type QueueSortPlugin,
  type Registry, type ReservePlugin, type ScorePlugin,
} from './interface.js';
import type { Profile } from './profile.js';
import { Code, isRejected, isSkip, isSuccess, Status, type MaybeStatus } from './status.js';
import { MAX_NODE_SCORE, MIN_NODE_SCORE, podPriority, podUid, PodInfo, type NodeInfo, type QueuedPodInfo } from './types.js';
import { WaitingPod } from './waiting-pod.js';

export interface NodePluginScores {
  name: string;
  /** The sum of the plugins' normalized scores times their weights. */
  totalScore: number;
}

export interface PreFilterOutcome {
  result: PreFilterResult | undefined;
  status: MaybeStatus;
  /** Plugins that narrowed the nodes (for the absent-nodes message). */
  narrowedBy: string[];
}

export class Framework implements FilterRunner {
  readonly schedulerName: string;
  readonly percentageOfNodesToScore: number | undefined;
  readonly plugins = new Map<string, Plugin>();
  readonly queueSort: QueueSortPlugin | undefined;
  readonly preFilter: PreFilterPlugin[] = [];
  readonly filter: FilterPlugin[] = [];
  readonly postFilter: PostFilterPlugin[] = [];
  readonly preScore: PreScorePlugin[] = [];
  readonly score: Array<{ plugin: ScorePlugin; weight: number }> = [];
  readonly reserve: ReservePlugin[] = [];
  readonly permit: PermitPlugin[] = [];
  readonly preBind: PreBindPlugin[] = [];
  readonly bind: BindPlugin[] = [];
  readonly postBind: PostBindPlugin[] = [];
  /** Plugin name → the cluster events that may help pods it rejected. */
  readonly enqueueEvents = new Map<string, ClusterEventWithHint[]>();
  /** Pods held at Permit, by UID. */
  readonly waitingPods = new Map<string, WaitingPod>();

  constructor(
    registry: Registry,
    profile: Profile,
    private readonly handle: Omit<Handle, 'framework'>,
  ) {
    this.schedulerName = profile.schedulerName;
    this.percentageOfNodesToScore = profile.percentageOfNodesToScore;
    const fullHandle: Handle = { ...handle, framework: () => this };
    let queueSort: QueueSortPlugin | undefined;
    for (const spec of profile.plugins) {
      if (this.plugins.has(spec.name)) throw new Error(`plugin "${spec.name}" listed twice in profile ${profile.schedulerName}`);
      const factory = registry.get(spec.name);
      if (!factory) throw new Error(`plugin "${spec.name}" does not exist`);
      const p = factory(profile.pluginConfig?.[spec.name], fullHandle);
      this.plugins.set(spec.name, p);
      if (isQueueSort(p)) {
        if (queueSort) throw new Error('only one QueueSort plugin can be enabled');
        queueSort = p;
      }
      if (isPreFilter(p)) this.preFilter.push(p);
      if (isFilter(p)) this.filter.push(p);
      if (isPostFilter(p)) this.postFilter.push(p);
      if (isPreScore(p)) this.preScore.push(p);
      if (isScore(p)) this.score.push({ plugin: p, weight: spec.weight ?? 1 });
      if (isReserve(p)) this.reserve.push(p);
      if (isPermit(p)) this.permit.push(p);
      if (isPreBind(p)) this.preBind.push(p);
      if (isBind(p)) this.bind.push(p);
      if (isPostBind(p)) this.postBind.push(p);
      if (isEnqueueExtensions(p)) this.enqueueEvents.set(p.name, p.eventsToRegister());
    }
    this.queueSort = queueSort;
  }

  /** The queue's order: the QueueSort plugin's, else priority then age. */
  less = (a: QueuedPodInfo, b: QueuedPodInfo): boolean => {
    if (this.queueSort) return this.queueSort.less(a, b);
    const pa = podPriority(a.podInfo.pod);
    const pb = podPriority(b.podInfo.pod);
    return pa > pb || (pa === pb && a.timestamp < b.timestamp);
  };

  runPreFilterPlugins(state: CycleState, pod: Pod, nodes: NodeInfo[]): PreFilterOutcome {
    let result: PreFilterResult | undefined;
    const narrowedBy: string[] = [];
    for (const pl of this.preFilter) {
      let out: MaybeStatus | PreFilterResult;
      try {
        out = pl.preFilter(state, pod, nodes);
      } catch (e) {
        out = Status.error(e);
      }
      if (out instanceof PreFilterResult) {
        if (!out.allNodes()) narrowedBy.push(pl.name);
        result = result ? result.merge(out) : out;
        if (!result.allNodes() && result.nodeNames!.size === 0) {
          const msg = narrowedBy.length === 1 ? `node(s) didn't satisfy plugin ${narrowedBy[0]}` : `node(s) didn't satisfy plugin(s) [${narrowedBy.join(' ')}] simultaneously`;
          return { result, status: Status.unresolvable(msg).withPlugin(pl.name), narrowedBy };
        }
        continue;
      }
      if (isSkip(out)) {
        state.skipFilterPlugins.add(pl.name);
        continue;
      }
      if (!isSuccess(out)) {
        const s = isRejected(out) ? out! : Status.error(new Error(`running PreFilter plugin "${pl.name}": ${out!.message()}`));
        return { result, status: s.withPlugin(pl.name), narrowedBy };
      }
    }
    return { result, status: undefined, narrowedBy };
  }

  /** The filters not skipped this cycle (worked out once per cycle, not once per node). */
  private activeFilters(state: CycleState): FilterPlugin[] {
    const skip = state.skipFilterPlugins;
    const c = state.activeFilters;
    // PreFilter only ever adds to the skip set, so the same set at the same size means the same list.
    if (c && c.skip === skip && c.size === skip.size) return c.list as FilterPlugin[];
    const list = skip.size ? this.filter.filter((pl) => !skip.has(pl.name)) : this.filter;
    state.activeFilters = { skip, size: skip.size, list };
    return list;
  }

  runFilterPlugins(state: CycleState, pod: Pod, nodeInfo: NodeInfo): MaybeStatus {
    const filters = this.activeFilters(state);
    for (let i = 0; i < filters.length; i++) {
      const pl = filters[i]!;
      let s: MaybeStatus;
      try {
        s = pl.filter(state, pod, nodeInfo);
      } catch (e) {
        s = Status.error(e);
      }
      if (isSuccess(s)) continue;
      if (!isRejected(s)) s = Status.error(new Error(`running "${pl.name}" filter plugin: ${s!.message()}`));
      return s!.withPlugin(pl.name);
    }
    return undefined;
  }

  runPreFilterExtensionAddPod(state: CycleState, pod: Pod, toAdd: PodInfo, nodeInfo: NodeInfo): MaybeStatus {
    for (const pl of this.preFilter) {
      if (state.skipFilterPlugins.has(pl.name)) continue;
      const s = pl.preFilterExtensions?.()?.addPod(state, pod, toAdd, nodeInfo);
      if (!isSuccess(s)) return s!.withPlugin(pl.name);
    }
    return undefined;
  }

  runPreFilterExtensionRemovePod(state: CycleState, pod: Pod, toRemove: PodInfo, nodeInfo: NodeInfo): MaybeStatus {
    for (const pl of this.preFilter) {
      if (state.skipFilterPlugins.has(pl.name)) continue;
      const s = pl.preFilterExtensions?.()?.removePod(state, pod, toRemove, nodeInfo);
      if (!isSuccess(s)) return s!.withPlugin(pl.name);
    }
    return undefined;
  }

  /**
   * Filters as if the pods nominated to the node with at least the pod's priority were there
   * (they will be, once their victims are gone) — and, when that passes, without them too,
   * since affinity may only hold with them.
   */
  runFilterPluginsWithNominatedPods(state: CycleState, pod: Pod, nodeInfo: NodeInfo): MaybeStatus {
    const onNode = this.handle.nominator().nominatedPodsForNode(nodeInfo.name);
    // Most nodes have no nominated pods: no list to build for them.
    if (onNode.length === 0) return this.runFilterPlugins(state, pod, nodeInfo);
    const nominated = onNode.filter((pi) => podPriority(pi.pod) >= podPriority(pod) && podUid(pi.pod) !== podUid(pod));
    if (nominated.length === 0) return this.runFilterPlugins(state, pod, nodeInfo);
    const stateWith = state.clone();
    const infoWith = nodeInfo.snapshot();
    for (const pi of nominated) {
      infoWith.addPodInfo(pi);
      const s = this.runPreFilterExtensionAddPod(stateWith, pod, pi, infoWith);
      if (!isSuccess(s)) return s;
    }
    const s = this.runFilterPlugins(stateWith, pod, infoWith);
    if (!isSuccess(s)) return s;
    return this.runFilterPlugins(state, pod, nodeInfo);
  }

  runPostFilterPlugins(state: CycleState, pod: Pod, statuses: NodeToStatus): { result?: PostFilterResult; status: MaybeStatus } {
    let result: PostFilterResult | undefined;
    const reasons: string[] = [];
    let rejector = '';
    for (const pl of this.postFilter) {
      let r: { result?: PostFilterResult; status: MaybeStatus };
      try {
        r = pl.postFilter(state, pod, statuses);
      } catch (e) {
        r = { status: Status.error(e) };
      }
      if (isSuccess(r.status)) return r;
      if (r.status!.code === Code.UnschedulableAndUnresolvable) return { result: r.result, status: r.status!.withPlugin(pl.name) };
      if (!isRejected(r.status)) return { status: Status.error(new Error(r.status!.message())).withPlugin(pl.name) };
      if (r.result) result = r.result;
      reasons.push(...r.status!.allReasons());
      rejector ||= pl.name;
    }
    return { result, status: new Status(Code.Unschedulable, reasons).withPlugin(rejector) };
  }

  runPreScorePlugins(state: CycleState, pod: Pod, nodes: NodeInfo[]): MaybeStatus {
    for (const pl of this.preScore) {
      const s = pl.preScore(state, pod, nodes);
      if (isSkip(s)) {
        state.skipScorePlugins.add(pl.name);
        continue;
      }
      if (!isSuccess(s)) return Status.error(new Error(`running PreScore plugin "${pl.name}": ${s!.message()}`)).withPlugin(pl.name);
    }
    return undefined;
  }

  /** Scores every node with every (non-skipped) plugin, normalizes per plugin, applies weights. */
  runScorePlugins(state: CycleState, pod: Pod, nodes: NodeInfo[]): NodePluginScores[] | Status {
    const out: NodePluginScores[] = new Array(nodes.length);
    // One NodeScore per node, reused by every plugin in turn (normalizeScore changes it in place).
    const scores: NodeScore[] = new Array(nodes.length);
    for (let i = 0; i < nodes.length; i++) {
      out[i] = { name: nodes[i]!.name, totalScore: 0 };
      scores[i] = { name: nodes[i]!.name, score: 0 };
    }
    for (const { plugin, weight } of this.score) {
      if (state.skipScorePlugins.has(plugin.name)) continue;
      for (let i = 0; i < nodes.length; i++) {
        const s = plugin.score(state, pod, nodes[i]!);
        if (typeof s !== 'number') return Status.error(new Error(`plugin "${plugin.name}" failed with: ${s.message()}`)).withPlugin(plugin.name);
        scores[i]!.score = s;
      }
      const ns = plugin.scoreExtensions?.()?.normalizeScore(state, pod, scores);
      if (!isSuccess(ns)) return Status.error(new Error(`running Normalize on Score plugins: plugin "${plugin.name}" failed with: ${ns!.message()}`));
      for (let i = 0; i < scores.length; i++) {
        const sc = scores[i]!.score;
        if (sc > MAX_NODE_SCORE || sc < MIN_NODE_SCORE) {
          return Status.error(new Error(`plugin "${plugin.name}" returns an invalid score ${sc}, it should in the range of [${MIN_NODE_SCORE}, ${MAX_NODE_SCORE}] after normalizing`));
        }
        out[i]!.totalScore += sc * weight;
      }
    }
    return out;
  }

  runReservePluginsReserve(state: CycleState, pod: Pod, nodeName: string): MaybeStatus {
    for (const pl of this.reserve) {
      const s = pl.reserve(state, pod, nodeName);
      if (!isSuccess(s)) {
        const st = isRejected(s) ? s! : Status.error(new Error(`running Reserve plugin "${pl.name}": ${s!.message()}`));
        return st.withPlugin(pl.name);
      }
    }
    return undefined;
  }

  /** Unreserve in reverse order (upstream's RunReservePluginsUnreserve). */
  runReservePluginsUnreserve(state: CycleState, pod: Pod, nodeName: string): void {
    for (const pl of [...this.reserve].reverse()) {
      try {
        pl.unreserve(state, pod, nodeName);
      } catch (e) {
        console.error(`scheduler: unreserve of plugin ${pl.name} failed:`, e);
      }
    }
  }

  /** Success, a rejection, or Wait (the pod is then held until waitOnPermit settles). */
  runPermitPlugins(state: CycleState, pod: Pod, nodeName: string): MaybeStatus {
    const waits = new Map<string, number>();
    for (const pl of this.permit) {
      const { status, timeoutMs } = pl.permit(state, pod, nodeName);
      if (isSuccess(status)) continue;
      if (isRejected(status)) return status!.withPlugin(pl.name);
      if (status!.code === Code.Wait) {
        waits.set(pl.name, Math.min(timeoutMs ?? 15 * 60_000, 15 * 60_000));
        continue;
      }
      return Status.error(new Error(`running Permit plugin "${pl.name}": ${status!.message()}`)).withPlugin(pl.name);
    }
    if (waits.size === 0) return undefined;
    this.waitingPods.set(podUid(pod), new WaitingPod(pod, waits, this.handle.clock));
    return Status.wait(`one or more plugins asked to wait and no plugin rejected pod "${pod.metadata?.name}"`);
  }

  /** Resolves when a pod held at Permit is allowed (Success) or rejected (its status). */
  async waitOnPermit(pod: Pod): Promise<MaybeStatus> {
    const wp = this.waitingPods.get(podUid(pod));
    if (!wp) return undefined;
    try {
      return await wp.result;
    } finally {
      this.waitingPods.delete(podUid(pod));
    }
  }

  async runPreBindPlugins(state: CycleState, pod: Pod, nodeName: string): Promise<MaybeStatus> {
    for (const pl of this.preBind) {
      const s = await pl.preBind(state, pod, nodeName);
      if (!isSuccess(s)) {
        const st = isRejected(s) ? s! : Status.error(new Error(`running PreBind plugin "${pl.name}": ${s!.message()}`));
        return st.withPlugin(pl.name);
      }
    }
    return undefined;
  }

  async runBindPlugins(state: CycleState, pod: Pod, nodeName: string): Promise<MaybeStatus> {
    if (this.bind.length === 0) return new Status(Code.Skip);
    for (const pl of this.bind) {
      const s = await pl.bind(state, pod, nodeName);
      if (isSkip(s)) continue;
      if (!isSuccess(s)) {
        const st = isRejected(s) ? s! : Status.error(new Error(`running Bind plugin "${pl.name}": ${s!.message()}`));
        return st.withPlugin(pl.name);
      }
      return undefined;
    }
    return new Status(Code.Skip);
  }

  runPostBindPlugins(state: CycleState, pod: Pod, nodeName: string): void {
    for (const pl of this.postBind) pl.postBind(state, pod, nodeName);
  }
}

