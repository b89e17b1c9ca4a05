// TaintToleration: a node's NoSchedule and NoExecute taints keep off pods that do not tolerate
// them; PreferNoSchedule taints the pod does not tolerate lower the node's score.
import type { Node, Pod, Taint, Toleration } from 'kubernetes-types/core/v1.js';
import type { CycleState, StateData } from '../../framework/cycle-state.js';
import { QueueingHint } from '../../framework/events.js';
import { defaultNormalizeScore, findMatchingUntoleratedTaint, tolerationsTolerateTaint } from '../../framework/helpers.js';
import type { EnqueueExtensions, FilterPlugin, NodeScore, PluginFactory, PreScorePlugin, ScorePlugin } from '../../framework/interface.js';
import { Status, type MaybeStatus } from '../../framework/status.js';
import { MAX_NODE_SCORE, type NodeInfo } from '../../framework/types.js';

export const NAME = 'TaintToleration';
const PRESCORE_KEY = `PreScore${NAME}`;

const isScheduleTaint = (t: Taint) => t.effect === 'NoSchedule' || t.effect === 'NoExecute';

/** The reason upstream gives for a taint the pod does not tolerate. */
export function untoleratedTaintReason(t: Taint): string {
  return `node(s) had untolerated taint {${t.key}: ${t.value ?? ''}}`;
}

class PreScoreState implements StateData {
  constructor(readonly tolerations: Toleration[]) {}
  clone(): StateData {
    return this;
  }
}

function untoleratedPreferNoSchedule(taints: Taint[] | undefined, tolerations: Toleration[]): number {
  let n = 0;
  for (const t of taints ?? []) if (t.effect === 'PreferNoSchedule' && !tolerationsTolerateTaint(tolerations, t)) n++;
  return n;
}

export const taintToleration = {
  name: NAME,
  filter(_state: CycleState, pod: Pod, nodeInfo: NodeInfo): MaybeStatus {
    const taint = findMatchingUntoleratedTaint(nodeInfo.node?.spec?.taints, pod.spec?.tolerations, isScheduleTaint);
    return taint ? Status.unresolvable(untoleratedTaintReason(taint)) : undefined;
  },
  preScore(state: CycleState, pod: Pod): MaybeStatus {
    const tolerations = (pod.spec?.tolerations ?? []).filter((t) => !t.effect || t.effect === 'PreferNoSchedule');
    state.write(PRESCORE_KEY, new PreScoreState(tolerations));
    return undefined;
  },
  score(state: CycleState, pod: Pod, nodeInfo: NodeInfo): number {
    const tolerations = state.read<PreScoreState>(PRESCORE_KEY)?.tolerations ?? pod.spec?.tolerations ?? [];
    return untoleratedPreferNoSchedule(nodeInfo.node?.spec?.taints, tolerations);
  },
  scoreExtensions() {
    return {
      normalizeScore(_state: CycleState, _pod: Pod, scores: NodeScore[]): MaybeStatus {
        defaultNormalizeScore(MAX_NODE_SCORE, true, scores);
        return undefined;
      },
    };
  },
  eventsToRegister() {
    return [
      {
        event: { resource: 'Node' as const, actions: ['Add' as const, 'Update' as const] },
        // Only a node whose taints the pod tolerates now, and did not before, may help.
        hint: (pod: Pod, oldObj: unknown, newObj: unknown) => {
          const untolerated = (n: unknown) => !!findMatchingUntoleratedTaint((n as Node).spec?.taints, pod.spec?.tolerations, isScheduleTaint);
          const was = oldObj ? untolerated(oldObj) : true;
          return newObj && was && !untolerated(newObj) ? QueueingHint.Queue : QueueingHint.Skip;
        },
      },
      { event: { resource: 'UnscheduledPod' as const, actions: ['Update' as const] } },
    ];
  },
} satisfies FilterPlugin & PreScorePlugin & ScorePlugin & EnqueueExtensions;

export const factory: PluginFactory = () => taintToleration;
