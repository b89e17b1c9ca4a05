// Counts per topology domain (topologyKey → value → count), as upstream's topologyToMatchedTermCount.
// Nested by key so that a node's domains are found with one lookup per topology key in use,
// not one string concatenation per node label; pairs that fall to zero are dropped.
import type { Node } from 'kubernetes-types/core/v1.js';

export class TopologyCounts {
  private readonly byKey = new Map<string, Map<string, number>>();
  /** Pairs with a non-zero count. */
  private pairs = 0;

  get size(): number {
    return this.pairs;
  }

  get(key: string, value: string): number {
    return this.byKey.get(key)?.get(value) ?? 0;
  }

  add(key: string, value: string, n: number): void {
    if (n === 0) return;
    let m = this.byKey.get(key);
    if (!m) this.byKey.set(key, (m = new Map()));
    const had = m.get(value) ?? 0;
    const now = had + n;
    if (now === 0) {
      m.delete(value);
      this.pairs--;
      if (m.size === 0) this.byKey.delete(key);
    } else {
      if (had === 0) this.pairs++;
      m.set(value, now);
    }
  }

  /** Adds n to the node's domain of `key`, when the node has that label. */
  addNode(node: Node, key: string, n: number): void {
    const labels = node.metadata?.labels;
    if (labels && Object.hasOwn(labels, key)) this.add(key, labels[key]!, n);
  }

  /** The count of the node's domain of `key` (0 when the node lacks the label). */
  forNode(node: Node, key: string): number {
    const labels = node.metadata?.labels;
    return labels && Object.hasOwn(labels, key) ? this.get(key, labels[key]!) : 0;
  }

  /** Whether any of the node's domains (any label the counts use) has a positive count. */
  anyPositiveForNode(node: Node): boolean {
    const labels = node.metadata?.labels;
    if (!labels || this.pairs === 0) return false;
    for (const [key, m] of this.byKey) {
      if (Object.hasOwn(labels, key) && (m.get(labels[key]!) ?? 0) > 0) return true;
    }
    return false;
  }

  /** Topology keys with some non-zero count. */
  keys(): IterableIterator<string> {
    return this.byKey.keys();
  }

  clone(): TopologyCounts {
    const c = new TopologyCounts();
    for (const [k, m] of this.byKey) c.byKey.set(k, new Map(m));
    c.pairs = this.pairs;
    return c;
  }
}
