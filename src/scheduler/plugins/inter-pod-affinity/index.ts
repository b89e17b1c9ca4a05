// InterPodAffinity: required pod affinity (the pod goes where matching pods are, in the same
// topology domain), required anti-affinity (it avoids them), existing pods' anti-affinity (they
// keep it away); preferred terms, both the pod's and the existing pods', score the domains.
import type { Namespace, Node, Pod } from 'kubernetes-types/core/v1.js';
import { resources, type Lister } from '../../../client/index.js';
import type { CycleState, StateData } from '../../framework/cycle-state.js';
import type { EnqueueExtensions, FilterPlugin, Handle, NodeScore, PluginFactory, PreFilterPlugin, PreScorePlugin, ScorePlugin } from '../../framework/interface.js';
import { Status, type MaybeStatus } from '../../framework/status.js';
import { TopologyCounts } from '../../framework/topology-counts.js';
import { affinityTermMatches, MAX_NODE_SCORE, memoSlot, PodInfo, type AffinityTerm, type NodeInfo } from '../../framework/types.js';

export const NAME = 'InterPodAffinity';
export const ERR_REASON_EXISTING_ANTI_AFFINITY = "node(s) didn't satisfy existing pods anti-affinity rules";
export const ERR_REASON_AFFINITY = "node(s) didn't match pod affinity rules";
export const ERR_REASON_ANTI_AFFINITY = "node(s) didn't match pod anti-affinity rules";
const PREFILTER_KEY = `PreFilter${NAME}`;
const PRESCORE_KEY = `PreScore${NAME}`;

class FilterState implements StateData {
  constructor(
    readonly podInfo: PodInfo,
    readonly nsLabels: Record<string, string> | undefined,
    readonly existingAntiAffinity: TopologyCounts,
    readonly affinity: TopologyCounts,
    readonly antiAffinity: TopologyCounts,
  ) {}
  clone(): StateData {
    return new FilterState(this.podInfo, this.nsLabels, this.existingAntiAffinity.clone(), this.affinity.clone(), this.antiAffinity.clone());
  }
}

class ScoreState implements StateData {
  constructor(readonly topologyScore: TopologyCounts) {}
  clone(): StateData {
    return this;
  }
}

const matchesAll = (terms: AffinityTerm[], pod: Pod, ns: Record<string, string> | undefined) => terms.length > 0 && terms.every((t) => affinityTermMatches(t, pod, ns));

/** A required anti-affinity term of pods on a node, and how many times it occurs there. */
interface TermGroup {
  term: AffinityTerm;
  count: number;
}

const ANTI_TERMS_SLOT = memoSlot('InterPodAffinity/antiTerms');

/** The node's pods' required anti-affinity terms, grouped by what they match (memoized per node). */
function antiAffinityTermGroups(ni: NodeInfo): TermGroup[] {
  return ni.memoize(ANTI_TERMS_SLOT, groupAntiAffinityTerms);
}

function groupAntiAffinityTerms(ni: NodeInfo): TermGroup[] {
  const groups = new Map<string, TermGroup>();
  for (const pi of ni.podsWithRequiredAntiAffinity) {
    for (const term of pi.requiredAntiAffinityTerms) {
      const g = groups.get(term.key);
      if (g) g.count++;
      else groups.set(term.key, { term, count: 1 });
    }
  }
  return [...groups.values()];
}

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
    const incoming = st.podInfo;
    for (const t of pi.requiredAntiAffinityTerms) {
      if (affinityTermMatches(t, incoming.pod, st.nsLabels)) st.existingAntiAffinity.addNode(node, t.topologyKey, sign);
    }
    if (incoming.requiredAffinityTerms.length === 0 && incoming.requiredAntiAffinityTerms.length === 0) return;
    const podNs = this.nsLabels(pi.pod);
    if (matchesAll(incoming.requiredAffinityTerms, pi.pod, podNs)) {
      for (const t of incoming.requiredAffinityTerms) st.affinity.addNode(node, t.topologyKey, sign);
    }
    for (const t of incoming.requiredAntiAffinityTerms) {
      if (affinityTermMatches(t, pi.pod, podNs)) st.antiAffinity.addNode(node, t.topologyKey, sign);
    }
  }

  /**
   * Adds the counts of the incoming pod's own terms over the nodes' pods. Terms without a
   * namespace selector match by the pod alone, so each node's counts are memoized by the terms'
   * keys; with one, the pods' namespace labels take part and each pod is looked at.
   */
  private addOwnTerms(st: FilterState, nodes: NodeInfo[]): void {
    const { requiredAffinityTerms: aff, requiredAntiAffinityTerms: anti } = st.podInfo;
    if (aff.some((t) => t.namespaceSelector) || anti.some((t) => t.namespaceSelector)) {
      for (const ni of nodes) {
        if (!ni.node) continue;
        for (const existing of ni.pods) {
          const podNs = this.nsLabels(existing.pod);
          if (matchesAll(aff, existing.pod, podNs)) for (const t of aff) st.affinity.addNode(ni.node, t.topologyKey, 1);
          for (const t of anti) if (affinityTermMatches(t, existing.pod, podNs)) st.antiAffinity.addNode(ni.node, t.topologyKey, 1);
        }
      }
      return;
    }
    const affSlot = aff.length ? memoSlot(`InterPodAffinity/all\0${aff.map((t) => t.key).join('\0\0')}`) : -1;
    const countAff = (ni: NodeInfo) => ni.pods.reduce((c, e) => (matchesAll(aff, e.pod, undefined) ? c + 1 : c), 0);
    const antiSlots = anti.map((t) => memoSlot(`InterPodAffinity/one\0${t.key}`));
    const countAnti = anti.map((t) => (ni: NodeInfo) => ni.pods.reduce((c, e) => (affinityTermMatches(t, e.pod, undefined) ? c + 1 : c), 0));
    for (const ni of nodes) {
      if (!ni.node || ni.pods.length === 0) continue;
      if (affSlot >= 0) {
        const n = ni.memoize(affSlot, countAff);
        if (n) for (const t of aff) st.affinity.addNode(ni.node, t.topologyKey, n);
      }
      for (let i = 0; i < anti.length; i++) {
        const n = ni.memoize(antiSlots[i]!, countAnti[i]!);
        if (n) st.antiAffinity.addNode(ni.node, anti[i]!.topologyKey, n);
      }
    }
  }

  preFilter(state: CycleState, pod: Pod, nodes: NodeInfo[]): MaybeStatus {
    const pi = PodInfo.of(pod);
    const withAnti = this.handle.snapshot().havePodsWithRequiredAntiAffinityList();
    const hasOwn = pi.requiredAffinityTerms.length > 0 || pi.requiredAntiAffinityTerms.length > 0;
    if (!hasOwn && withAnti.length === 0) return Status.skip();
    const st = new FilterState(pi, this.nsLabels(pod), new TopologyCounts(), new TopologyCounts(), new TopologyCounts());
    // Existing pods' anti-affinity: each distinct term is matched against the pod once.
    const matched = new Map<string, boolean>();
    for (const ni of withAnti) {
      if (!ni.node) continue;
      for (const g of antiAffinityTermGroups(ni)) {
        let m = matched.get(g.term.key);
        if (m === undefined) matched.set(g.term.key, (m = affinityTermMatches(g.term, pod, st.nsLabels)));
        if (m) st.existingAntiAffinity.addNode(ni.node, g.term.topologyKey, g.count);
      }
    }
    if (hasOwn) this.addOwnTerms(st, nodes);
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
      if (st.affinity.get(t.topologyKey, labels[t.topologyKey]!) <= 0) podsExist = false;
    }
    if (!podsExist && !(st.affinity.size === 0 && matchesAll(st.podInfo.requiredAffinityTerms, st.podInfo.pod, st.nsLabels))) return Status.unresolvable(ERR_REASON_AFFINITY);
    for (const t of st.podInfo.requiredAntiAffinityTerms) {
      if (st.antiAffinity.forNode(ni.node, t.topologyKey) > 0) return Status.unschedulable(ERR_REASON_ANTI_AFFINITY);
    }
    if (st.existingAntiAffinity.anyPositiveForNode(ni.node)) return Status.unschedulable(ERR_REASON_EXISTING_ANTI_AFFINITY);
    return undefined;
  }

  preScore(state: CycleState, pod: Pod, _filtered: NodeInfo[]): MaybeStatus {
    const pi = PodInfo.of(pod);
    const hasOwn = pi.preferredAffinityTerms.length > 0 || pi.preferredAntiAffinityTerms.length > 0;
    const nodes = hasOwn ? this.handle.snapshot().list() : this.handle.snapshot().havePodsWithAffinityList();
    if (!hasOwn && nodes.length === 0) return Status.skip();
    const scores = new TopologyCounts();
    const hard = this.args.hardPodAffinityWeight ?? 1;
    const ns = this.nsLabels(pod);
    const bump = (node: Node, key: string, w: number) => {
      if (w !== 0) scores.addNode(node, key, w);
    };
    for (const ni of nodes) {
      if (!ni.node) continue;
      for (const existing of hasOwn ? ni.pods : ni.podsWithAffinity) {
        // Pods with only required anti-affinity (common) weigh nothing here: skip their lookups.
        if (!hasOwn && !existing.requiredAffinityTerms.length && !existing.preferredAffinityTerms.length && !existing.preferredAntiAffinityTerms.length) continue;
        const ens = hasOwn ? this.nsLabels(existing.pod) : undefined;
        for (const t of pi.preferredAffinityTerms) if (affinityTermMatches(t, existing.pod, ens)) bump(ni.node, t.topologyKey, t.weight);
        for (const t of pi.preferredAntiAffinityTerms) if (affinityTermMatches(t, existing.pod, ens)) bump(ni.node, t.topologyKey, -t.weight);
        for (const t of existing.requiredAffinityTerms) if (hard > 0 && affinityTermMatches(t, pod, ns)) bump(ni.node, t.topologyKey, hard);
        for (const t of existing.preferredAffinityTerms) if (affinityTermMatches(t, pod, ns)) bump(ni.node, t.topologyKey, t.weight);
        for (const t of existing.preferredAntiAffinityTerms) if (affinityTermMatches(t, pod, ns)) bump(ni.node, t.topologyKey, -t.weight);
      }
    }
    state.write(PRESCORE_KEY, new ScoreState(scores));
    return undefined;
  }

  score(state: CycleState, _pod: Pod, ni: NodeInfo): number {
    const st = state.read<ScoreState>(PRESCORE_KEY);
    if (!st || !ni.node) return 0;
    let s = 0;
    for (const k of st.topologyScore.keys()) s += st.topologyScore.forNode(ni.node, k);
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
