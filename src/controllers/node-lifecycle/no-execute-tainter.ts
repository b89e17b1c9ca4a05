// NoExecute taints for nodes that are not Ready (the tainting half of pkg/controller/nodelifecycle):
// a node whose Ready condition is False gets node.kubernetes.io/not-ready:NoExecute, one whose
// condition is Unknown node.kubernetes.io/unreachable:NoExecute (never both), a Ready node
// neither. Tainting evicts pods, so nodes are queued per zone and tainted at a limited rate,
// slower (or not at all) in a zone that lost most of its nodes, and not at all while every zone
// is down — then the control plane's own network is the likelier culprit.
import type { Node, NodeCondition, Taint } from 'kubernetes-types/core/v1.js';
import type { Lister, TimerClock } from '../../client/index.js';
import { computeZoneState, getNodeCondition, zoneKey, type ZoneState } from './node-health.js';
import { swapNodeTaints, type NodeWriter } from './node-updates.js';
import { RateLimitedTimedQueue } from './rate-limited-queue.js';
import { NOT_READY_TAINT, UNREACHABLE_TAINT, taintExists } from './taints.js';

export interface NoExecuteTainterOptions {
  evictionLimiterQPS: number;
  secondaryEvictionLimiterQPS: number;
  largeClusterSizeThreshold: number;
  unhealthyZoneThreshold: number;
}

export class NoExecuteTainter {
  /** Zone key → state; a zone is here once one of its nodes was seen. */
  readonly zoneStates = new Map<string, ZoneState>();
  /** Zone key → nodes waiting for their NoExecute taint. */
  readonly zoneTainters = new Map<string, RateLimitedTimedQueue>();

  constructor(
    private readonly writer: NodeWriter,
    private readonly nodeLister: Lister<Node>,
    private readonly clock: TimerClock,
    private readonly o: NoExecuteTainterOptions,
    private readonly onError: (err: unknown) => void,
  ) {}

  async doNoExecuteTaintingPass(): Promise<void> {
    for (const tainter of [...this.zoneTainters.values()]) {
      await tainter.try(async (name) => {
        const node = this.nodeLister.get(name);
        if (!node) return { ok: true };
        const ready = getNodeCondition(node.status, 'Ready');
        if (!ready) return { ok: false, retryMs: 50 };
        // Unreachable and not-ready mirror the Ready condition: one excludes the other.
        let swap: [Taint, Taint];
        if (ready.status === 'False') swap = [NOT_READY_TAINT, UNREACHABLE_TAINT];
        else if (ready.status === 'Unknown') swap = [UNREACHABLE_TAINT, NOT_READY_TAINT];
        else return { ok: true }; // Ready again
        try {
          await swapNodeTaints(this.writer, name, [swap[0]], [swap[1]]);
          return { ok: true };
        } catch (e) {
          this.onError(e);
          return { ok: false, retryMs: 0 };
        }
      });
    }
  }

  tainterFor(node: Node): RateLimitedTimedQueue {
    const zone = zoneKey(node);
    let t = this.zoneTainters.get(zone);
    if (!t) {
      this.zoneStates.set(zone, 'Initial');
      t = new RateLimitedTimedQueue(this.o.evictionLimiterQPS, this.clock);
      this.zoneTainters.set(zone, t);
    }
    return t;
  }

  /** Queues the node for the taint matching `status` (re-queued when that taint went missing). */
  markNodeForTainting(node: Node, status: 'False' | 'Unknown'): boolean {
    const tainter = this.tainterFor(node);
    const name = node.metadata?.name ?? '';
    if (!taintExists(node.spec?.taints, status === 'False' ? NOT_READY_TAINT : UNREACHABLE_TAINT)) tainter.remove(name);
    return tainter.add(name, node.metadata?.uid ?? '');
  }

  /** Removes both NoExecute taints and forgets the node in its zone's queue. */
  async markNodeAsReachable(node: Node): Promise<boolean> {
    const name = node.metadata?.name ?? '';
    await swapNodeTaints(this.writer, name, [], [UNREACHABLE_TAINT, NOT_READY_TAINT]);
    return this.tainterFor(node).remove(name);
  }

  /** Taints follow the Ready condition seen at the start of the pass. */
  async processTaintBasedEviction(node: Node, observedReady: NodeCondition): Promise<void> {
    const name = node.metadata?.name ?? '';
    try {
      if (observedReady.status === 'False') {
        if (taintExists(node.spec?.taints, UNREACHABLE_TAINT)) await swapNodeTaints(this.writer, name, [NOT_READY_TAINT], [UNREACHABLE_TAINT]);
        else this.markNodeForTainting(node, 'False');
      } else if (observedReady.status === 'Unknown') {
        if (taintExists(node.spec?.taints, NOT_READY_TAINT)) await swapNodeTaints(this.writer, name, [UNREACHABLE_TAINT], [NOT_READY_TAINT]);
        else this.markNodeForTainting(node, 'Unknown');
      } else if (observedReady.status === 'True') {
        await this.markNodeAsReachable(node);
      }
    } catch (e) {
      this.onError(e);
    }
  }

  /**
   * Eviction rates by zone health; no NoExecute tainting at all while every zone is down.
   * Resolves true when the cluster just left full disruption (the caller then gives every node a
   * fresh grace period).
   */
  async handleDisruption(zoneToConditions: Map<string, (NodeCondition | undefined)[]>, nodes: Node[]): Promise<boolean> {
    const newStates = new Map<string, ZoneState>();
    let allAreFullyDisrupted = true;
    for (const [zone, conds] of zoneToConditions) {
      const { state } = computeZoneState(conds, this.o.unhealthyZoneThreshold);
      if (state !== 'FullDisruption') allAreFullyDisrupted = false;
      newStates.set(zone, state);
      if (!this.zoneStates.has(zone)) this.zoneStates.set(zone, 'Initial');
    }
    let allWasFullyDisrupted = true;
    for (const [zone, state] of [...this.zoneStates]) {
      if (!zoneToConditions.has(zone)) {
        this.zoneStates.delete(zone);
        continue;
      }
      if (state !== 'FullDisruption') {
        allWasFullyDisrupted = false;
        break;
      }
    }
    if (allAreFullyDisrupted && allWasFullyDisrupted) return false;
    if (allAreFullyDisrupted) {
      // Entering master disruption mode: untaint everything and stop tainting.
      for (const node of nodes) await this.markNodeAsReachable(node).catch((e) => this.onError(e));
      for (const zone of this.zoneStates.keys()) {
        this.zoneTainters.get(zone)?.swapLimiter(0);
        this.zoneStates.set(zone, 'FullDisruption');
      }
      return false;
    }
    for (const [zone, state] of this.zoneStates) {
      const next = newStates.get(zone);
      if (!next || (!allWasFullyDisrupted && state === next)) continue;
      this.setLimiterInZone(zone, zoneToConditions.get(zone)?.length ?? 0, next);
      this.zoneStates.set(zone, next);
    }
    return allWasFullyDisrupted;
  }

  private setLimiterInZone(zone: string, zoneSize: number, state: ZoneState): void {
    const tainter = this.zoneTainters.get(zone);
    if (!tainter) return;
    if (state === 'Normal' || state === 'FullDisruption') tainter.swapLimiter(this.o.evictionLimiterQPS);
    else if (state === 'PartialDisruption') tainter.swapLimiter(zoneSize > this.o.largeClusterSizeThreshold ? this.o.secondaryEvictionLimiterQPS : 0);
  }
}
