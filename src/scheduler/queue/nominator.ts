// Pods nominated to a node by preemption and not yet bound (upstream's nominator): filters
// count them on their node so that the room made for them is not given to others.
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { PodNominator } from '../framework/interface.js';
import { PodInfo, podUid } from '../framework/types.js';

/** The answer for nodes with no nominated pods (shared: callers only read it). */
const NONE: PodInfo[] = [];

export class Nominator implements PodNominator {
  /** node name → pods nominated to it; each pod appears under at most one node. */
  private readonly byNode = new Map<string, PodInfo[]>();
  private readonly nodeOf = new Map<string, string>();

  /** Records the pod's nomination (`nodeName`, else its status.nominatedNodeName); replaces any older one. */
  add(pi: PodInfo, nodeName?: string): void {
    this.delete(pi.pod);
    const node = nodeName ?? pi.pod.status?.nominatedNodeName;
    if (!node) return;
    this.nodeOf.set(podUid(pi.pod), node);
    const list = this.byNode.get(node) ?? [];
    list.push(pi);
    this.byNode.set(node, list);
  }

  delete(pod: Pod): void {
    const uid = podUid(pod);
    const node = this.nodeOf.get(uid);
    if (node === undefined) return;
    this.nodeOf.delete(uid);
    const rest = (this.byNode.get(node) ?? []).filter((p) => podUid(p.pod) !== uid);
    if (rest.length) this.byNode.set(node, rest);
    else this.byNode.delete(node);
  }

  /** Keeps a nomination made by the scheduler when the update does not carry it yet. */
  update(oldPod: Pod, pi: PodInfo): void {
    const nodeName = pi.pod.status?.nominatedNodeName || (oldPod.status?.nominatedNodeName ? undefined : this.nodeOf.get(podUid(oldPod)));
    this.add(pi, nodeName);
  }

  nominatedNodeFor(pod: Pod): string | undefined {
    return this.nodeOf.get(podUid(pod));
  }

  nominatedPodsForNode(nodeName: string): PodInfo[] {
    // Asked once per node per cycle: no lookup while nothing is nominated (the usual case).
    if (this.byNode.size === 0) return NONE;
    return this.byNode.get(nodeName) ?? NONE;
  }
}
