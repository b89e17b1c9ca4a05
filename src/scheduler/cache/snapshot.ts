// The scheduling cycle's view of the cluster (upstream's Snapshot): a copy of the cache's
// NodeInfos, refreshed at the start of each cycle by copying only the nodes that changed.
// Plugins read it; preemption changes copies of its NodeInfos, never the snapshot itself.
//
// The lists of nodes with affinity pods are kept up to date node by node (setNode/deleteNode),
// not rebuilt from all nodes, so a cycle that changed one node costs O(1) here. Their order is
// not the node list's: plugins only sum over them.
import type { NodeInfoLister } from '../framework/interface.js';
import type { NodeInfo } from '../framework/types.js';

/** An array with O(1) membership changes (swap-remove); order is arbitrary. */
class NodeSet {
  readonly list: NodeInfo[] = [];
  private readonly index = new Map<string, number>();

  set(name: string, ni: NodeInfo, member: boolean): void {
    const i = this.index.get(name);
    if (member) {
      if (i === undefined) {
        this.index.set(name, this.list.length);
        this.list.push(ni);
      } else {
        this.list[i] = ni;
      }
      return;
    }
    if (i === undefined) return;
    const last = this.list.pop()!;
    this.index.delete(name);
    if (i < this.list.length) {
      this.list[i] = last;
      this.index.set(last.name, i);
    }
  }
}

const hasAffinity = (ni: NodeInfo) => ni.podsWithAffinity.length > 0;
const hasRequiredAnti = (ni: NodeInfo) => ni.podsWithRequiredAntiAffinity.length > 0;

/** Past this many recorded changes the log starts over (readers behind it recount from scratch). */
const MAX_CHANGE_LOG = 20_000;

export class Snapshot implements NodeInfoLister {
  /** node name → NodeInfo (only nodes whose Node object is known). */
  readonly nodeInfoMap = new Map<string, NodeInfo>();
  nodeInfoList: NodeInfo[] = [];
  private withAffinity = new NodeSet();
  private withRequiredAntiAffinity = new NodeSet();
  /**
   * Names of the nodes changed (pods, node object, added, removed) by each update, for readers
   * that keep aggregates across cycles (see DomainAggregate). Only snapshots kept by the cache
   * record changes; for the others changesSince answers undefined (recount everything).
   */
  private changeLog: string[] = [];
  private changeLogBase = 0;
  private tracked = false;

  /** The position in the change log now. */
  get version(): number {
    return this.changeLogBase + this.changeLog.length;
  }

  /** The nodes changed since `version`, or undefined when that is unknown. */
  changesSince(version: number): string[] | undefined {
    if (!this.tracked || version < this.changeLogBase || version > this.version) return undefined;
    return this.changeLog.slice(version - this.changeLogBase);
  }

  /** Records a changed node (the cache calls this for every node it refreshes). */
  recordChange(name: string): void {
    this.tracked = true;
    if (this.changeLog.length >= MAX_CHANGE_LOG) {
      this.changeLogBase += this.changeLog.length;
      this.changeLog = [];
    }
    this.changeLog.push(name);
  }

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
    return this.withAffinity.list;
  }

  havePodsWithRequiredAntiAffinityList(): NodeInfo[] {
    return this.withRequiredAntiAffinity.list;
  }

  numNodes(): number {
    return this.nodeInfoList.length;
  }

  /** Records that `ni` (now in nodeInfoMap under `name`) changed: keeps the affinity lists right. */
  nodeChanged(name: string, ni: NodeInfo): void {
    this.withAffinity.set(name, ni, hasAffinity(ni));
    this.withRequiredAntiAffinity.set(name, ni, hasRequiredAnti(ni));
  }

  /** Records that the node left nodeInfoMap. */
  nodeRemoved(name: string, ni: NodeInfo): void {
    this.withAffinity.set(name, ni, false);
    this.withRequiredAntiAffinity.set(name, ni, false);
  }

  /** Rebuilds the node list (after nodes came or went) and the affinity lists. */
  rebuildLists(): void {
    this.nodeInfoList = [...this.nodeInfoMap.values()];
    this.withAffinity = new NodeSet();
    this.withRequiredAntiAffinity = new NodeSet();
    for (const ni of this.nodeInfoList) this.nodeChanged(ni.name, ni);
  }
}
