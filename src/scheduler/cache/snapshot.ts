// The scheduling cycle's view of the cluster (upstream's Snapshot): a copy of the cache's
// NodeInfos, refreshed at the start of each cycle by copying only the nodes that changed.
// Plugins read it; preemption changes copies of its NodeInfos, never the snapshot itself.
import type { NodeInfoLister } from '../framework/interface.js';
import type { NodeInfo } from '../framework/types.js';

export class Snapshot implements NodeInfoLister {
  /** node name → NodeInfo (only nodes whose Node object is known). */
  readonly nodeInfoMap = new Map<string, NodeInfo>();
  nodeInfoList: NodeInfo[] = [];
  withAffinity: NodeInfo[] = [];
  withRequiredAntiAffinity: NodeInfo[] = [];

  static of(infos: NodeInfo[]): Snapshot {
    const s = new Snapshot();
    for (const ni of infos) if (ni.node) s.nodeInfoMap.set(ni.name, ni);
    s.rebuildLists();
    return s;
  }

  list(): NodeInfo[] {
    return this.nodeInfoList;
  }

  get(name: string): NodeInfo | undefined {
    return this.nodeInfoMap.get(name);
  }

  havePodsWithAffinityList(): NodeInfo[] {
    return this.withAffinity;
  }

  havePodsWithRequiredAntiAffinityList(): NodeInfo[] {
    return this.withRequiredAntiAffinity;
  }

  numNodes(): number {
    return this.nodeInfoList.length;
  }

  rebuildLists(): void {
    this.nodeInfoList = [...this.nodeInfoMap.values()];
    this.rebuildAffinityLists();
  }

  rebuildAffinityLists(): void {
    this.withAffinity = this.nodeInfoList.filter((n) => n.podsWithAffinity.length > 0);
    this.withRequiredAntiAffinity = this.nodeInfoList.filter((n) => n.podsWithRequiredAntiAffinity.length > 0);
  }
}
