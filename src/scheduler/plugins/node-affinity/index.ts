// NodeAffinity: spec.nodeSelector and required node affinity terms decide where the pod may go
// (PreFilter narrows to the nodes named by metadata.name matchFields); preferred terms add
// their weight to the nodes they match.
import type { Node, NodeSelectorTerm, Pod, PreferredSchedulingTerm } from 'kubernetes-types/core/v1.js';
import type { CycleState, StateData } from '../../framework/cycle-state.js';
import { QueueingHint } from '../../framework/events.js';
import { defaultNormalizeScore, nodeSelectorTermMatches } from '../../framework/helpers.js';
import {
  PreFilterResult,
  type EnqueueExtensions, type FilterPlugin, type NodeScore, type PluginFactory, type PreFilterPlugin, type PreScorePlugin, type ScorePlugin,
} from '../../framework/interface.js';
import { Status, type MaybeStatus } from '../../framework/status.js';
import { MAX_NODE_SCORE, type NodeInfo } from '../../framework/types.js';

export const NAME = 'NodeAffinity';
export const ERR_REASON_POD = "node(s) didn't match Pod's node affinity/selector";
export const ERR_REASON_CONFLICT = 'pod affinity terms conflict';
const PRESCORE_KEY = `PreScore${NAME}`;

/** Whether the node satisfies the pod's nodeSelector and required node affinity. */
export function requiredNodeAffinityMatches(pod: Pod, node: Node): boolean {
  const labels = node.metadata?.labels ?? {};
  for (const [k, v] of Object.entries(pod.spec?.nodeSelector ?? {})) if (labels[k] !== v) return false;
  const terms = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (terms === undefined) return true;
  return terms.some((t) => nodeSelectorTermMatches(t, node));
}

/** The node names the required terms pin with `metadata.name In`, or undefined when some term does not. */
function nodeNamesFromTerms(terms: NodeSelectorTerm[]): Set<string> | undefined {
  let names: Set<string> | undefined;
  for (const t of terms) {
    let termNames: Set<string> | undefined;
    for (const r of t.matchFields ?? []) {
      if (r.key !== 'metadata.name' || r.operator !== 'In') continue;
      const s = new Set(r.values ?? []);
      termNames = termNames ? new Set([...termNames].filter((n) => s.has(n))) : s;
    }
    if (!termNames) return undefined;
    names = new Set([...(names ?? []), ...termNames]);
  }
  return names;
}

class PreScoreState implements StateData {
  constructor(readonly preferred: PreferredSchedulingTerm[]) {}
  clone(): StateData {
    return this;
  }
}

export const nodeAffinity = {
  name: NAME,
  preFilter(_state: CycleState, pod: Pod): MaybeStatus | PreFilterResult {
    const required = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
    if (!required && !Object.keys(pod.spec?.nodeSelector ?? {}).length) return Status.skip();
    if (!required) return undefined;
    const names = nodeNamesFromTerms(required.nodeSelectorTerms);
    if (names && names.size === 0) return Status.unresolvable(ERR_REASON_CONFLICT);
    return names ? new PreFilterResult(names) : undefined;
  },
  filter(_state: CycleState, pod: Pod, nodeInfo: NodeInfo): MaybeStatus {
    if (!nodeInfo.node) return Status.unresolvable('node not found');
    return requiredNodeAffinityMatches(pod, nodeInfo.node) ? undefined : Status.unresolvable(ERR_REASON_POD);
  },
  preScore(state: CycleState, pod: Pod): MaybeStatus {
    const preferred = pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [];
    if (preferred.length === 0) return Status.skip();
    state.write(PRESCORE_KEY, new PreScoreState(preferred));
    return undefined;
  },
  score(state: CycleState, pod: Pod, nodeInfo: NodeInfo): number {
    const preferred = state.read<PreScoreState>(PRESCORE_KEY)?.preferred ?? pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [];
    let score = 0;
    for (const t of preferred) if (t.weight !== 0 && nodeInfo.node && nodeSelectorTermMatches(t.preference, nodeInfo.node)) score += t.weight;
    return score;
  },
  scoreExtensions() {
    return {
      normalizeScore(_state: CycleState, _pod: Pod, scores: NodeScore[]): MaybeStatus {
        defaultNormalizeScore(MAX_NODE_SCORE, false, scores);
        return undefined;
      },
    };
  },
  eventsToRegister() {
    return [
      {
        event: { resource: 'Node' as const, actions: ['Add' as const, 'Update' as const] },
        hint: (pod: Pod, oldObj: unknown, newObj: unknown) => {
          const n = newObj as Node | undefined;
          if (!n || !requiredNodeAffinityMatches(pod, n)) return QueueingHint.Skip;
          const o = oldObj as Node | undefined;
          return !o || !requiredNodeAffinityMatches(pod, o) ? QueueingHint.Queue : QueueingHint.Skip;
        },
      },
      { event: { resource: 'UnscheduledPod' as const, actions: ['Update' as const] } },
    ];
  },
} satisfies PreFilterPlugin & FilterPlugin & PreScorePlugin & ScorePlugin & EnqueueExtensions;

export const factory: PluginFactory = () => nodeAffinity;
