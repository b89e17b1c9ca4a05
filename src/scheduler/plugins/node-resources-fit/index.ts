// NodeResourcesFit: the pod fits where its requests (containers, init containers, overhead) fit
// in what the node's allocatable leaves after the pods already there (assumed ones included),
// and the node's pod count allows one more. A request larger than the whole node is
// UnschedulableAndUnresolvable (preemption would not help). Scoring strategy: LeastAllocated
// (default, spreads) or MostAllocated (bin packing), over weighted resources.
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import type { CycleState, StateData } from '../../framework/cycle-state.js';
import { QueueingHint } from '../../framework/events.js';
import type { EnqueueExtensions, FilterPlugin, PluginFactory, PreFilterPlugin, PreScorePlugin, ScorePlugin } from '../../framework/interface.js';
import { resourceFromList, type Resource, type ResourceList } from '../../framework/resource.js';
import { DEFAULT_RESOURCES, leastAllocatedScorer, mostAllocatedScorer, nodeScorer, podResourceRequests, type ResourceSpec } from '../../framework/resource-allocation.js';
import { Code, Status, type MaybeStatus } from '../../framework/status.js';
import { NodeInfo, PodInfo } from '../../framework/types.js';

export const NAME = 'NodeResourcesFit';
const PREFILTER_KEY = `PreFilter${NAME}`;
const PRESCORE_KEY = `PreScore${NAME}`;

export interface FitArgs {
  /** Extended resources not to check. */
  ignoredResources?: string[];
  scoringStrategy?: { type?: 'LeastAllocated' | 'MostAllocated'; resources?: ResourceSpec[] };
}

export interface InsufficientResource {
  resourceName: string;
  reason: string;
  requested: number;
  used: number;
  capacity: number;
  /** The request exceeds the node's whole allocatable: preemption cannot help. */
  unresolvable: boolean;
}

class RequestState implements StateData {
  constructor(readonly request: Resource) {}
  clone(): StateData {
    return this;
  }
}

class ScoreState implements StateData {
  constructor(readonly podRequests: number[]) {}
  clone(): StateData {
    return this;
  }
}

const NONE = new Set<string>();

/** Whether fitsRequest would find nothing lacking: the per-node fast path, which allocates nothing. */
export function fits(req: Resource, nodeInfo: NodeInfo, ignored: Set<string> = NONE): boolean {
  const alloc = nodeInfo.allocatable;
  const used = nodeInfo.requested;
  if (nodeInfo.pods.length + 1 > alloc.allowedPodNumber) return false;
  if (req.milliCPU > 0 && req.milliCPU > alloc.milliCPU - used.milliCPU) return false;
  if (req.memory > 0 && req.memory > alloc.memory - used.memory) return false;
  if (req.ephemeralStorage > 0 && req.ephemeralStorage > alloc.ephemeralStorage - used.ephemeralStorage) return false;
  if (req.scalar.size === 0) return true;
  for (const [name, want] of req.scalar) {
    if (want <= 0 || ignored.has(name)) continue;
    if (want > (alloc.scalar.get(name) ?? 0) - (used.scalar.get(name) ?? 0)) return false;
  }
  return true;
}

/** What the node lacks for the pod's request (upstream's fitsRequest). */
export function fitsRequest(req: Resource, nodeInfo: NodeInfo, ignored: Set<string> = NONE): InsufficientResource[] {
  const out: InsufficientResource[] = [];
  const alloc = nodeInfo.allocatable;
  const used = nodeInfo.requested;
  if (nodeInfo.pods.length + 1 > alloc.allowedPodNumber) {
    out.push({ resourceName: 'pods', reason: 'Too many pods', requested: 1, used: nodeInfo.pods.length, capacity: alloc.allowedPodNumber, unresolvable: false });
  }
  if (req.milliCPU === 0 && req.memory === 0 && req.ephemeralStorage === 0 && req.scalar.size === 0) return out;
  const check = (name: string, want: number, have: number, inUse: number) => {
    if (want > 0 && want > have - inUse) out.push({ resourceName: name, reason: `Insufficient ${name}`, requested: want, used: inUse, capacity: have, unresolvable: want > have });
  };
  check('cpu', req.milliCPU, alloc.milliCPU, used.milliCPU);
  check('memory', req.memory, alloc.memory, used.memory);
  check('ephemeral-storage', req.ephemeralStorage, alloc.ephemeralStorage, used.ephemeralStorage);
  for (const [name, want] of req.scalar) {
    if (want === 0 || ignored.has(name)) continue;
    check(name, want, alloc.scalar.get(name) ?? 0, used.scalar.get(name) ?? 0);
  }
  return out;
}

/** Whether the pod fits on an empty node like `node` (for queueing hints). */
function fitsEmptyNode(pod: Pod, node: Node): boolean {
  return fitsRequest(PodInfo.of(pod).requested, new NodeInfo(node)).length === 0;
}

function allocatableGrew(oldNode: Node, newNode: Node): boolean {
  const o = resourceFromList(oldNode.status?.allocatable as ResourceList);
  const n = resourceFromList(newNode.status?.allocatable as ResourceList);
  if (n.milliCPU > o.milliCPU || n.memory > o.memory || n.ephemeralStorage > o.ephemeralStorage || n.allowedPodNumber > o.allowedPodNumber) return true;
  for (const [k, v] of n.scalar) if (v > (o.scalar.get(k) ?? 0)) return true;
  return false;
}

export class NodeResourcesFit implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin, EnqueueExtensions {
  readonly name = NAME;
  private readonly ignored: Set<string>;
  private readonly resources: ResourceSpec[];
  private readonly scoreNode: ReturnType<typeof nodeScorer>;

  constructor(args: FitArgs = {}) {
    this.ignored = new Set(args.ignoredResources ?? []);
    this.resources = args.scoringStrategy?.resources ?? DEFAULT_RESOURCES;
    const type = args.scoringStrategy?.type ?? 'LeastAllocated';
    if (type !== 'LeastAllocated' && type !== 'MostAllocated') throw new Error(`scoring strategy ${String(type)} is not supported`);
    this.scoreNode = nodeScorer(this.resources, false, type === 'MostAllocated' ? mostAllocatedScorer(this.resources) : leastAllocatedScorer(this.resources));
  }

  preFilter(state: CycleState, pod: Pod): MaybeStatus {
    state.write(PREFILTER_KEY, new RequestState(PodInfo.of(pod).requested));
    return undefined;
  }

  preFilterExtensions() {
    return undefined;
  }

  filter(state: CycleState, pod: Pod, nodeInfo: NodeInfo): MaybeStatus {
    const req = state.read<RequestState>(PREFILTER_KEY)?.request ?? PodInfo.of(pod).requested;
    if (fits(req, nodeInfo, this.ignored)) return undefined;
    const insufficient = fitsRequest(req, nodeInfo, this.ignored);
    if (insufficient.length === 0) return undefined;
    const code = insufficient.some((r) => r.unresolvable) ? Code.UnschedulableAndUnresolvable : Code.Unschedulable;
    return new Status(code, insufficient.map((r) => r.reason));
  }

  preScore(state: CycleState, pod: Pod): MaybeStatus {
    state.write(PRESCORE_KEY, new ScoreState(podResourceRequests(pod, this.resources, false)));
    return undefined;
  }

  score(state: CycleState, pod: Pod, nodeInfo: NodeInfo): number {
    const req = state.read<ScoreState>(PRESCORE_KEY)?.podRequests ?? podResourceRequests(pod, this.resources, false);
    return this.scoreNode(nodeInfo, req);
  }

  eventsToRegister() {
    return [
      { event: { resource: 'AssignedPod' as const, actions: ['Delete' as const] } },
      {
        event: { resource: 'Node' as const, actions: ['Add' as const, 'Update' as const] },
        hint: (pod: Pod, oldObj: unknown, newObj: unknown) => {
          const n = newObj as Node | undefined;
          if (!n || !fitsEmptyNode(pod, n)) return QueueingHint.Skip;
          const o = oldObj as Node | undefined;
          return !o || allocatableGrew(o, n) ? QueueingHint.Queue : QueueingHint.Skip;
        },
      },
    ];
  }
}

export const factory: PluginFactory = (args) => new NodeResourcesFit((args ?? {}) as FitArgs);
