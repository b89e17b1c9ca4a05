// PodTopologySpread: pods matching a constraint's selector should spread over the topology
// domains (nodes with the same value of topologyKey) with at most maxSkew between the fullest
// domain and the emptiest. DoNotSchedule constraints filter; ScheduleAnyway ones (and the
// cluster defaults, for pods owned by a Service/ReplicaSet/…) score.
import type { Pod, ReplicationController, Service } from 'kubernetes-types/core/v1.js';
import type { ReplicaSet, StatefulSet } from 'kubernetes-types/apps/v1.js';
import { fromLabelSelector, LabelSelector, type Requirement } from '../../../api/selectors/index.js';
import { resources, type Lister } from '../../../client/index.js';
import type { CycleState, StateData } from '../../framework/cycle-state.js';
import type { EnqueueExtensions, FilterPlugin, Handle, NodeScore, PluginFactory, PreFilterPlugin, PreScorePlugin, ScorePlugin } from '../../framework/interface.js';
import { Status, type MaybeStatus } from '../../framework/status.js';
import { LABEL_HOSTNAME, MAX_NODE_SCORE, type NodeInfo, type PodInfo } from '../../framework/types.js';
import { constraint, countPodsMatchSelector, nodeIncluded, nodeLabelsMatchSpreadConstraints, podConstraints, SYSTEM_DEFAULT_CONSTRAINTS, type Constraint } from './constraints.js';

export const NAME = 'PodTopologySpread';
export const ERR_REASON_CONSTRAINTS_NOT_MATCH = "node(s) didn't match pod topology spread constraints";
export const ERR_REASON_NODE_LABEL_NOT_MATCH = "node(s) didn't match pod topology spread constraints (missing required label)";
const PREFILTER_KEY = `PreFilter${NAME}`;
const PRESCORE_KEY = `PreScore${NAME}`;

class FilterState implements StateData {
  constructor(
    readonly constraints: Constraint[],
    /** "key\0value" → matching pods in that domain. */
    readonly counts: Map<string, number>,
  ) {}
  clone(): StateData {
    return new FilterState(this.constraints, new Map(this.counts));
  }
  /** The emptiest domain's count for each constraint (0 while fewer than minDomains domains exist). */
  minMatch(c: Constraint): number {
    let min = Infinity;
    let domains = 0;
    for (const [k, v] of this.counts) {
      if (!k.startsWith(`${c.topologyKey}\0`)) continue;
      domains++;
      min = Math.min(min, v);
    }
    return domains < c.minDomains || min === Infinity ? 0 : min;
  }
  update(pod: Pod, pi: PodInfo, ni: NodeInfo, delta: number): void {
    if (!ni.node || !nodeLabelsMatchSpreadConstraints(ni.node, this.constraints)) return;
    for (const c of this.constraints) {
      if (pi.pod.metadata?.namespace !== pod.metadata?.namespace || !c.selector.matches(pi.pod.metadata?.labels)) continue;
      const k = `${c.topologyKey}\0${ni.node.metadata!.labels![c.topologyKey]}`;
      this.counts.set(k, (this.counts.get(k) ?? 0) + delta);
    }
  }
}

class ScoreState implements StateData {
  constructor(
    readonly constraints: Constraint[],
    readonly counts: Map<string, number>,
    readonly ignored: Set<string>,
    readonly weights: number[],
  ) {}
  clone(): StateData {
    return this;
  }
}

export class PodTopologySpread implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin, EnqueueExtensions {
  readonly name = NAME;
  private readonly listers: { services?: Lister<Service>; rcs?: Lister<ReplicationController>; rss?: Lister<ReplicaSet>; sss?: Lister<StatefulSet> };

  constructor(private readonly handle: Handle, private readonly args: { defaultingType?: 'System' | 'List' } = {}) {
    const inf = handle.informers;
    this.listers = inf ? { services: inf.lister(resources.services), rcs: inf.lister(resources.replicationControllers), rss: inf.lister(resources.replicaSets), sss: inf.lister(resources.statefulSets) } : {};
  }

  preFilter(state: CycleState, pod: Pod, nodes: NodeInfo[]): MaybeStatus {
    const cs = podConstraints(pod, 'DoNotSchedule');
    if (cs.length === 0) return Status.skip();
    const st = new FilterState(cs, new Map());
    for (const ni of nodes) {
      const node = ni.node;
      if (!node || !nodeLabelsMatchSpreadConstraints(node, cs)) continue;
      for (const c of cs) {
        if (!nodeIncluded(c, pod, node)) continue;
        const k = `${c.topologyKey}\0${node.metadata!.labels![c.topologyKey]}`;
        st.counts.set(k, (st.counts.get(k) ?? 0) + countPodsMatchSelector(ni.pods, c.selector, pod.metadata?.namespace ?? ''));
      }
    }
    state.write(PREFILTER_KEY, st);
    return undefined;
  }

  preFilterExtensions() {
    return {
      addPod: (state: CycleState, pod: Pod, pi: PodInfo, ni: NodeInfo) => void state.read<FilterState>(PREFILTER_KEY)?.update(pod, pi, ni, 1),
      removePod: (state: CycleState, pod: Pod, pi: PodInfo, ni: NodeInfo) => void state.read<FilterState>(PREFILTER_KEY)?.update(pod, pi, ni, -1),
    };
  }

  filter(state: CycleState, pod: Pod, ni: NodeInfo): MaybeStatus {
    const st = state.read<FilterState>(PREFILTER_KEY);
    if (!st || !ni.node) return undefined;
    const labels = ni.node.metadata?.labels ?? {};
    for (const c of st.constraints) {
      if (!Object.hasOwn(labels, c.topologyKey)) return Status.unresolvable(ERR_REASON_NODE_LABEL_NOT_MATCH);
      const self = c.selector.matches(pod.metadata?.labels) ? 1 : 0;
      const matchNum = st.counts.get(`${c.topologyKey}\0${labels[c.topologyKey]}`) ?? 0;
      if (matchNum + self - st.minMatch(c) > c.maxSkew) return Status.unschedulable(ERR_REASON_CONSTRAINTS_NOT_MATCH);
    }
    return undefined;
  }

  preScore(state: CycleState, pod: Pod, filtered: NodeInfo[]): MaybeStatus {
    const cs = this.scoringConstraints(pod);
    if (cs.length === 0) return Status.skip();
    const counts = new Map<string, number>();
    const ignored = new Set<string>();
    const domains = cs.map(() => new Set<string>());
    for (const ni of filtered) {
      if (!ni.node || !nodeLabelsMatchSpreadConstraints(ni.node, cs)) {
        ignored.add(ni.name);
        continue;
      }
      cs.forEach((c, i) => domains[i]!.add(ni.node!.metadata!.labels![c.topologyKey]!));
    }
    // Domains other than hostname count the matching pods on every node of the cluster.
    for (const ni of this.handle.snapshot().list()) {
      if (!ni.node || !nodeLabelsMatchSpreadConstraints(ni.node, cs)) continue;
      for (const c of cs) {
        if (c.topologyKey === LABEL_HOSTNAME || !nodeIncluded(c, pod, ni.node)) continue;
        const v = ni.node.metadata!.labels![c.topologyKey]!;
        const k = `${c.topologyKey}\0${v}`;
        if (!domains[cs.indexOf(c)]!.has(v)) continue;
        counts.set(k, (counts.get(k) ?? 0) + countPodsMatchSelector(ni.pods, c.selector, pod.metadata?.namespace ?? ''));
      }
    }
    const weights = cs.map((c, i) => Math.log((c.topologyKey === LABEL_HOSTNAME ? filtered.length - ignored.size : domains[i]!.size) + 2));
    state.write(PRESCORE_KEY, new ScoreState(cs, counts, ignored, weights));
    return undefined;
  }

  score(state: CycleState, pod: Pod, ni: NodeInfo): number {
    const st = state.read<ScoreState>(PRESCORE_KEY);
    if (!st || st.ignored.has(ni.name) || !ni.node) return 0;
    let score = 0;
    st.constraints.forEach((c, i) => {
      const cnt = c.topologyKey === LABEL_HOSTNAME ? countPodsMatchSelector(ni.pods, c.selector, pod.metadata?.namespace ?? '') : st.counts.get(`${c.topologyKey}\0${ni.node!.metadata!.labels![c.topologyKey]}`) ?? 0;
      score += cnt * st.weights[i]! + (c.maxSkew - 1);
    });
    return Math.round(score);
  }

  scoreExtensions() {
    return {
      normalizeScore: (state: CycleState, _pod: Pod, scores: NodeScore[]): MaybeStatus => {
        const st = state.read<ScoreState>(PRESCORE_KEY);
        if (!st) return undefined;
        let min = Infinity;
        let max = 0;
        for (const s of scores) {
          if (st.ignored.has(s.name)) continue;
          min = Math.min(min, s.score);
          max = Math.max(max, s.score);
        }
        for (const s of scores) {
          if (st.ignored.has(s.name)) s.score = 0;
          else if (max === 0) s.score = MAX_NODE_SCORE;
          else s.score = Math.trunc((MAX_NODE_SCORE * (max + min - s.score)) / max);
        }
        return undefined;
      },
    };
  }

  eventsToRegister() {
    return [
      { event: { resource: 'Pod' as const, actions: ['Add' as const, 'Update' as const, 'Delete' as const] } },
      { event: { resource: 'Node' as const, actions: ['Add' as const, 'Update' as const, 'Delete' as const] } },
    ];
  }

  /** The pod's ScheduleAnyway constraints, else the system defaults with the owners' selector. */
  private scoringConstraints(pod: Pod): Constraint[] {
    const own = podConstraints(pod, 'ScheduleAnyway');
    if ((pod.spec?.topologySpreadConstraints ?? []).length || this.args.defaultingType === 'List') return own;
    const selector = this.defaultSelector(pod);
    if (selector.isEmpty()) return [];
    return SYSTEM_DEFAULT_CONSTRAINTS.map((c) => constraint(c.maxSkew, c.topologyKey, selector));
  }

  /** helper.DefaultSelector: the selectors of Services, RCs, ReplicaSets and StatefulSets selecting the pod. */
  private defaultSelector(pod: Pod): LabelSelector {
    const ns = pod.metadata?.namespace ?? '';
    const labels = pod.metadata?.labels ?? {};
    const reqs: Requirement[] = [];
    const fromMap = (m: Record<string, string> | undefined) => {
      if (!m || !Object.keys(m).length) return;
      const s = LabelSelector.fromSet(m);
      if (s.matches(labels)) reqs.push(...s.requirements);
    };
    const fromSpec = (spec: Parameters<typeof fromLabelSelector>[0]) => {
      try {
        const s = fromLabelSelector(spec);
        if (!s.isEmpty() && s.matches(labels)) reqs.push(...s.requirements);
      } catch {
        // an invalid selector selects nothing
      }
    };
    for (const s of this.listers.services?.namespace(ns).list() ?? []) fromMap(s.spec?.selector);
    for (const rc of this.listers.rcs?.namespace(ns).list() ?? []) fromMap(rc.spec?.selector);
    for (const rs of this.listers.rss?.namespace(ns).list() ?? []) fromSpec(rs.spec?.selector);
    for (const ss of this.listers.sss?.namespace(ns).list() ?? []) fromSpec(ss.spec?.selector);
    return reqs.length ? LabelSelector.of(reqs) : LabelSelector.everything();
  }
}

export const factory: PluginFactory = (args, handle) => new PodTopologySpread(handle, (args ?? {}) as { defaultingType?: 'System' | 'List' });
