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
import { LABEL_HOSTNAME, MAX_NODE_SCORE, memoSlot, selectorKey, type NodeInfo, type PodInfo } from '../../framework/types.js';
import { DomainAggregates, type DomainAggregate } from '../../framework/domain-aggregate.js';
import { ALL_INCLUDED, constraint, countPodsMatchSelector, nodeInclusion, nodeLabelsMatchSpreadConstraints, podConstraints, SYSTEM_DEFAULT_CONSTRAINTS, type Constraint } from './constraints.js';

export const NAME = 'PodTopologySpread';
export const ERR_REASON_CONSTRAINTS_NOT_MATCH = "node(s) didn't match pod topology spread constraints";
export const ERR_REASON_NODE_LABEL_NOT_MATCH = "node(s) didn't match pod topology spread constraints (missing required label)";
const PREFILTER_KEY = `PreFilter${NAME}`;
const PRESCORE_KEY = `PreScore${NAME}`;

/**
 * Per DoNotSchedule constraint: matching pods per domain value (upstream's TpValueToMatchNum),
 * whether the incoming pod matches the constraint itself, and the emptiest domain's count,
 * kept up to date so that Filter is a few lookups per node.
 */
class FilterState implements StateData {
  /** Per constraint, the minimum over its domains (0 while fewer than minDomains); undefined: to recompute. */
  private mins: Array<number | undefined>;

  constructor(
    readonly constraints: Constraint[],
    /** Per constraint: domain value → matching pods in that domain. */
    readonly counts: Array<Map<string, number>>,
    /** Per constraint: 1 when the incoming pod matches its selector, else 0. */
    readonly selfMatch: number[],
  ) {
    this.mins = constraints.map(() => undefined);
  }

  clone(): StateData {
    return new FilterState(this.constraints, this.counts.map((m) => new Map(m)), this.selfMatch);
  }

  /** The emptiest domain's count for constraint i (0 while fewer than minDomains domains exist). */
  minMatch(i: number): number {
    let min = this.mins[i];
    if (min !== undefined) return min;
    const m = this.counts[i]!;
    min = Infinity;
    for (const v of m.values()) if (v < min) min = v;
    min = m.size < this.constraints[i]!.minDomains || min === Infinity ? 0 : min;
    this.mins[i] = min;
    return min;
  }

  update(pod: Pod, pi: PodInfo, ni: NodeInfo, delta: number): void {
    if (!ni.node || !nodeLabelsMatchSpreadConstraints(ni.node, this.constraints)) return;
    this.constraints.forEach((c, i) => {
      if (pi.pod.metadata?.namespace !== pod.metadata?.namespace || !c.selector.matches(pi.pod.metadata?.labels)) return;
      const v = ni.node!.metadata!.labels![c.topologyKey]!;
      const m = this.counts[i]!;
      m.set(v, (m.get(v) ?? 0) + delta);
      this.mins[i] = undefined;
    });
  }
}

/** Counts pods on a node in `ns` matching the selector and not being deleted, memoized per node. */
function podCounter(selector: LabelSelector, ns: string): (ni: NodeInfo) => number {
  const slot = memoSlot(`PodTopologySpread\0${ns}\0${selectorKey(selector)}`);
  const count = (ni: NodeInfo) => countPodsMatchSelector(ni.pods, selector, ns);
  return (ni) => ni.memoize(slot, count);
}

class ScoreState implements StateData {
  constructor(
    readonly constraints: Constraint[],
    /** Per constraint (hostname ones stay empty): domain value → matching pods. */
    readonly counts: Array<Map<string, number>>,
    readonly ignored: Set<string>,
    readonly weights: number[],
    /** Per constraint: matching pods on a node (memoized). */
    readonly counters: Array<(ni: NodeInfo) => number>,
  ) {}
  clone(): StateData {
    return this;
  }
}

export class PodTopologySpread implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin, EnqueueExtensions {
  readonly name = NAME;
  private readonly aggregates = new DomainAggregates();
  private readonly listers: { services?: Lister<Service>; rcs?: Lister<ReplicationController>; rss?: Lister<ReplicaSet>; sss?: Lister<StatefulSet> };

  constructor(private readonly handle: Handle, private readonly args: { defaultingType?: 'System' | 'List' } = {}) {
    const inf = handle.informers;
    this.listers = inf ? { services: inf.lister(resources.services), rcs: inf.lister(resources.replicationControllers), rss: inf.lister(resources.replicaSets), sss: inf.lister(resources.statefulSets) } : {};
  }

  preFilter(state: CycleState, pod: Pod, nodes: NodeInfo[]): MaybeStatus {
    const cs = podConstraints(pod, 'DoNotSchedule');
    if (cs.length === 0) return Status.skip();
    const ns = pod.metadata?.namespace ?? '';
    const st = new FilterState(cs, cs.map(() => new Map()), cs.map((c) => (c.selector.matches(pod.metadata?.labels) ? 1 : 0)));
    const included = nodeInclusion(pod, cs);
    const counters = cs.map((c) => podCounter(c.selector, ns));
    const snapshot = this.handle.snapshot();
    if (included === ALL_INCLUDED && nodes === snapshot.list()) {
      // Over the whole snapshot with every node counting: the kept per-domain counts.
      for (let i = 0; i < cs.length; i++) {
        for (const [v, d] of this.aggregate(ns, cs, i, counters[i]!).sync(snapshot)) st.counts[i]!.set(v, d.pods);
      }
    } else {
      for (const ni of nodes) {
        const node = ni.node;
        if (!node || !nodeLabelsMatchSpreadConstraints(node, cs)) continue;
        for (let i = 0; i < cs.length; i++) {
          const c = cs[i]!;
          if (!included(c, node)) continue;
          const v = node.metadata!.labels![c.topologyKey]!;
          const m = st.counts[i]!;
          m.set(v, (m.get(v) ?? 0) + counters[i]!(ni));
        }
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

  filter(state: CycleState, _pod: Pod, ni: NodeInfo): MaybeStatus {
    const st = state.read<FilterState>(PREFILTER_KEY);
    if (!st || !ni.node) return undefined;
    const labels = ni.node.metadata?.labels ?? {};
    for (let i = 0; i < st.constraints.length; i++) {
      const c = st.constraints[i]!;
      if (!Object.hasOwn(labels, c.topologyKey)) return Status.unresolvable(ERR_REASON_NODE_LABEL_NOT_MATCH);
      const matchNum = st.counts[i]!.get(labels[c.topologyKey]!) ?? 0;
      if (matchNum + st.selfMatch[i]! - st.minMatch(i) > c.maxSkew) return Status.unschedulable(ERR_REASON_CONSTRAINTS_NOT_MATCH);
    }
    return undefined;
  }

  preScore(state: CycleState, pod: Pod, filtered: NodeInfo[]): MaybeStatus {
    const cs = this.scoringConstraints(pod);
    if (cs.length === 0) return Status.skip();
    const counts = cs.map(() => new Map<string, number>());
    const ignored = new Set<string>();
    const domains = cs.map(() => new Set<string>());
    const included = nodeInclusion(pod, cs);
    const counters = cs.map((c) => podCounter(c.selector, pod.metadata?.namespace ?? ''));
    for (const ni of filtered) {
      if (!ni.node || !nodeLabelsMatchSpreadConstraints(ni.node, cs)) {
        ignored.add(ni.name);
        continue;
      }
      cs.forEach((c, i) => domains[i]!.add(ni.node!.metadata!.labels![c.topologyKey]!));
    }
    // Domains other than hostname count the matching pods on every node of the cluster.
    const byDomain = cs.map((c, i) => i).filter((i) => cs[i]!.topologyKey !== LABEL_HOSTNAME);
    const ns = pod.metadata?.namespace ?? '';
    if (byDomain.length && included === ALL_INCLUDED) {
      // The kept per-domain counts, for the domains of the filtered nodes.
      for (const i of byDomain) {
        const agg = this.aggregate(ns, cs, i, counters[i]!).sync(this.handle.snapshot());
        for (const v of domains[i]!) {
          const d = agg.get(v);
          if (d) counts[i]!.set(v, d.pods);
        }
      }
    } else if (byDomain.length) {
      for (const ni of this.handle.snapshot().list()) {
        if (!ni.node || !nodeLabelsMatchSpreadConstraints(ni.node, cs)) continue;
        const labels = ni.node.metadata!.labels!;
        for (const i of byDomain) {
          const c = cs[i]!;
          const v = labels[c.topologyKey]!;
          if (!domains[i]!.has(v) || !included(c, ni.node)) continue;
          counts[i]!.set(v, (counts[i]!.get(v) ?? 0) + counters[i]!(ni));
        }
      }
    }
    const weights = cs.map((c, i) => Math.log((c.topologyKey === LABEL_HOSTNAME ? filtered.length - ignored.size : domains[i]!.size) + 2));
    state.write(PRESCORE_KEY, new ScoreState(cs, counts, ignored, weights, counters));
    return undefined;
  }

  score(state: CycleState, _pod: Pod, ni: NodeInfo): number {
    const st = state.read<ScoreState>(PRESCORE_KEY);
    if (!st || st.ignored.has(ni.name) || !ni.node) return 0;
    let score = 0;
    const labels = ni.node.metadata!.labels!;
    for (let i = 0; i < st.constraints.length; i++) {
      const c = st.constraints[i]!;
      const cnt = c.topologyKey === LABEL_HOSTNAME ? st.counters[i]!(ni) : st.counts[i]!.get(labels[c.topologyKey]!) ?? 0;
      score += cnt * st.weights[i]! + (c.maxSkew - 1);
    }
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

  /**
   * The kept counts of constraint i of `cs` by domain: nodes count when they have every topology
   * key of `cs` (the key names all that the counts depend on).
   */
  private aggregate(ns: string, cs: Constraint[], i: number, counter: (ni: NodeInfo) => number): DomainAggregate {
    const c = cs[i]!;
    const key = [ns, selectorKey(c.selector), c.topologyKey, ...cs.map((x) => x.topologyKey).sort()].join('\0');
    return this.aggregates.get(key, (ni) => {
      if (!ni.node || !nodeLabelsMatchSpreadConstraints(ni.node, cs)) return undefined;
      return { domain: ni.node.metadata!.labels![c.topologyKey]!, pods: counter(ni) };
    });
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
