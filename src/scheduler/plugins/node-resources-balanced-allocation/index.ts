// NodeResourcesBalancedAllocation: favours nodes where, with the pod, the requested fractions of
// cpu and memory (by default) would be close to each other. Pods requesting nothing skip it.
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { CycleState, StateData } from '../../framework/cycle-state.js';
import type { PluginFactory, PreScorePlugin, ScorePlugin } from '../../framework/interface.js';
import { balancedScorer, DEFAULT_RESOURCES, nodeScorer, podResourceRequests, type ResourceSpec } from '../../framework/resource-allocation.js';
import { Status, type MaybeStatus } from '../../framework/status.js';
import type { NodeInfo } from '../../framework/types.js';

export const NAME = 'NodeResourcesBalancedAllocation';
const PRESCORE_KEY = `PreScore${NAME}`;

export interface BalancedAllocationArgs {
  resources?: ResourceSpec[];
}

class ScoreState implements StateData {
  constructor(readonly podRequests: number[]) {}
  clone(): StateData {
    return this;
  }
}

export class BalancedAllocation implements PreScorePlugin, ScorePlugin {
  readonly name = NAME;
  private readonly resources: ResourceSpec[];
  private readonly scoreNode: ReturnType<typeof nodeScorer>;

  constructor(args: BalancedAllocationArgs = {}) {
    this.resources = args.resources ?? DEFAULT_RESOURCES;
    this.scoreNode = nodeScorer(this.resources, true, balancedScorer);
  }

  preScore(state: CycleState, pod: Pod): MaybeStatus {
    const req = podResourceRequests(pod, this.resources, true);
    // A best-effort pod would otherwise pile onto whichever node looks most balanced.
    if (req.every((v) => v === 0)) return Status.skip();
    state.write(PRESCORE_KEY, new ScoreState(req));
    return undefined;
  }

  score(state: CycleState, pod: Pod, nodeInfo: NodeInfo): number {
    const req = state.read<ScoreState>(PRESCORE_KEY)?.podRequests ?? podResourceRequests(pod, this.resources, true);
    return this.scoreNode(nodeInfo, req);
  }
}

export const factory: PluginFactory = (args) => new BalancedAllocation((args ?? {}) as BalancedAllocationArgs);
