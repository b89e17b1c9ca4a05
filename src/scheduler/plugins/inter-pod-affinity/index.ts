// InterPodAffinity: required pod affinity (the pod goes where matching pods are, in the same
// topology domain), required anti-affinity (it avoids them), existing pods' anti-affinity (they
// keep it away); preferred terms, both the pod's and the existing pods', score the domains.
import type { Namespace, Node, Pod } from 'kubernetes-types/core/v1.js';
import { resources, type Lister } from '../../../client/index.js';
import type { CycleState, StateData } from '../../framework/cycle-state.js';
import type { EnqueueExtensions, FilterPlugin, Handle, NodeScore, PluginFactory, PreFilterPlugin, PreScorePlugin, ScorePlugin } from '../../framework/interface.js';
import { Status, type MaybeStatus } from '../../framework/status.js';
import { affinityTermMatches, MAX_NODE_SCORE, PodInfo, type AffinityTerm, type NodeInfo } from '../../framework/types.js';

export const NAME = 'InterPodAffinity';
export const ERR_REASON_EXISTING_ANTI_AFFINITY = "node(s) didn't satisfy existing pods anti-affinity rules";
export const ERR_REASON_AFFINITY = "node(s) didn't match pod affinity rules";
export const ERR_REASON_ANTI_AFFINITY = "node(s) didn't match pod anti-affinity rules";
const PREFILTER_KEY = `PreFilter${NAME}`;
const PRESCORE_KEY = `PreScore${NAME}`;

type Counts = Map<string, number>;
const pair = (key: string, value: string) => `${key}\0${value}`;

class FilterState implements StateData {
  constructor(
    readonly podInfo: PodInfo,
    readonly nsLabels: Record<string, string> | undefined,
    readonly existingAntiAffinity: Counts,
    readonly affinity: Counts,
    readonly antiAffinity: Counts,
  ) {}
  clone(): StateData {
    return new FilterState(this.podInfo, this.nsLabels, new Map(this.existingAntiAffinity), new Map(this.affinity), new Map(this.antiAffinity));
  }
}

class ScoreState implements StateData {
  constructor(readonly topologyScore: Map<string, number>, readonly keys: Set<string>) {}
  clone(): StateData {
    return this;
  }
}

function add(m: Counts, k: string, v: number): void {
  const n = (m.get(k) ?? 0) + v;
  if (n === 0) m.delete(k);
  else m.set(k, n);
}

const matchesAll = (terms: AffinityTerm[], pod: Pod, ns: Record<string, string> | undefined) => terms.length > 0 && terms.every((t) => affinityTermMatches(t, pod, ns));

export class InterPodAffinity implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin, EnqueueExtensions {
  readonly name = NAME;
  private readonly namespaces: Lister<Namespace> | undefined;

  constructor(private readonly handle: Handle, private readonly args: { hardPodAffinityWeight?: number } = {}) {
    this.namespaces = handle.informers?.lister(resources.namespaces);
  }

  private nsLabels(pod: Pod): Record<string, string> | undefined {
    return this.namespaces?.get(pod.metadata?.namespace ?? '')?.metadata?.labels;
  }

  /** How the existing pod `pi` on `node` changes the counts (sign +1 to add, −1 to remove). */
  private update(st: FilterState, pi: PodInfo, node: Node, sign: number): void {
    const labels = node.metadata?.labels ?? {};
    const incoming = st.podInfo;
    const podNs = this.nsLabels(pi.pod);
    for (const t of pi.requiredAntiAffinityTerms) {
      if (Object.hasOwn(labels, t.topologyKey) && affinityTermMatches(t, incoming.pod, st.nsLabels)) add(st.existingAntiAffinity, pair(t.topologyKey, labels[t.topologyKey]!), sign);
    }
    if (matchesAll(incoming.requiredAffinityTerms, pi.pod, podNs)) {
      for (const t of incoming.requiredAffinityTerms) if (Object.hasOwn(labels, t.topologyKey)) add(st.affinity, pair(t.topologyKey, labels[t.topologyKey]!), sign);
    }
    for (const t of incoming.requiredAntiAffinityTerms) {
      if (Object.hasOwn(labels, t.topologyKey) && affinityTermMatches(t, pi.pod, podNs)) add(st.antiAffinity, pair(t.topologyKey, labels[t.topologyKey]!), sign);
    }
  }

  preFilter(state: CycleState, pod: Pod, nodes: NodeInfo[]): MaybeStatus {
    const pi = new PodInfo(pod);
    const withAnti = this.handle.snapshot().havePodsWithRequiredAntiAffinityList();
    if (pi.requiredAffinityTerms.length === 0 && pi.requiredAntiAffinityTerms.length === 0 && withAnti.length === 0) return Status.skip();
    const st = new FilterState(pi, this.nsLabels(pod), new Map(), new Map(), new Map());
    const all = pi.requiredAffinityTerms.length || pi.requiredAntiAffinityTerms.length ? nodes : withAnti;
    for (const ni of all) {
      if (!ni.node) continue;
      const pods = pi.requiredAffinityTerms.length || pi.requiredAntiAffinityTerms.length ? ni.pods : ni.podsWithRequiredAntiAffinity;
      for (const existing of pods) this.update(st, existing, ni.node, 1);
    }
    state.write(PREFILTER_KEY, st);
    return undefined;
  }

  preFilterExtensions() {
    return {
      addPod: (state: CycleState, _pod: Pod, pi: PodInfo, ni: NodeInfo) => {
        const st = state.read<FilterState>(PREFILTER_KEY);
        if (st && ni.node) this.update(st, pi, ni.node, 1);
        return undefined;
      },
      removePod: (state: CycleState, _pod: Pod, pi: PodInfo, ni: NodeInfo) => {
        const st = state.read<FilterState>(PREFILTER_KEY);
        if (st && ni.node) this.update(st, pi, ni.node, -1);
        return undefined;
      },
    };
  }

  filter(state: CycleState, _pod: Pod, ni: NodeInfo): MaybeStatus {
    const st = state.read<FilterState>(PREFILTER_KEY);
    if (!st || !ni.node) return undefined;
    const labels = ni.node.metadata?.labels ?? {};
    // Required affinity: every term's domain must hold a matching pod — unless no pod matches
    // anywhere and the pod matches its own terms (the first of a group).
    let podsExist = true;
    for (const t of st.podInfo.requiredAffinityTerms) {
      if (!Object.hasOwn(labels, t.topologyKey)) return Status.unresolvable(ERR_REASON_AFFINITY);
      if ((st.affinity.get(pair(t.topologyKey, labels[t.topologyKey]!)) ?? 0) <= 0) podsExist = false;
    }
    if (!podsExist && !(st.affinity.size === 0 && matchesAll(st.podInfo.requiredAffinityTerms, st.podInfo.pod, st.nsLabels))) return Status.unresolvable(ERR_REASON_AFFINITY);
    for (const t of st.podInfo.requiredAntiAffinityTerms) {
      if (Object.hasOwn(labels, t.topologyKey) && (st.antiAffinity.get(pair(t.topologyKey, labels[t.topologyKey]!)) ?? 0) > 0) return Status.unschedulable(ERR_REASON_ANTI_AFFINITY);
    }
    for (const [k, v] of Object.entries(labels)) if ((st.existingAntiAffinity.get(pair(k, v)) ?? 0) > 0) return Status.unschedulable(ERR_REASON_EXISTING_ANTI_AFFINITY);
    return undefined;
  }

  preScore(state: CycleState, pod: Pod, _filtered: NodeInfo[]): MaybeStatus {
    const pi = new PodInfo(pod);
    const hasOwn = pi.preferredAffinityTerms.length > 0 || pi.preferredAntiAffinityTerms.length > 0;
    const nodes = hasOwn ? this.handle.snapshot().list() : this.handle.snapshot().havePodsWithAffinityList();
    if (!hasOwn && nodes.length === 0) return Status.skip();
    const scores = new Map<string, number>();
    const keys = new Set<string>();
    const hard = this.args.hardPodAffinityWeight ?? 1;
    const ns = this.nsLabels(pod);
    const bump = (node: Node, key: string, w: number) => {
      const v = node.metadata?.labels?.[key];
      if (v === undefined || w === 0) return;
      keys.add(key);
      add(scores, pair(key, v), w);
    };
    for (const ni of nodes) {
      if (!ni.node) continue;
      for (const existing of hasOwn ? ni.pods : ni.podsWithAffinity) {
        const ens = this.nsLabels(existing.pod);
        for (const t of pi.preferredAffinityTerms) if (affinityTermMatches(t, existing.pod, ens)) bump(ni.node, t.topologyKey, t.weight);
        for (const t of pi.preferredAntiAffinityTerms) if (affinityTermMatches(t, existing.pod, ens)) bump(ni.node, t.topologyKey, -t.weight);
        for (const t of existing.requiredAffinityTerms) if (hard > 0 && affinityTermMatches(t, pod, ns)) bump(ni.node, t.topologyKey, hard);
        for (const t of existing.preferredAffinityTerms) if (affinityTermMatches(t, pod, ns)) bump(ni.node, t.topologyKey, t.weight);
        for (const t of existing.preferredAntiAffinityTerms) if (affinityTermMatches(t, pod, ns)) bump(ni.node, t.topologyKey, -t.weight);
      }
    }
    state.write(PRESCORE_KEY, new ScoreState(scores, keys));
    return undefined;
  }

  score(state: CycleState, _pod: Pod, ni: NodeInfo): number {
    const st = state.read<ScoreState>(PRESCORE_KEY);
    if (!st || !ni.node) return 0;
    let s = 0;
    const labels = ni.node.metadata?.labels ?? {};
    for (const k of st.keys) if (Object.hasOwn(labels, k)) s += st.topologyScore.get(pair(k, labels[k]!)) ?? 0;
    return s;
  }

  scoreExtensions() {
    return {
      normalizeScore: (state: CycleState, _pod: Pod, scores: NodeScore[]): MaybeStatus => {
        if (!state.read<ScoreState>(PRESCORE_KEY)) return undefined;
        let min = Infinity;
        let max = -Infinity;
        for (const s of scores) {
          min = Math.min(min, s.score);
          max = Math.max(max, s.score);
        }
        const diff = max - min;
        for (const s of scores) s.score = diff > 0 ? Math.trunc((MAX_NODE_SCORE * (s.score - min)) / diff) : 0;
        return undefined;
      },
    };
  }

  eventsToRegister() {
    return [
      { event: { resource: 'Pod' as const, actions: ['Add' as const, 'Update' as const, 'Delete' as const] } },
      { event: { resource: 'Node' as const, actions: ['Add' as const, 'Update' as const] } },
    ];
  }
}

export const factory: PluginFactory = (args, handle) => new InterPodAffinity(handle, (args ?? {}) as { hardPodAffinityWeight?: number });
