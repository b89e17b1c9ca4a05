// Per topology domain, how many nodes and matching pods there are over the whole snapshot, kept
// from cycle to cycle: each sync applies only the nodes the snapshot's change log names (a pod
// bound or removed, a node changed), so a cycle costs O(changed nodes) instead of a pass over
// every node. Pods of the same Deployment scheduled one after another ask the same question
// each cycle, which is what makes keeping the answer worth it.
import type { NodeInfoLister } from './interface.js';
import type { NodeInfo } from './types.js';

export interface DomainCount {
  /** Nodes in the domain that count (the others contribute nothing). */
  nodes: number;
  /** Matching pods on those nodes. */
  pods: number;
}

/** What one node adds: its domain and matching pods, or undefined when it does not count. */
export type Contribution = (ni: NodeInfo) => { domain: string; pods: number } | undefined;

export class DomainAggregate {
  readonly domains = new Map<string, DomainCount>();
  private readonly perNode = new Map<string, { domain: string; pods: number }>();
  private lister: NodeInfoLister | undefined;
  private version = -1;

  constructor(private readonly contribution: Contribution) {}

  /** Brings the counts up to date with `lister` (recounting all nodes when its changes are unknown). */
  sync(lister: NodeInfoLister): Map<string, DomainCount> {
    const changed = lister === this.lister && lister.changesSince ? lister.changesSince(this.version) : undefined;
    if (!changed) {
      this.domains.clear();
      this.perNode.clear();
      for (const ni of lister.list()) this.add(ni.name, ni);
    } else {
      for (const name of new Set(changed)) {
        this.remove(name);
        const ni = lister.get(name);
        if (ni) this.add(name, ni);
      }
    }
    this.lister = lister;
    this.version = lister.version ?? -1;
    return this.domains;
  }

  private add(name: string, ni: NodeInfo): void {
    const c = this.contribution(ni);
    if (!c) return;
    this.perNode.set(name, c);
    const d = this.domains.get(c.domain);
    if (d) {
      d.nodes++;
      d.pods += c.pods;
    } else {
      this.domains.set(c.domain, { nodes: 1, pods: c.pods });
    }
  }

  private remove(name: string): void {
    const c = this.perNode.get(name);
    if (!c) return;
    this.perNode.delete(name);
    const d = this.domains.get(c.domain)!;
    d.nodes--;
    d.pods -= c.pods;
    if (d.nodes === 0) this.domains.delete(c.domain);
  }
}

/** A bounded set of aggregates by key (a plugin's questions: selector, namespace, topology key). */
export class DomainAggregates {
  private readonly byKey = new Map<string, DomainAggregate>();

  constructor(private readonly max = 64) {}

  get(key: string, contribution: Contribution): DomainAggregate {
    let a = this.byKey.get(key);
    if (!a) {
      // Least recently made first out: Deployments come and go.
      if (this.byKey.size >= this.max) this.byKey.delete(this.byKey.keys().next().value!);
      this.byKey.set(key, (a = new DomainAggregate(contribution)));
    }
    return a;
  }
}
