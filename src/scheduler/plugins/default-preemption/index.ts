// DefaultPreemption (PostFilter): when no node fits, look for a node where evicting pods of lower
// priority makes room; nominate the pod to it (status.nominatedNodeName) and delete the victims.
// The pod itself is retried when the victims' deletions arrive. Messages as upstream's:
// "preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, 2
// Preemption is not helpful for scheduling."
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1.js';
import { fromLabelSelector } from '../../../api/selectors/index.js';
import { resources, type Lister } from '../../../client/index.js';
import type { CycleState } from '../../framework/cycle-state.js';
import { NodeToStatus, type Handle, type PluginFactory, type PostFilterPlugin, type PostFilterResult } from '../../framework/interface.js';
import { Code, isSuccess, Status, type MaybeStatus } from '../../framework/status.js';
import { podPriority } from '../../framework/types.js';
import { fitErrorMessage, newDiagnosis } from '../../fit-error.js';
import { rfc3339 } from '../../../util/clock.js';
import { pickOneNode, selectVictimsOnNode, type Budget, type Candidate } from './candidates.js';

export const NAME = 'DefaultPreemption';
export const ERR_NOT_HELPFUL = 'Preemption is not helpful for scheduling';

export interface DefaultPreemptionArgs {
  minCandidateNodesPercentage?: number;
  minCandidateNodesAbsolute?: number;
}

export class DefaultPreemption implements PostFilterPlugin {
  readonly name = NAME;
  private readonly pdbLister: Lister<PodDisruptionBudget> | undefined;

  constructor(
    private readonly handle: Handle,
    private readonly args: DefaultPreemptionArgs = {},
  ) {
    this.pdbLister = handle.informers?.lister(resources.podDisruptionBudgets);
  }

  postFilter(state: CycleState, pod: Pod, statuses: NodeToStatus): { result?: PostFilterResult; status: MaybeStatus } {
    const { result, status } = this.preempt(state, pod, statuses);
    const msg = status?.message();
    return { result, status: status && msg ? new Status(status.code, [`preemption: ${msg}`]) : status };
  }

  private preempt(state: CycleState, pod: Pod, statuses: NodeToStatus): { result?: PostFilterResult; status: MaybeStatus } {
    const eligible = this.eligible(pod);
    if (eligible) return { status: Status.unschedulable(eligible) };
    const all = this.handle.snapshot().list();
    const diagnosis = newDiagnosis();
    diagnosis.nodeToStatus.absent = Status.unresolvable(ERR_NOT_HELPFUL);
    // Nodes where removing pods cannot help (UnschedulableAndUnresolvable) are left out.
    const potential = all.filter((n) => statuses.get(n.name)?.code === Code.Unschedulable);
    const candidates: Candidate[] = [];
    if (potential.length) {
      const budgets = this.budgets();
      const want = this.numCandidates(potential.length);
      const offset = Math.floor(Math.random() * potential.length);
      for (let i = 0; i < potential.length && candidates.length < want; i++) {
        const ni = potential[(offset + i) % potential.length]!;
        const r = selectVictimsOnNode(this.handle.framework(), state.clone(), pod, ni.snapshot(), budgets);
        if (isSuccess(r.status) && r.victims.length) candidates.push({ nodeName: ni.name, victims: r.victims, numPDBViolations: r.numPDBViolations });
        else diagnosis.nodeToStatus.set(ni.name, r.status ?? Status.error(new Error(`expected at least one victim pod on node "${ni.name}"`)));
      }
    }
    const best = pickOneNode(candidates);
    if (!best) return { result: { nominatedNodeName: '' }, status: Status.unschedulable(fitErrorMessage(all.length, diagnosis)) };
    this.prepare(pod, best);
    return { result: { nominatedNodeName: best.nodeName }, status: undefined };
  }

  /** Why the pod may not preempt, or undefined when it may (PodEligibleToPreemptOthers). */
  private eligible(pod: Pod): string | undefined {
    if (pod.spec?.preemptionPolicy === 'Never') return 'not eligible due to preemptionPolicy=Never.';
    const nominated = pod.status?.nominatedNodeName;
    if (nominated) {
      const ni = this.handle.snapshot().get(nominated);
      // Victims of an earlier preemption are still going away: wait for them.
      if (ni?.pods.some((p) => p.pod.metadata?.deletionTimestamp && podPriority(p.pod) < podPriority(pod))) return 'not eligible due to a terminating pod on the nominated node.';
    }
    return undefined;
  }

  private numCandidates(numNodes: number): number {
    const pct = this.args.minCandidateNodesPercentage ?? 10;
    const abs = this.args.minCandidateNodesAbsolute ?? 100;
    return Math.min(Math.max(Math.trunc((numNodes * pct) / 100), abs), numNodes);
  }

  private budgets(): Budget[] {
    return (this.pdbLister?.list() ?? []).map((pdb) => {
      let sel: ReturnType<typeof fromLabelSelector>;
      try {
        sel = fromLabelSelector(pdb.spec?.selector ?? null);
      } catch {
        sel = fromLabelSelector(null);
      }
      return { namespace: pdb.metadata?.namespace ?? '', matches: (p: Pod) => sel.matches(p.metadata?.labels), disruptionsAllowed: pdb.status?.disruptionsAllowed ?? 0 };
    });
  }

  /** Deletes the victims and clears lower-priority nominations on the node (asynchronously). */
  private prepare(pod: Pod, c: Candidate): void {
    const client = this.handle.client;
    for (const lower of this.handle.nominator().nominatedPodsForNode(c.nodeName)) {
      if (podPriority(lower.pod) >= podPriority(pod) || !client) continue;
      const md = lower.pod.metadata ?? {};
      void client.resource(resources.pods).namespace(md.namespace).patch(md.name!, { status: { nominatedNodeName: null } }, { type: 'merge', subresource: 'status' }).catch(() => undefined);
    }
    if (!client) return;
    // As upstream: a victim already being deleted is left alone; the others are marked
    // DisruptionTarget=True (PreemptionByScheduler) first, and not deleted if that fails.
    const condition = {
      type: 'DisruptionTarget', status: 'True', reason: 'PreemptionByScheduler',
      message: `${pod.spec?.schedulerName ?? 'default-scheduler'}: preempting to accommodate a higher priority pod`,
      lastTransitionTime: rfc3339(this.handle.clock.now()),
    };
    for (const v of c.victims) {
      const md = v.metadata ?? {};
      if (md.deletionTimestamp) continue;
      const pods = client.resource(resources.pods).namespace(md.namespace);
      void (async () => {
        const already = v.status?.conditions?.some((x) => x.type === condition.type && x.status === condition.status && x.reason === condition.reason && x.message === condition.message);
        if (!already) await pods.patch(md.name!, { status: { conditions: [condition] } }, { type: 'strategic', subresource: 'status' });
        await pods.delete(md.name!, { preconditions: { uid: md.uid } });
      })().catch((e) => {
        console.error(`scheduler: preempting ${md.namespace}/${md.name}:`, e);
      });
    }
  }
}

export const factory: PluginFactory = (args, handle) => new DefaultPreemption(handle, (args ?? {}) as DefaultPreemptionArgs);
