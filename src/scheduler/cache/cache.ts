// The scheduler's cache of nodes and the pods on them (upstream's internal/cache). Besides the
// pods the API reports as bound, it holds *assumed* pods: placed on a node at Reserve, before
// their binding is written, so the next pod's cycle already counts them and does not have to
// wait for the binding's watch round-trip. When the bound pod arrives from the informer, the
// assumption is confirmed; if binding fails, it is forgotten.
//
// Invariants: a pod (by UID) is in podStates at most once and on exactly the NodeInfo of its
// spec.nodeName; `assumed` ⊆ podStates. `dirty` names the nodes changed since the last
// updateSnapshot (so a snapshot copies only those).
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { NodeInfo, podUid, PodInfo } from '../framework/types.js';
import { Snapshot } from './snapshot.js';

interface PodState {
  pod: Pod;
  /** Binding has been written (the assumption waits for the informer's confirmation). */
  bindingFinished: boolean;
}

export class Cache {
  private readonly nodes = new Map<string, NodeInfo>();
  private readonly podStates = new Map<string, PodState>();
  private readonly assumed = new Set<string>();
  private readonly dirty = new Set<string>();
  /** The set of nodes changed (added or removed) since the last snapshot. */
  private nodeSetChanged = false;

  addNode(node: Node): void {
    const name = node.metadata!.name!;
    let ni = this.nodes.get(name);
    if (!ni) this.nodes.set(name, (ni = new NodeInfo()));
    if (!ni.node) this.nodeSetChanged = true;
    ni.setNode(node);
    this.dirty.add(name);
  }

  updateNode(_old: Node, node: Node): void {
    this.addNode(node);
  }

  removeNode(node: Node): void {
    const name = node.metadata!.name!;
    const ni = this.nodes.get(name);
    if (!ni) return;
    // Pods still on a removed node stay counted until their own deletion arrives.
    if (ni.pods.length === 0) this.nodes.delete(name);
    else ni.removeNode();
    this.nodeSetChanged = true;
    this.dirty.add(name);
  }

  /** Places a pod (with spec.nodeName set) on its node before it is bound. */
  assumePod(pod: Pod): void {
    const uid = podUid(pod);
    if (this.podStates.has(uid)) throw new Error(`pod ${pod.metadata?.namespace}/${pod.metadata?.name} (${uid}) is in the cache, so can't be assumed`);
    this.addToNode(pod);
    this.podStates.set(uid, { pod, bindingFinished: false });
    this.assumed.add(uid);
  }

  finishBinding(pod: Pod): void {
    const st = this.podStates.get(podUid(pod));
    if (st && this.assumed.has(podUid(pod))) st.bindingFinished = true;
  }

  /** Drops an assumed pod whose binding failed. */
  forgetPod(pod: Pod): void {
    const uid = podUid(pod);
    const st = this.podStates.get(uid);
    if (!st || !this.assumed.has(uid)) return;
    this.removeFromNode(st.pod);
    this.podStates.delete(uid);
    this.assumed.delete(uid);
  }

  isAssumedPod(pod: Pod): boolean {
    return this.assumed.has(podUid(pod));
  }

  getPod(pod: Pod): Pod | undefined {
    return this.podStates.get(podUid(pod))?.pod;
  }

  /** A bound pod seen by the informer: confirms an assumption (on the node the API says) or adds it. */
  addPod(pod: Pod): void {
    const uid = podUid(pod);
    const st = this.podStates.get(uid);
    if (st) {
      this.removeFromNode(st.pod);
      this.assumed.delete(uid);
    }
    this.addToNode(pod);
    this.podStates.set(uid, { pod, bindingFinished: true });
  }

  updatePod(_old: Pod, pod: Pod): void {
    this.addPod(pod);
  }

  removePod(pod: Pod): void {
    const uid = podUid(pod);
    const st = this.podStates.get(uid);
    if (!st) return;
    this.removeFromNode(st.pod);
    this.podStates.delete(uid);
    this.assumed.delete(uid);
  }

  nodeCount(): number {
    let n = 0;
    for (const ni of this.nodes.values()) if (ni.node) n++;
    return n;
  }

  podCount(): number {
    return this.podStates.size;
  }

  /** The cache's NodeInfo of a node (tests and debugging; do not change it). */
  nodeInfo(name: string): NodeInfo | undefined {
    return this.nodes.get(name);
  }

  /** Brings `snapshot` up to date, copying only the nodes changed since its last update. */
  updateSnapshot(snapshot: Snapshot): void {
    for (const name of this.dirty) {
      snapshot.recordChange(name);
      const ni = this.nodes.get(name);
      const old = snapshot.nodeInfoMap.get(name);
      if (!ni?.node) {
        if (old) {
          snapshot.nodeInfoMap.delete(name);
          snapshot.nodeRemoved(name, old);
        }
        continue;
      }
      const fresh = ni.snapshot();
      // Update in place, so the snapshot's lists keep pointing at live objects.
      if (old) Object.assign(old, fresh);
      else snapshot.nodeInfoMap.set(name, fresh);
      snapshot.nodeChanged(name, old ?? fresh);
    }
    this.dirty.clear();
    if (this.nodeSetChanged) {
      snapshot.rebuildLists();
      this.nodeSetChanged = false;
    }
  }

  private addToNode(pod: Pod): void {
    const name = pod.spec?.nodeName ?? '';
    let ni = this.nodes.get(name);
    if (!ni) this.nodes.set(name, (ni = new NodeInfo()));
    ni.addPodInfo(PodInfo.of(pod));
    this.dirty.add(name);
  }

  private removeFromNode(pod: Pod): void {
    const name = pod.spec?.nodeName ?? '';
    const ni = this.nodes.get(name);
    if (!ni) return;
    ni.removePod(pod);
    if (!ni.node && ni.pods.length === 0) this.nodes.delete(name);
    this.dirty.add(name);
  }
}
